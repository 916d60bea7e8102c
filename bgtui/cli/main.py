"""Command-line entry point: arguments → settings → adapters → a command or the console."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from bgtui import __version__
from bgtui.cli import arguments
from bgtui.core.errors import EXIT_BAD_INPUT, BadInput, BgtuiError
from bgtui.core.plain_text import printable


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"bgtui: bad input: {printable(message)} (see bgtui --help)\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _globals(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("global options")
    group.add_argument("--profile", default=default, help="AWS profile")
    group.add_argument("--region", default=default, help="AWS region")
    group.add_argument("--endpoint-url", default=default, help="endpoint for every AWS service")
    group.add_argument("--config", type=Path, default=default, help="configuration file")
    group.add_argument(
        "--context", default=default, metavar="NAME", help="a [[context]] of the configuration"
    )
    group.add_argument(
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="refuse every mutation",
    )


def build_parser() -> Parser:
    parser = Parser(prog="bgtui", description="Blue/green releases of AWS Lambda functions.")
    parser.add_argument("--version", action="version", version=f"bgtui {__version__}")
    _globals(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", parser_class=Parser)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        child = sub.add_parser(name, help=text, description=text)
        _globals(child, suppress=True)
        return child

    demo = command("demo", "the console against the embedded emulator with the demo stack")
    demo.add_argument(
        "--scenario", choices=("bad-release", "clean-release", "auto-rollback"), default=None
    )
    demo.add_argument("--speed", type=float, default=None, help="scenario clock speed-up")
    demo.add_argument(
        "--provision",
        choices=("boto3", "terraform", "auto"),
        default="boto3",
        help="how to create the demo stack: through the APIs (boto3, seconds) or terraform "
        "(tens of seconds; auto: terraform when it and its provider are here)",
    )
    emulator = command("emulator", "run the embedded emulator alone until Ctrl-C")
    emulator.add_argument("--port", type=_port, default=4599)
    emulator.add_argument("--empty", action="store_true", help="do not provision the demo stack")
    status = command("status", "services, versions, colours, live pointer, health")
    status.add_argument("function", nargs="?", metavar="FN")
    status.add_argument("--json", action="store_true")
    deploy = command("deploy", "deploy a version to the idle colour")
    deploy.add_argument("function", metavar="FN")
    source = deploy.add_mutually_exclusive_group(required=True)
    source.add_argument("--zip", type=Path, metavar="PATH")
    source.add_argument("--from-latest", action="store_true")
    source.add_argument("--version", dest="deploy_version", metavar="N")
    _mutation_options(deploy)
    test = command("test", "smoke checks against the idle colour")
    test.add_argument("function", metavar="FN")
    test.add_argument("--json", action="store_true")
    promote = command("promote", "swap live to the idle colour")
    promote.add_argument("function", metavar="FN")
    promote.add_argument("--to", type=_colour, metavar="blue|green")
    promote.add_argument(
        "--watch",
        nargs="?",
        const="",
        default=None,
        metavar="DURATION",
        help="after the swap, watch production (10m, 1h; default [watch] minutes) and roll back "
        "on a breach: exit 0 when the window passes, 1 when it rolled back",
    )
    _mutation_options(promote)
    watch = command("watch", "attach to the running watch window of a service")
    watch.add_argument("function", metavar="FN")
    rollback = command("rollback", "swap live back to the previous version")
    rollback.add_argument("function", metavar="FN")
    rollback.add_argument("--from", dest="from_colour", type=_colour, metavar="blue|green")
    _mutation_options(rollback)
    plan = command("plan", "stream a terraform plan")
    plan.add_argument("--workspace", metavar="W")
    plan.add_argument("--dir", dest="terraform_dir", metavar="PATH")
    plan.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    audit = command("audit", "show or verify the audit trail")
    audit.add_argument("--verify", action="store_true")
    audit.add_argument("--json", action="store_true")
    audit.add_argument("--function", metavar="FN")
    audit.add_argument(
        "--team", action="store_true", help="every operator's records, from the audit log groups"
    )
    audit.add_argument("--since", default="24h", metavar="24h", help="with --team: how far back")
    arguments.secrets_arguments(
        command("secrets", "the keyring: status, audit key, AWS credentials")
    )
    arguments.logs_arguments(command("logs", "one colour's Lambda logs, read back or followed"))
    arguments.evidence_arguments(command("evidence", "a promote's release record, or verify one"))
    arguments.approve_arguments(command("approve", "approve another principal's promote request"))
    arguments.adopt_arguments(command("adopt", "bring an existing function into blue/green"))
    return parser


def _mutation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reason", default="", metavar="T", help="reason or change ticket")
    parser.add_argument("--yes", action="store_true", help="confirm without asking")
    parser.add_argument(
        "--override",
        action="append",
        default=[],
        metavar="GATE",
        help="override a failed gate (the reason is recorded)",
    )


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"port must be a number from 0 to 65535, not {text!r}")
    return int(text)


def _colour(text: str) -> str:
    if text.strip().lower() not in ("blue", "green"):
        raise argparse.ArgumentTypeError(f"colour must be blue or green, not {text!r}")
    return text.strip().lower()


COMMANDS = {
    None: ("console", "console"),
    "status": ("status", "status"),
    "deploy": ("changes", "deploy"),
    "promote": ("changes", "promote"),
    "rollback": ("changes", "rollback"),
    "watch": ("watch", "watch"),
    "test": ("smoke", "smoke_test"),
    "audit": ("audit", "audit"),
    "plan": ("plan", "plan"),
    "secrets": ("secrets", "secrets"),
    "logs": ("logs", "logs"),
    "evidence": ("evidence", "evidence"),
    "approve": ("approve", "approve"),
    "adopt": ("adopt", "adopt"),
    "emulator": ("emulator", "emulator"),
    "demo": ("demo", "demo"),
}
"""Each command's module in bgtui.cli and its function; imported only when that command runs."""


def handler(command: str | None) -> Callable[[argparse.Namespace], int]:
    module, function = COMMANDS[command]
    found: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(f"bgtui.cli.{module}"), function
    )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as exit_:
            return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
        # The demo's module loads no AWS SDK first: its emulator process starts as early as it can.
        return handler(args.command)(args)
    except BgtuiError as error:
        # Error messages quote names and answers from AWS: never an escape sequence to obey.
        sys.stderr.write(f"bgtui: {error.title.lower()}: {printable(error)}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("bgtui: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:
        sys.stderr.write(f"bgtui: bad input: {printable(BadInput(str(error)))}\n")
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - an operator gets one line, never a traceback
        sys.stderr.write(f"bgtui: internal error: {type(error).__name__}: {printable(error)}\n")
        return 1


def run() -> None:
    raise SystemExit(main())
