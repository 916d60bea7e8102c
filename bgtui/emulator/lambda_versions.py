"""Reads function versions from moto's in-process Lambda backend: the behaviour each one has."""

from __future__ import annotations

import threading
from typing import Any

from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.utils import get_backend
from moto.core.models import DEFAULT_ACCOUNT_ID

from bgtui.emulator.behaviour import OVERRIDES, Behaviour, VersionKey, read_behaviour

_lock = threading.Lock()
_declared: dict[str, Behaviour] = {}


def declared_behaviour(function: Any) -> Behaviour:
    """What the version's package declares, parsed once per distinct package."""
    sha = function.code_sha_256
    with _lock:
        found = _declared.get(sha)
    if found is None:
        found = read_behaviour(getattr(function, "code_bytes", b""))
        with _lock:
            _declared[sha] = found
    return found


def version_key(function: Any) -> VersionKey:
    return (function.region, function.function_name, str(function.version))


def behaviour_of(function: Any) -> Behaviour:
    """The behaviour now in force: declared by the package unless switched at runtime."""
    return OVERRIDES.apply(version_key(function), declared_behaviour(function))


def find_version(
    region: str, function: str, qualifier: str, account: str = DEFAULT_ACCOUNT_ID
) -> Any | None:
    """The moto function object of one version or alias; None when there is no such thing."""
    try:
        return get_backend(account, region).get_function(function, qualifier)
    except LambdaClientError:
        return None


def forget_packages() -> None:
    with _lock:
        _declared.clear()
