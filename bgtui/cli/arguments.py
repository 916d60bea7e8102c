"""Each command's arguments, defined without importing what the commands run: building the
parser stays cheap for every command, the console's start among them."""

from __future__ import annotations

import argparse
from pathlib import Path

from bgtui.core.logs import LOG_TARGETS

DEFAULT_SINCE = "15m"
IMPORTS_FILE = "adopt_imports.tf"
MODULE_FILE = "adopt_module.tf"


def secrets_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `secrets` actions to the `secrets` sub-command's parser."""
    actions = parser.add_subparsers(dest="secrets_action", metavar="ACTION", required=True)
    actions.add_parser("status", help="which keyring is used, whether it is locked, what it holds")
    actions.add_parser("init-audit-key", help="create the audit signing key unless there is one")
    set_aws = actions.add_parser(
        "set-aws",
        help="store a profile's AWS credentials (asked on a terminal, else JSON on stdin"
        " as printed by `aws configure export-credentials`)",
    )
    set_aws.add_argument("profile", metavar="PROFILE")
    set_webhook = actions.add_parser(
        "set-webhook",
        help='store a webhook URL for [notify] webhooks = ["keyring:NAME"]'
        " (asked on a terminal, else one line on stdin)",
    )
    set_webhook.add_argument("name", metavar="NAME")
    delete = actions.add_parser("delete", help="remove one entry (see status for the names)")
    delete.add_argument("name", metavar="NAME")
    process = actions.add_parser(
        "credential-process", help="print a profile's credentials for an AWS SDK"
    )
    process.add_argument("--profile", required=True)


def logs_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("function", metavar="FN")
    parser.add_argument(
        "--colour",
        default="live",
        type=log_target,
        metavar="|".join(LOG_TARGETS),
        help="whose logs: a colour, or the live one (default live)",
    )
    parser.add_argument(
        "--since", default=DEFAULT_SINCE, metavar="15m", help="how far back: 30s, 15m, 2h, 1d"
    )
    parser.add_argument("--follow", action="store_true", help="keep printing new events")
    parser.add_argument("--filter", default="", metavar="TEXT", help="only events with TEXT")
    parser.add_argument("--json", action="store_true", help="one JSON object a line")


def log_target(text: str) -> str:
    if text.strip().lower() not in LOG_TARGETS:
        raise argparse.ArgumentTypeError(f"colour must be blue, green or live, not {text!r}")
    return text.strip().lower()


def evidence_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("function", nargs="?", metavar="FN")
    parser.add_argument("--release", type=int, default=0, metavar="SEQ", help="a promote record")
    parser.add_argument("--out", type=Path, metavar="DIR", help="where to write the bundle")
    parser.add_argument("--verify", type=Path, metavar="DIR", help="check a bundle")


def approve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("function", metavar="FN")
    parser.add_argument("--reason", default="", metavar="T", help="why you approve")
    parser.add_argument("--yes", action="store_true", help="confirm without asking")


def adopt_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("function", metavar="FN")
    parser.add_argument("--api-id", default="", metavar="ID", help="the REST API serving FN")
    parser.add_argument("--reason", default="", metavar="T", help="reason or change ticket")
    parser.add_argument("--yes", action="store_true", help="confirm without asking")
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--prod-stage", default="prod", metavar="NAME")
    parser.add_argument("--test-stage", default="test", metavar="NAME")
    parser.add_argument("--environment", default="production", metavar="LABEL")
    parser.add_argument(
        "--terraform-out",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"also write the Terraform blocks to DIR/{IMPORTS_FILE} and DIR/{MODULE_FILE}",
    )
    parser.add_argument(
        "--zip-path",
        default="function.zip",
        metavar="PATH",
        help="the zip the module call names (it only seeds a new function; any zip will do)",
    )
