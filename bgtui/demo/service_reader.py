"""What traffic depends on, read as it is now: managed functions, alias versions, the test stage."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from botocore.exceptions import ClientError

from bgtui.core.models import LIVE_ALIAS, STAGE_VARIABLE, Colour
from bgtui.demo.traffic_model import ServiceSnapshot
from bgtui.emulator.clients import EmulatorClients

MANAGED_TAG = "bluegreen:managed"
log = logging.getLogger("bgtui.demo.traffic")


@dataclass(frozen=True)
class ManagedFunction:
    """A function found by its `bluegreen:managed` tag."""

    function: str
    tags: dict[str, str]

    @property
    def alarm_prefix(self) -> str:
        return self.tags.get("bluegreen:alarm-prefix") or f"{self.function}-"


class ServiceReader:
    """Reads services through the emulator's AWS APIs, tolerating half-built ones."""

    def __init__(self, clients: EmulatorClients) -> None:
        self._clients = clients

    def discover(self) -> list[ManagedFunction]:
        """Managed functions, by the Resource Groups Tagging API, sorted by name."""
        pages = self._clients.tagging.get_paginator("get_resources").paginate(
            ResourceTypeFilters=["lambda:function"],
            TagFilters=[{"Key": MANAGED_TAG, "Values": ["true"]}],
        )
        found = []
        for page in pages:
            for item in page["ResourceTagMappingList"]:
                tags = {t["Key"]: t["Value"] for t in item.get("Tags", [])}
                found.append(ManagedFunction(item["ResourceARN"].split(":")[6], tags))
        return sorted(found, key=lambda m: m.function)

    def snapshot(self, managed: ManagedFunction) -> ServiceSnapshot:
        """Where the aliases point and which alias the test stage names (behaviours not read)."""
        aliases, tags = self._aliases(managed.function), managed.tags
        return ServiceSnapshot(
            function=managed.function,
            api_name=tags.get("bluegreen:api-name", ""),
            prod_stage=tags.get("bluegreen:prod-stage", "prod"),
            test_stage=tags.get("bluegreen:test-stage", "test"),
            colours={c: aliases[c.value] for c in Colour if c.value in aliases},
            live_version=aliases.get(LIVE_ALIAS),
            test_stage_alias=self._stage_alias(tags),
        )

    def _aliases(self, function: str) -> dict[str, str]:
        try:
            answer = self._clients.lambda_.list_aliases(FunctionName=function)
        except ClientError as error:
            log.info("no aliases for %s: %s", function, error)
            return {}
        return {a["Name"]: a["FunctionVersion"] for a in answer["Aliases"]}

    def _stage_alias(self, tags: dict[str, str]) -> str | None:
        api_id = tags.get("bluegreen:api-id")
        if not api_id:
            return None
        try:
            stages = self._clients.apigateway.get_stages(restApiId=api_id)["item"]
        except ClientError as error:
            log.info("no stages for API %s: %s", api_id, error)
            return None
        wanted = tags.get("bluegreen:test-stage", "test")
        for stage in stages:
            if stage["stageName"] == wanted:
                return (stage.get("variables") or {}).get(STAGE_VARIABLE)
        return None
