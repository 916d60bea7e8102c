"""AWS managed IAM policies parsed once per process, not once per IAM backend (fast reset)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any

from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend
from moto.settings import load_iam_aws_managed_policies


@cache
def _policy_fields() -> tuple[tuple[str, dict[str, Any]], ...]:
    parsed = json.loads(aws_managed_policies_data)
    return tuple(
        (
            name,
            {
                "default_version_id": data.get("DefaultVersionId"),
                "path": data.get("Path"),
                "document": json.dumps(data.get("Document")),
                "create_date": datetime.fromisoformat(data["CreateDate"]),
                "update_date": datetime.fromisoformat(data["UpdateDate"]),
            },
        )
        for name, data in parsed.items()
    )


def _init_aws_policies(self: IAMBackend) -> list[AWSManagedPolicy]:
    if not load_iam_aws_managed_policies():
        return []
    return [
        AWSManagedPolicy(name, account_id=self.account_id, region=self.region_name, **fields)
        for name, fields in _policy_fields()
    ]


def apply() -> None:
    IAMBackend._init_aws_policies = _init_aws_policies  # type: ignore[method-assign]
