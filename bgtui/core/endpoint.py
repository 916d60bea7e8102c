"""Whether an endpoint override is AWS itself or something standing in for it (an emulator)."""

from __future__ import annotations

from urllib.parse import urlparse

from bgtui.core.audit_record import AuditRecord

AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


def is_emulated(endpoint_url: str | None) -> bool:
    """An endpoint override that is not AWS itself: an emulator, or a proxy in front of one."""
    if not endpoint_url:
        return False
    return not (urlparse(endpoint_url).hostname or "").endswith(AWS_DOMAINS)


def account_label(record: AuditRecord) -> str:
    """The record's account, marked when the record was made against an emulator."""
    account = record.account or "?"
    return f"{account} (emulator)" if is_emulated(record.endpoint) else account
