"""PublishVersion as AWS does it: no new version when code and configuration are unchanged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.awslambda.models import LambdaStorage


def _fingerprint(function: Any) -> tuple[Any, ...]:
    # The version description is set by PublishVersion itself, so it is not a change.
    env = tuple(sorted((function.environment_vars or {}).items()))
    return (
        function.code_sha_256,
        function.handler,
        function.run_time,
        function.role,
        str(function.timeout),
        str(function.memory_size),
        env,
    )


def _publish_unless_unchanged(original: Callable[..., Any]) -> Callable[..., Any]:
    def publish_version(self: LambdaStorage, name_or_arn: str, description: str = "") -> Any:
        function = self.get_function_by_name_or_arn_forbid_qualifier(name_or_arn)
        published = self._functions.get(function.function_name, {}).get("versions") or []
        if published and _fingerprint(published[-1]) == _fingerprint(function):
            function.code_or_config_updated = False
        return original(self, name_or_arn, description)

    return publish_version


def apply() -> None:
    LambdaStorage.publish_version = _publish_unless_unchanged(  # type: ignore[method-assign]
        LambdaStorage.publish_version
    )
