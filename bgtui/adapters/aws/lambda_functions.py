"""Lambda through boto3: find tagged functions, read and move aliases, publish and invoke."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.retries import Sleep, send_mutation
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.errors import BadInput, NotFound, OperationFailed
from bgtui.core.models import AliasState, InvokeResult, VersionInfo
from bgtui.core.ports import TaggedFunction

MANAGED_TAG = "bluegreen:managed"
MAX_RESOURCES_PER_PAGE = 100
MAX_TAGS_PER_PAGE = 500
PAYLOAD_LIMIT = 4096
"""Characters of an invocation's answer kept: enough to judge a smoke check, cheap to show."""
_UNQUALIFIED_ARN_PARTS = 7


class LambdaFunctions:
    """FunctionsPort over Lambda and the Resource Groups Tagging API."""

    def __init__(
        self,
        context: AwsContext,
        sleep: Sleep = time.sleep,
        poll_interval_s: float = 1.0,
        max_polls: int = 120,
    ) -> None:
        self._aws = context
        self._sleep = sleep
        self._poll_interval_s = poll_interval_s
        self._max_polls = max_polls

    def discover(self) -> list[TaggedFunction]:
        """Every function tagged `bluegreen:managed=true`, by name."""
        paginator = self._aws.client("resourcegroupstaggingapi").get_paginator("get_resources")
        with aws_errors("discover", f"functions tagged {MANAGED_TAG}=true", service="tag"):
            pages = list(
                paginator.paginate(
                    ResourceTypeFilters=["lambda:function"],
                    TagFilters=[{"Key": MANAGED_TAG, "Values": ["true"]}],
                    # The largest pages GetResources allows (botocore's model: 1 to 100
                    # resources, 100 to 500 tags): a function carries about ten tags, so the
                    # tag count, not the resource count, ends a page of the default size.
                    TagsPerPage=MAX_TAGS_PER_PAGE,
                    PaginationConfig={"PageSize": MAX_RESOURCES_PER_PAGE},
                )
            )
        found = [
            tagged
            for page in pages
            for mapping in page.get("ResourceTagMappingList", [])
            if (tagged := _tagged_function(mapping)) is not None
        ]
        return sorted(found, key=lambda tagged: tagged.function)

    def list_aliases(self, function: str) -> dict[str, AliasState]:
        paginator = self._aws.client("lambda").get_paginator("list_aliases")
        with aws_errors("list aliases of", f"function {function}", service="lambda"):
            pages = list(paginator.paginate(FunctionName=function))
        aliases = [_alias_state(alias) for page in pages for alias in page.get("Aliases", [])]
        return {alias.name: alias for alias in aliases}

    def get_alias(self, function: str, alias: str) -> AliasState:
        with aws_errors("read", f"alias {alias} of {function}", service="lambda"):
            answer = self._aws.client("lambda").get_alias(FunctionName=function, Name=alias)
        return _alias_state(answer)

    def update_alias(
        self, function: str, alias: str, version: str, revision_id: str, description: str
    ) -> AliasState:
        """Point `alias` at `version`, only if it still carries `revision_id` (else Conflict)."""
        _require_published(version)
        if not revision_id:
            raise BadInput(f"alias {alias} of {function} can only be moved from a revision read")
        lambda_writes = self._aws.write_client("lambda")
        resource = f"alias {alias} of {function}"
        with aws_errors("update", resource, service="lambda", revision=revision_id, mutation=True):
            answer = send_mutation(
                lambda: lambda_writes.update_alias(
                    FunctionName=function,
                    Name=alias,
                    FunctionVersion=version,
                    Description=description,
                    RevisionId=revision_id,
                    # An empty weight map removes weighted routing: the switch is all-or-nothing.
                    RoutingConfig={"AdditionalVersionWeights": {}},
                ),
                self._sleep,
            )
        return _alias_state(answer)

    def list_versions(self, function: str) -> list[VersionInfo]:
        """Published versions, newest first."""
        paginator = self._aws.client("lambda").get_paginator("list_versions_by_function")
        with aws_errors("list versions of", f"function {function}", service="lambda"):
            pages = list(paginator.paginate(FunctionName=function))
        versions = [
            _version_info(config)
            for page in pages
            for config in page.get("Versions", [])
            if config.get("Version", "").isdigit()
        ]
        return sorted(versions, key=lambda info: int(info.version), reverse=True)

    def version_exists(self, function: str, version: str) -> bool:
        _require_published(version)
        lambda_reads = self._aws.client("lambda")
        try:
            with aws_errors("read", f"version {version} of {function}", service="lambda"):
                lambda_reads.get_function_configuration(FunctionName=function, Qualifier=version)
        except NotFound:
            return False
        return True

    def update_code(self, function: str, zip_bytes: bytes) -> str:
        """Upload a zip to `$LATEST`, wait until Lambda has applied it; its CodeSha256."""
        if not zip_bytes:
            raise BadInput(f"the code for {function} is empty: give a zip file")
        lambda_writes = self._aws.write_client("lambda")
        with aws_errors("upload code to", f"function {function}", service="lambda", mutation=True):
            answer = send_mutation(
                lambda: lambda_writes.update_function_code(
                    FunctionName=function, ZipFile=zip_bytes
                ),
                self._sleep,
            )
        return self._wait_until_updated(function, answer)

    def publish_version(self, function: str, description: str) -> VersionInfo:
        lambda_writes = self._aws.write_client("lambda")
        with aws_errors(
            "publish a version of", f"function {function}", service="lambda", mutation=True
        ):
            answer = send_mutation(
                lambda: lambda_writes.publish_version(
                    FunctionName=function, Description=description
                ),
                self._sleep,
            )
        return _version_info(answer)

    def invoke(self, function: str, qualifier: str, payload: bytes) -> InvokeResult:
        """Invoke `function:qualifier` synchronously; a function error is a result, not a raise."""
        if not qualifier:
            raise BadInput(f"say which alias or version of {function} to invoke")
        lambda_writes = self._aws.write_client("lambda")
        with aws_errors("invoke", f"{function}:{qualifier}", service="lambda", mutation=True):
            answer = send_mutation(
                lambda: lambda_writes.invoke(
                    FunctionName=function,
                    InvocationType="RequestResponse",
                    Qualifier=qualifier,
                    Payload=payload,
                ),
                self._sleep,
            )
            text = _read_payload(answer.get("Payload"))
        return InvokeResult(
            status_code=int(answer.get("StatusCode", 0)),
            payload=text,
            function_error=answer.get("FunctionError", ""),
            executed_version=answer.get("ExecutedVersion", ""),
        )

    def _wait_until_updated(self, function: str, config: Mapping[str, Any]) -> str:
        lambda_reads = self._aws.client("lambda")
        for _ in range(self._max_polls):
            status = config.get("LastUpdateStatus", "Successful")
            if status == "Successful":
                return str(config.get("CodeSha256", ""))
            if status == "Failed":
                reason = config.get("LastUpdateStatusReason", "no reason given")
                raise OperationFailed(
                    f"Lambda could not apply the new code of {function}: {reason}"
                )
            self._sleep(self._poll_interval_s)
            with aws_errors("read the update status of", f"function {function}", service="lambda"):
                config = lambda_reads.get_function_configuration(FunctionName=function)
        waited = self._max_polls * self._poll_interval_s
        raise OperationFailed(
            f"the code update of {function} was still in progress after {waited:.0f} s; "
            "check the function before publishing"
        )


