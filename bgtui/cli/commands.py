"""The headless commands: status, deploy, test, promote, rollback, audit, plan, emulator, demo."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TextIO

from bgtui.app.settings import Settings, load_settings
from bgtui.app.wiring import Backend, build_backend
from bgtui.cli import render
from bgtui.core.audit import Record
from bgtui.core.change import Change, DeploySource
from bgtui.core.errors import EXIT_OK, EXIT_REFUSED, BadInput, BgtuiError, Refused
from bgtui.core.models import Colour
from bgtui.core.plain_text import printable

MAX_ZIP_BYTES = 50 * 1024 * 1024


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(
        getattr(args, "config", None),
        profile=getattr(args, "profile", None),
        region=getattr(args, "region", None),
        endpoint_url=getattr(args, "endpoint_url", None),
        read_only=getattr(args, "read_only", False),
    )


def dispatch(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "status": status,
        "deploy": deploy,
        "test": smoke_test,
        "promote": promote,
        "rollback": rollback,
        "watch": watch,
        "audit": audit,
        "emulator": emulator,
        "demo": demo,
        "plan": plan,
        "secrets": secrets,
    }
    return handlers.get(args.command or "console", console)(args)


def _backend(args: argparse.Namespace, console: bool = False) -> Backend:
    from bgtui.adapters.keyring.audit_key import AuditKey
    from bgtui.adapters.keyring.passphrase import unlock_for_command

    settings = settings_from(args)
    # The keyring is asked at the first audit write, not on the way to the first frame. A
    # command may ask for its passphrase on the terminal; the console asks in a modal.
    key = AuditKey() if console else AuditKey(unlock_locked=unlock_for_command)
    return build_backend(settings, audit_key=key)


def status(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    backend = _backend(args)
    refs = [backend.catalog.find(args.function)] if args.function else backend.catalog.discover()
    states = backend.catalog.read_many(refs)
    errors = [s for s in states if isinstance(s, BgtuiError)]
    if args.function and errors:
        raise errors[0]  # the one service asked for could not be read: that is the answer
    for state in states:
        if not isinstance(state, BgtuiError):
            _report_settled(backend.operations.reconcile(state))
    if args.json:
        out.write(json.dumps(render.status_document(states), indent=2) + "\n")
    else:
        out.write(render.status_table(states))
    return errors[0].exit_code if errors else EXIT_OK


def _report_settled(settled: list[Record]) -> None:
    """Tell the operator what became of operations whose outcome had been unknown."""
    for record in settled:
        verdict = render.SETTLED.get(record.get("applied"), render.SETTLED[None])
        sys.stderr.write(
            f"bgtui: {printable(record['function'])}: the operation in audit record "
            f"{record['reconciles']} had an unknown outcome: {verdict}\n"
        )


def deploy(args: argparse.Namespace) -> int:
    backend = _backend(args)
    ref = backend.catalog.find(args.function)
    change = backend.operations.prepare_deploy(ref, _deploy_source(args), args.reason)
    return _confirm_and_run(backend, change, args)


def _deploy_source(args: argparse.Namespace) -> DeploySource:
    if args.zip is not None:
        path = args.zip
        if not path.is_file():
            raise BadInput(f"--zip {path}: no such file")
        data = path.read_bytes()
        if not data.startswith(b"PK") or len(data) > MAX_ZIP_BYTES:
            raise BadInput(f"--zip {path}: not a zip file of at most 50 MiB")
        return DeploySource.from_zip(path.name, data)
    if args.from_latest:
        return DeploySource.from_latest()
    version = str(args.deploy_version).strip()
    if not version.isdigit():
        raise BadInput(f"--version must be a published version number, not {version!r}")
    return DeploySource.existing(version)


def promote(args: argparse.Namespace) -> int:
    backend = _backend(args)
    ref = backend.catalog.find(args.function)
    to = Colour(args.to) if args.to else None
    overrides = _overrides(args)
    change = backend.operations.prepare_promote(ref, to, args.reason, overrides)
    if getattr(args, "watch", None) is not None:
        from bgtui.cli import watch as watching

        return watching.promote_and_watch(backend, change, args, _confirm_and_run)
    return _confirm_and_run(backend, change, args)


def watch(args: argparse.Namespace) -> int:
    from bgtui.cli import watch as watching

    return watching.watch_command(args, _backend(args))


def rollback(args: argparse.Namespace) -> int:
    backend = _backend(args)
    ref = backend.catalog.find(args.function)
    from_colour = Colour(args.from_colour) if args.from_colour else None
    change = backend.operations.prepare_rollback(ref, from_colour, args.reason)
    return _confirm_and_run(backend, change, args)


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    if args.override and not args.reason.strip():
        raise BadInput("--override needs --reason: the reason is recorded with the override")
    return {gate: args.reason for gate in args.override}


def _confirm_and_run(
    backend: Backend, change: Change, args: argparse.Namespace, out: TextIO | None = None
) -> int:
    out = out or sys.stdout
    out.write(render.change_text(change))
    out.flush()
    if not args.yes and not change.blocked and not sys.stdin.isatty():
        try:
            backend.operations.execute(change, "")  # refused and recorded: nothing to confirm on
        except Refused:
            raise Refused(
                f"{change.action.value} needs confirmation and there is no terminal: "
                "pass --yes to confirm non-interactively"
            ) from None
    typed = _ask(change, args.yes)
    result = backend.operations.execute(change, typed)
    out.write(render.result_text(result))
    return EXIT_OK


def _ask(change: Change, assume_yes: bool) -> str:
    if assume_yes:
        return change.confirmation_text
    if change.blocked:
        return ""  # execute refuses and records which gate failed
    expected = printable(repr(change.confirmation_text))
    prompt = f"Type {expected} to {change.action.value} (anything else cancels): "
    try:
        return input(prompt)
    except EOFError:
        return ""


def smoke_test(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    backend = _backend(args)
    report = backend.operations.run_smoke(backend.catalog.find(args.function))
    if args.json:
        doc = {
            "function": report.state.ref.function,
            "colour": report.colour.value,
            "version": report.version,
            "passed": report.passed,
            "results": [r.as_dict() for r in report.results],
            "warnings": list(report.warnings),
        }
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        out.write(render.smoke_text(report))
    return EXIT_OK if report.passed else EXIT_REFUSED


def audit(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    from bgtui.adapters.keyring.secrets import audit_signing_key
    from bgtui.core.audit import AuditTrail

    settings = settings_from(args)
    trail = AuditTrail(settings.audit_path, signing_key=audit_signing_key())
    if args.verify:
        report = trail.verify()
        if args.json:
            doc = {"ok": report.ok, "records": report.records, "problems": report.problems}
            out.write(json.dumps(doc, indent=2) + "\n")
        else:
            out.write(printable(report.summary()) + "\n")
        return EXIT_OK if report.ok else EXIT_REFUSED
    records = [
        r for r in trail.records() if not args.function or r.get("function") == args.function
    ]
    if args.json:
        out.write(json.dumps(records, indent=2) + "\n")
    else:
        out.write(render.audit_table(records))
    return EXIT_OK


def emulator(args: argparse.Namespace) -> int:
    from bgtui.demo.standalone import run_standalone

    region = getattr(args, "region", None) or "us-east-1"
    return run_standalone(args.port, args.empty, region)


def demo(args: argparse.Namespace) -> int:
    from bgtui.demo.runner import run_demo

    return run_demo(args)


def console(args: argparse.Namespace) -> int:
    from bgtui.ui.app import make_app

    backend = _backend(args, console=True)
    app = make_app(backend)
    app.run()
    return int(app.return_code or 0)


def secrets(args: argparse.Namespace) -> int:
    from bgtui.cli import secrets as secrets_command

    return secrets_command.run(args)


def plan(args: argparse.Namespace) -> int:
    from bgtui.cli.plan import run_plan

    return run_plan(args, settings_from(args))
