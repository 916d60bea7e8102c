"""`bgtui secrets`: the keyring's status, the audit signing key and AWS credentials, headless."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TextIO

from bgtui.adapters.keyring.credential_store import (
    ENTRY_PREFIX,
    AwsCredentials,
    print_credential_process,
    save_aws_credentials,
)
from bgtui.adapters.keyring.passphrase import NO_PROMPT_ENV, unlock_for_command
from bgtui.adapters.keyring.secrets import (
    AUDIT_KEY,
    SecretStore,
    default_store,
    ensure_audit_signing_key,
)
from bgtui.app.notify_settings import WEBHOOK_ENTRY_PREFIX, WEBHOOK_NAME
from bgtui.core.errors import EXIT_OK, BadInput
from bgtui.core.notification import webhook_host

MAX_DOCUMENT_BYTES = 64 * 1024

Ask = Callable[[str], str]


@dataclass(frozen=True)
class SecretsRequest:
    """One `bgtui secrets` action and its operand."""

    action: str
    profile: str = ""
    """For `set-aws` and `credential-process`."""
    name: str = ""
    """For `delete`."""

    @classmethod
    def parsed(cls, args: argparse.Namespace) -> SecretsRequest:
        return cls(
            args.secrets_action, getattr(args, "profile", None) or "", getattr(args, "name", "")
        )


@dataclass
class Terminal:
    """Where a secrets action reads and writes; tests pass their own."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    ask_secret: Ask = getpass.getpass
    ask_visible: Ask = input

    @property
    def interactive(self) -> bool:
        return self.stdin.isatty() and not self.env.get(NO_PROMPT_ENV)

    def unlock(self, store: SecretStore) -> None:
        unlock_for_command(store, self.env, self.stdin, self.ask_secret)


def secrets(args: argparse.Namespace) -> int:
    return run(SecretsRequest.parsed(args))


def run(
    request: SecretsRequest, terminal: Terminal | None = None, store: SecretStore | None = None
) -> int:
    """Run the chosen `bgtui secrets` action; errors are raised as BgtuiError."""
    io = terminal or Terminal()
    chosen = store or default_store()
    if request.action == "credential-process":
        return print_credential_process(request.profile, io.out, io.err, chosen)
    actions = {
        "status": lambda: status(chosen, io),
        "init-audit-key": lambda: init_audit_key(chosen, io),
        "set-aws": lambda: set_aws(chosen, io, request.profile),
        "delete": lambda: delete(chosen, io, request.name),
        "set-webhook": lambda: set_webhook(chosen, io, request.name),
    }
    return actions[request.action]()


def status(store: SecretStore, io: Terminal) -> int:
    io.out.write(f"keyring: {store.description} ({_state(store)})\n")
    io.out.write(f"audit signing key: {'present' if store.has(AUDIT_KEY) else 'absent'}\n")
    names = store.names()
    if names is not None:
        profiles = [n.removeprefix(ENTRY_PREFIX) for n in names if n.startswith(ENTRY_PREFIX)]
        io.out.write(f"AWS credentials for profiles: {', '.join(profiles) or 'none'}\n")
    return EXIT_OK


def _state(store: SecretStore) -> str:
    if not store.initialised:
        return "not created yet: the first passphrase given creates it"
    return "locked" if store.locked else "unlocked"


def init_audit_key(store: SecretStore, io: Terminal) -> int:
    io.unlock(store)
    existed = store.has(AUDIT_KEY)
    ensure_audit_signing_key(store)
    verb = "already present in" if existed else "created in"
    io.out.write(f"audit signing key {verb} the {store.description}\n")
    return EXIT_OK


def set_aws(store: SecretStore, io: Terminal, profile: str) -> int:
    io.unlock(store)
    credentials = _asked_credentials(io) if io.interactive else _piped_credentials(io.stdin)
    save_aws_credentials(store, profile, credentials)
    io.out.write(f"AWS credentials for profile {profile!r} stored in the {store.description}\n")
    return EXIT_OK


def _asked_credentials(io: Terminal) -> AwsCredentials:
    return AwsCredentials(
        access_key_id=io.ask_visible("AWS access key id: ").strip(),
        secret_access_key=io.ask_secret("AWS secret access key: ").strip(),
        session_token=io.ask_secret("AWS session token (empty for none): ").strip() or None,
    )


def _piped_credentials(stdin: TextIO) -> AwsCredentials:
    text = stdin.read(MAX_DOCUMENT_BYTES + 1)
    if len(text) > MAX_DOCUMENT_BYTES:
        raise BadInput(f"the credentials document on stdin is larger than {MAX_DOCUMENT_BYTES}")
    try:
        document = json.loads(text)
    except ValueError:
        raise BadInput("stdin must hold the credentials as JSON (AccessKeyId, ...)") from None
    if not isinstance(document, dict):
        raise BadInput("stdin must hold a JSON object with AccessKeyId and SecretAccessKey")
    return AwsCredentials.from_document(document)


def set_webhook(store: SecretStore, io: Terminal, name: str) -> int:
    """Keep a webhook's URL in the keyring; only its host is ever shown."""
    if not WEBHOOK_NAME.match(name):
        raise BadInput(f"webhook name {name!r}: letters, digits, '.', '_' or '-', at most 64")
    io.unlock(store)
    if io.interactive:
        url = io.ask_secret("webhook URL (not shown): ")
    else:
        url = io.stdin.readline(MAX_DOCUMENT_BYTES)
    host = webhook_host(url.strip())
    store.set(WEBHOOK_ENTRY_PREFIX + name, url.strip())
    io.out.write(
        f"webhook {name!r} (to {host}) stored in the {store.description};"
        f' use it as webhooks = ["keyring:{name}"] in [notify]\n'
    )
    return EXIT_OK


def delete(store: SecretStore, io: Terminal, name: str) -> int:
    io.unlock(store)
    if not store.delete(name):
        raise BadInput(f"no entry named {name!r} in the {store.description}")
    io.out.write(f"deleted {name!r} from the {store.description}\n")
    return EXIT_OK