def _tagged_function(mapping: Mapping[str, Any]) -> TaggedFunction | None:
    arn = str(mapping.get("ResourceARN", ""))
    parts = arn.split(":")
    # A version or alias ARN has an eighth part; the service is the function itself.
    if len(parts) != _UNQUALIFIED_ARN_PARTS or parts[5] != "function":
        return None
    tags = {tag["Key"]: tag["Value"] for tag in mapping.get("Tags", [])}
    return TaggedFunction(function=parts[6], arn=arn, tags=tags)


def _alias_state(alias: Mapping[str, Any]) -> AliasState:
    return AliasState(
        name=alias["Name"],
        version=alias["FunctionVersion"],
        revision_id=alias.get("RevisionId", ""),
        description=alias.get("Description", "") or "",
    )


def _version_info(config: Mapping[str, Any]) -> VersionInfo:
    return VersionInfo(
        version=str(config["Version"]),
        last_modified=config.get("LastModified", ""),
        description=config.get("Description", "") or "",
        code_sha256=config.get("CodeSha256", ""),
    )


def _require_published(version: str) -> None:
    if not version.isdigit():
        raise BadInput(f"a published version is a number, not {version!r}")


def _read_payload(stream: Any) -> str:
    if stream is None:
        return ""
    # Four bytes per character at most: enough bytes for PAYLOAD_LIMIT characters and a marker.
    raw: bytes = stream.read(PAYLOAD_LIMIT * 4 + 1)
    stream.close()
    text = raw.decode("utf-8", errors="replace")
    return text if len(text) <= PAYLOAD_LIMIT else text[:PAYLOAD_LIMIT] + "…"
