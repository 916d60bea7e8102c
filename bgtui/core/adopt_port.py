"""The port adopt reads and writes an existing function and its REST API through."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from bgtui.core.adopting import Integration, Survey


class AdoptionPort(Protocol):
    """Lambda and API Gateway, as adopt needs them (errors as in `bgtui.core.ports`)."""

    def apis_invoking(self, function: str) -> list[str]:
        """Ids of the REST APIs with an integration invoking `function`."""
        ...

    def survey(self, function: str, api_id: str) -> Survey:
        """NotFound: the function or the REST API does not exist."""
        ...

    def create_alias(self, function: str, alias: str, version: str, description: str) -> None:
        """Conflict: the alias exists already."""
        ...

    def add_permission(self, function: str, alias: str, statement_id: str, api_id: str) -> None:
        """Let API Gateway (this REST API, any stage and method) invoke `function:alias`."""
        ...

    def set_stage_variable(self, api_id: str, stage: str, name: str, value: str) -> None: ...

    def route_integration(self, api_id: str, integration: Integration, uri: str) -> None:
        """Replace the integration's URI, keeping the rest of the integration as it is."""
        ...

    def redeploy(self, api_id: str, stages: Sequence[str], description: str) -> str:
        """One new deployment of the REST API served by `stages` (variables kept); its id."""
        ...

    def tag_function(self, function_arn: str, tags: Mapping[str, str]) -> None: ...
