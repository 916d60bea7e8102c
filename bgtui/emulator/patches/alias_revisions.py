"""Lambda alias RevisionId as AWS keeps it: a new id on every update, a stale id refused (412)."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any
from urllib.parse import unquote

from moto.awslambda.exceptions import PreconditionFailedException
from moto.awslambda.responses import LambdaResponse

STALE_REVISION = (
    "The Revision Id provided does not match the latest Revision Id. "
    "Call the GetAlias API to retrieve the latest Revision Id"
)
# One lock for every alias: the check and the write must be one step across request threads.
_lock = threading.Lock()


def update_alias(self: LambdaResponse) -> tuple[int, dict[str, Any], str]:
    function_name = unquote(self.path.rsplit("/")[-3])
    alias_name = unquote(self.path.rsplit("/", 2)[-1])
    params = json.loads(self.body or "{}")
    with _lock:
        alias = self.backend.get_alias(name=alias_name, function_name=function_name)
        expected = params.get("RevisionId")
        if expected and expected != alias.revision_id:
            raise PreconditionFailedException(STALE_REVISION)
        self.backend.update_alias(
            name=alias_name,
            function_name=function_name,
            function_version=params.get("FunctionVersion"),
            description=params.get("Description"),
            routing_config=params.get("RoutingConfig"),
        )
        alias.revision_id = str(uuid.uuid4())
        answer = json.dumps(alias.to_json())
    return 200, {"status": 200}, answer


def apply() -> None:
    LambdaResponse.update_alias = update_alias  # type: ignore[method-assign]
