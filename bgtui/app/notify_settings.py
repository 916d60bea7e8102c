"""The `[notify]` table of the configuration: where release events go, secrets by reference."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from bgtui.core.errors import BadInput

KEYRING_PREFIX = "keyring:"
ENV_PREFIX = "env:"
WEBHOOK_ENTRY_PREFIX = "webhook:"
"""Keyring entries holding webhook URLs are named `webhook:NAME` (`bgtui secrets set-webhook`)."""

WEBHOOK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_TOPIC_ARN = re.compile(
    r"^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_.-]{1,256}$"
)


@dataclass(frozen=True)
class NotifySettings:
    """Where release events are sent; a webhook is named by reference, never by its URL."""

    webhooks: tuple[str, ...] = ()
    """`keyring:NAME` (the keyring entry `webhook:NAME`) or `env:VARIABLE` for each webhook."""

    sns_topic_arn: str = ""
    """An SNS topic to publish every event to; empty publishes nowhere."""

    @property
    def enabled(self) -> bool:
        return bool(self.webhooks or self.sns_topic_arn)


def notify_settings(table: Any, where: str) -> NotifySettings:
    """The `[notify]` table; a webhook given as a plain URL is refused, its path never shown."""
    if not isinstance(table, Mapping):
        raise BadInput(f"{where}: [notify] must be a table")
    unknown = sorted(set(table) - {"webhooks", "sns_topic_arn"})
    if unknown:
        raise BadInput(f"{where}: unknown key [notify] {unknown[0]!r}")
    hooks = table.get("webhooks", [])
    if not isinstance(hooks, list) or not all(isinstance(h, str) for h in hooks):
        raise BadInput(f"{where}: [notify] webhooks must be a list of keyring:NAME or env:NAME")
    topic = table.get("sns_topic_arn", "")
    if not isinstance(topic, str) or (topic and not _TOPIC_ARN.match(topic)):
        raise BadInput(f"{where}: [notify] sns_topic_arn must be an SNS topic ARN")
    return NotifySettings(tuple(_reference(h, where) for h in hooks), topic)


def _reference(text: str, where: str) -> str:
    if text.startswith(KEYRING_PREFIX) and WEBHOOK_NAME.match(text.removeprefix(KEYRING_PREFIX)):
        return text
    if text.startswith(ENV_PREFIX) and _ENV_NAME.match(text.removeprefix(ENV_PREFIX)):
        return text
    try:
        host = urlparse(text).hostname
    except ValueError:
        host = None
    shown = f"the URL to {host}" if host else "an entry"
    raise BadInput(
        f"{where}: [notify] webhooks holds {shown} in plain text: a webhook URL is a secret;"
        " store it with `bgtui secrets set-webhook NAME` and write keyring:NAME"
        " (or env:VARIABLE)"
    )
