"""An SNS NotifierPort: each event published to one topic, its text as the message."""

from __future__ import annotations

import json

from bgtui.adapters.aws.errors import aws_errors
from bgtui.adapters.aws.session import AwsContext
from bgtui.core.release_event import ReleaseEvent

SUBJECT_LIMIT = 99
"""SNS takes a Subject "less than 100 characters long" (botocore's sns model, PublishInput)."""


class SnsTopic:
    """Publishes to one topic with the write client: one attempt a call, the caller retries."""

    def __init__(self, context: AwsContext, topic_arn: str) -> None:
        self._context = context
        self.topic_arn = topic_arn

    @property
    def target(self) -> str:
        return f"sns {self.topic_arn}"

    def deliver(self, event: ReleaseEvent) -> None:
        subject = f"bgtui {event.name} {event.function}"[:SUBJECT_LIMIT]
        message = json.dumps({"text": event.text(), **event.to_json()}, ensure_ascii=False)
        with aws_errors("publish to", self.topic_arn):
            self._context.write_client("sns").publish(
                TopicArn=self.topic_arn,
                Subject=subject,
                Message=message,
                MessageAttributes={
                    "event": {"DataType": "String", "StringValue": event.name},
                    "function": {"DataType": "String", "StringValue": event.function},
                },
            )
