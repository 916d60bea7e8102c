"""Reads function versions from moto's in-process Lambda backend: the behaviour each one has."""

from __future__ import annotations

import threading
from typing import Any

from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda.utils import get_backend
from moto.core.models import DEFAULT_ACCOUNT_ID

from bgtui.emulator.behaviour import OVERRIDES, Behaviour, VersionKey, read_declared

_lock = threading.Lock()
_declared: dict[str, Behaviour | None] = {}


def _declared_by_package(function: Any) -> Behaviour | None:
    """What the version's package declares, parsed once per distinct package."""
    sha = function.code_sha_256
    with _lock:
        if sha in _declared:
            return _declared[sha]
    found = read_declared(getattr(function, "code_bytes", b""))
    with _lock:
        _declared[sha] = found
    return found


def declared_behaviour(function: Any) -> Behaviour:
    """What the version's package declares; a package of real code counts as healthy."""
    return _declared_by_package(function) or Behaviour()


def is_synthetic(function: Any) -> bool:
    """Whether the version is a demo package that declares its answers instead of code to run."""
    return _declared_by_package(function) is not None


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
