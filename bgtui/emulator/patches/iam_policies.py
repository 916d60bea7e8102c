"""AWS managed IAM policies, loaded fast: parsed once per process, only in the `aws` partition.

moto builds an IAM backend for every partition on the first request after a reset, each with
some 1,500 managed policies; that made every reset cost more than a second.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from functools import cache
from typing import Any

import moto.iam.models
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.models import AWSManagedPolicy, IAMBackend
from moto.settings import load_iam_aws_managed_policies

# The partitions whose IAM backends get the managed policies; the emulator serves `aws` regions.
MANAGED_POLICY_PARTITIONS = ("aws",)


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


def _init_aws_policies(self: IAMBackend) -> list[Any]:
    if not load_iam_aws_managed_policies() or self.region_name not in MANAGED_POLICY_PARTITIONS:
        return []
    policy: Any = AWSManagedPolicy
    return [
        policy(name, account_id=self.account_id, region=self.region_name, **fields)
        for name, fields in _policy_fields()
    ]


def random_policy_id() -> str:
    """Same shape as moto's ids (A + 20 upper-case letters or digits), 50 times cheaper."""
    return "A" + uuid.uuid4().hex[:20].upper()


def apply() -> None:
    IAMBackend._init_aws_policies = _init_aws_policies  # type: ignore[method-assign]
    models: Any = moto.iam.models
    models.random_policy_id = random_policy_id
