"""The acceptance run: one throwaway service taken through a whole release, then destroyed.

`make aws-check PROFILE=sandbox REGION=eu-west-1` applies terraform/examples/aws into a sandbox
account under a unique prefix, then drives bgtui as an operator would: deploy, test (the smoke
checks, the HTTP one included), promote, rollback. It checks that `terraform plan` has nothing
left to do, that CloudWatch lists the live alias's invocations with the ExecutedVersion
dimension, and destroys everything it created, whatever happened before.

`--endpoint-url URL` runs the same steps against a bgtui emulator (`bgtui emulator --empty`)
with terraform/examples/emulator; `make test` does that, so the script cannot rot unnoticed.

Exit status: 0 passed, 1 a step failed, 2 bad input (no explicit profile), 4 AWS error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgtui.adapters.aws.identity import StsIdentity
from bgtui.adapters.aws.session import AwsContext, make_clients
from bgtui.adapters.terraform.output import plan_accounts
from bgtui.app.settings import load_settings
from bgtui.app.terraform import TerraformRunner, make_runner
from bgtui.core.errors import EXIT_BAD_INPUT, EXIT_REFUSED, BgtuiError
from bgtui.core.models import Identity
from bgtui.core.plan import ApplyAccounts, PlanEvent, PlanLevel, PlanLine, PlanSummary
from bgtui.emulator.clients import FAKE_KEY

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "terraform" / "examples" / "emulator" / "src" / "app.py"
WORKSPACE = "check"
PLAN_FILE = "check.tfplan"
DESTROY_PLAN = "destroy.tfplan"
PREFIX = re.compile(r"^[a-z][a-z0-9-]{2,30}$")
LIVE_INVOCATIONS = 5
SMOKE_PATH = "/check"
CREATES = (
    "Lambda function {fn} (Python 3.12), its aliases blue, green and live, and the versions "
    "bgtui publishes",
    "REST API {fn} with stages prod and test, and the permissions to invoke the aliases",
    "CloudWatch alarms {fn}-*, dashboard {fn}, log groups /aws/lambda/{fn} and /bgtui/audit/{fn}",
    "IAM execution role of {fn}, and the operator and read-only policies of the service",
)


class CheckFailed(Exception):
    """A step of the acceptance run did not give the result a release needs."""


@dataclass(frozen=True)
class Target:
    """Where the run creates its service, and under which names."""

    region: str
    prefix: str
    profile: str | None = None
    endpoint_url: str | None = None

    @property
    def on_aws(self) -> bool:
        return self.endpoint_url is None

    @property
    def example(self) -> str:
        return "aws" if self.on_aws else "emulator"

    @property
    def function(self) -> str:
        # The AWS example names the function <service>-<workspace>; the emulator one takes it.
        return f"{self.prefix}-{WORKSPACE}"

    def bgtui_flags(self) -> list[str]:
        flags = ["--region", self.region]
        if self.profile:
            flags += ["--profile", self.profile]
        if self.endpoint_url:
            flags += ["--endpoint-url", self.endpoint_url]
        return flags


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="aws_check", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="AWS profile of the sandbox account (required on AWS)")
    parser.add_argument("--region", help="AWS region (required on AWS)")
    parser.add_argument("--endpoint-url", help="a bgtui emulator instead of AWS")
    parser.add_argument("--prefix", help="name prefix (default: bgtui-check-<random>)")
    parser.add_argument("--yes", action="store_true", help="do not ask before creating")
    parser.add_argument(
        "--metrics-wait", type=float, default=None, help="seconds to wait for CloudWatch"
    )
    return parser.parse_args(argv)


def target_from(args: argparse.Namespace) -> Target:
    if not args.endpoint_url and not args.profile:
        raise BadUse(
            "refused: name the sandbox account's profile with --profile (PROFILE=... for make); "
            "the shell's AWS_PROFILE or default credentials are never assumed"
        )
    if not args.endpoint_url and not args.region:
        raise BadUse("name the region with --region (REGION=... for make)")
    prefix = args.prefix or f"bgtui-check-{secrets.token_hex(3)}"
    if not PREFIX.match(prefix):
        raise BadUse(f"--prefix must be 3-31 lower-case letters, digits or '-', not {prefix!r}")
    return Target(args.region or "us-east-1", prefix, args.profile, args.endpoint_url)


class BadUse(Exception):
    """The run was asked for in a way it refuses; nothing was created."""


class LeftBehind(CheckFailed):
    """Destroying failed: resources and the state that knows them are left behind."""


STARTED = time.monotonic()


def say(text: str = "") -> None:
    print(text, flush=True)


def step(title: str) -> None:
    say(f"\n== {time.monotonic() - STARTED:5.0f} s  {title}")


def announce(target: Target, caller: Identity, scratch: Path) -> None:
    """Everything the run will create, before it creates anything."""
    where = f"account {caller.account} ({caller.arn})"
    say(f"bgtui acceptance run on {where}, region {target.region}")
    if not target.on_aws:
        say(f"against the emulator at {target.endpoint_url}")
    say(f"It creates, under the prefix {target.prefix}, then destroys:")
    for line in CREATES:
        say(f"  - {line.format(fn=target.function)}")
    say(f"terraform/examples/{target.example} is applied from a copy in {scratch}, state local.")


def confirm(target: Target, assume_yes: bool) -> None:
    if assume_yes or not target.on_aws:
        return
    if not sys.stdin.isatty():
        raise BadUse("refused: no terminal to confirm on; pass --yes (ARGS=--yes for make)")
    typed = input(f"Type {target.prefix} to create these resources (anything else stops): ")
    if typed.strip() != target.prefix:
        raise BadUse("stopped before anything was created")


def package(path: Path, release: str) -> Path:
    """The example handler, with a marker that makes each release a distinct code package."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(SOURCE, "app.py")
        archive.writestr("release.txt", f"{release}\n")
    return path


def prepare_root(target: Target, scratch: Path) -> Path:
    """A copy of terraform/ with the example root set up for this run."""
    tree = scratch / "terraform"
    shutil.copytree(
        REPO / "terraform", tree, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*")
    )
    root = tree / "examples" / target.example
    package(root / "seed.zip", f"{target.prefix} seed")
    if target.on_aws:
        # The example's S3 backend is for real environments; this run keeps its state here.
        (root / "acceptance_override.tf").write_text(
            'terraform {\n  backend "local" {}\n}\n', encoding="utf-8"
        )
        values: dict[str, Any] = {
            "service": target.prefix,
            "service_name": "bgtui acceptance run",
            "zip_path": "seed.zip",
        }
    else:
        service = {"display_name": "bgtui acceptance run", "zip_path": "seed.zip"}
        values = {"services": {target.function: service}}
    (root / "acceptance.auto.tfvars.json").write_text(json.dumps(values), encoding="utf-8")
    return root


def bgtui_config(target: Target, scratch: Path) -> Path:
    """bgtui's configuration for the run: its own audit trail and an HTTP smoke check."""
    path = scratch / "bgtui.toml"
    path.write_text(
        f'[audit]\npath = "{scratch / "audit.jsonl"}"\n\n'
        f'[[service]]\nfunction = "{target.function}"\n\n'
        f'[[service.smoke]]\nname = "http"\nhttp_path = "{SMOKE_PATH}"\nexpect = "ok"\n',
        encoding="utf-8",
    )
    return path


class Terraform:
    """terraform in the example root, with the environment bgtui gives every terraform run."""

    def __init__(self, target: Target, root: Path, config: Path) -> None:
        settings = load_settings(
            config, profile=target.profile, region=target.region, endpoint_url=target.endpoint_url
        )
        self.target = target
        self.runner: TerraformRunner = make_runner(settings, root)
        self.applied = False
        """True from the moment an apply starts: from then on there may be things to destroy."""
        self.left_behind = False

    def run(self, title: str, events: AsyncIterator[PlanEvent]) -> PlanSummary | None:
        step(title)
        return asyncio.run(_echo(events))

    def create(self, caller: Identity) -> None:
        runner = self.runner
        self.run("terraform init", runner.init())
        if self.target.on_aws:
            asyncio.run(runner.select_workspace(WORKSPACE, create=True))
        summary = self.run("terraform plan", runner.plan(out=PLAN_FILE))
        document = asyncio.run(runner.plan_document(PLAN_FILE))
        accounts = ApplyAccounts(plan_accounts(document), caller)
        for line in accounts.lines:
            say(line)
        if accounts.refusal:
            raise CheckFailed(f"terraform apply refused: {accounts.refusal}")
        addresses = created(document)
        say(f"creates {len(addresses)} resources: {', '.join(addresses)}")
        if summary is None or summary.add == 0:
            raise CheckFailed("the plan creates nothing: is the prefix already in use?")
        self.applied = True
        self.run("terraform apply", runner.apply(PLAN_FILE, confirmed=True))

    def plan_is_clean(self) -> None:
        """`terraform plan -detailed-exitcode`: 0 means nothing to change, 2 means changes."""
        step("terraform plan after the release (-detailed-exitcode)")
        argv = [self.runner.binary, "plan", "-detailed-exitcode", "-input=false", "-no-color"]
        argv += [f"-var={name}={value}" for name, value in self.runner.variables.items()]
        done = subprocess.run(
            argv,
            cwd=self.runner.working_dir,
            env=self.runner.environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        tail = (done.stdout + done.stderr).strip().splitlines()[-12:]
        for line in tail:
            say(f"  | {line}")
        if done.returncode != 0:
            raise CheckFailed(f"terraform plan exited {done.returncode}: 0 means no changes")

    def destroy(self) -> None:
        """Destroy what was created; when that fails, say how to finish it by hand."""
        runner = self.runner
        try:
            self.run("terraform plan -destroy", runner.plan(out=DESTROY_PLAN, destroy=True))
            self.run("terraform apply (destroy)", runner.apply(DESTROY_PLAN, confirmed=True))
        except BgtuiError as error:
            self.left_behind = True
            say(f"aws-check: DESTROY FAILED: {error}")
            variables = " ".join(f"-var={k}={v}" for k, v in runner.variables.items())
            config = runner.environment["TF_CLI_CONFIG_FILE"]
            say("finish it by hand, with the profile and region of this run:")
            say(f"  cd {runner.working_dir}")
            say(f"  TF_CLI_CONFIG_FILE={config} terraform destroy {variables}")


def created(document: dict[str, Any]) -> list[str]:
    """The addresses the plan creates, inside the service module."""
    changes = document.get("resource_changes") or ()
    return [
        re.sub(r'^module\.service(\["[^"]*"\])?\.', "", change["address"])
        for change in changes
        if "create" in change.get("change", {}).get("actions", ())
    ]


async def _echo(events: AsyncIterator[PlanEvent]) -> PlanSummary | None:
    summary = None
    async with aclosing(events) as stream:  # type: ignore[type-var]
        async for event in stream:
            if isinstance(event, PlanSummary):
                summary = event
                say(f"  {event.text}")
            elif isinstance(event, PlanLine) and event.text.strip():
                mark = "" if event.level is PlanLevel.INFO else f"{event.level.value}: "
                say(f"  | {mark}{event.text}")
    return summary


class Operator:
    """bgtui's own command line, run as a separate process as an operator would run it."""

    def __init__(self, target: Target, config: Path) -> None:
        self.argv = [sys.executable, "-m", "bgtui", "--config", str(config), *target.bgtui_flags()]
        self.function = target.function

    def run(self, *args: str, echo: bool = True) -> str:
        step(f"bgtui {' '.join(args)}")
        done = subprocess.run(
            [*self.argv, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        shown = (done.stdout if echo or done.returncode else "") + done.stderr
        for line in shown.rstrip().splitlines():
            say(f"  | {line}")
        if done.returncode != 0:
            raise CheckFailed(f"bgtui {args[0]} exited {done.returncode}")
        return done.stdout

    def live(self) -> tuple[str, str]:
        """The live colour and version, as `bgtui status --json` reports them."""
        service = json.loads(self.run("status", self.function, "--json", echo=False))
        live = service["services"][0]["live"]
        say(f"  live: {live['colour']} v{live['version']}")
        return live["colour"], live["version"]

    def release(self, release_zip: Path) -> list[str]:
        """Deploy, test, promote, rollback; return the versions that were live."""
        reason = "acceptance run of bgtui"
        self.run("deploy", self.function, "--zip", str(release_zip), "--reason", reason, "--yes")
        report = json.loads(self.run("test", self.function, "--json"))
        if not report.get("passed"):
            raise CheckFailed("the smoke checks of the deployed version did not pass")
        first = self.live()
        self.run("promote", self.function, "--reason", reason, "--yes")
        promoted = self.live()
        if promoted == first or promoted[1] != report["version"]:
            raise CheckFailed(f"promote left live at {promoted}, not on v{report['version']}")
        return [first[1], promoted[1]]

    def roll_back(self, expected: str) -> None:
        self.run("rollback", self.function, "--reason", "acceptance run of bgtui", "--yes")
        colour, version = self.live()
        if version != expected:
            raise CheckFailed(f"rollback left live on {colour} v{version}, not v{expected}")


def invoke_live(aws: AwsContext, function: str, version: str) -> None:
    """Production traffic: invocations of the live alias, each answered by `version`."""
    say(f"invoking {function}:live {LIVE_INVOCATIONS} times")
    for _ in range(LIVE_INVOCATIONS):
        answer = aws.client("lambda").invoke(
            FunctionName=function, Qualifier="live", Payload=b'{"bluegreen": "acceptance"}'
        )
        answer["Payload"].read()
        executed = answer.get("ExecutedVersion")
        if answer.get("FunctionError") or executed != version:
            raise CheckFailed(f"live answered from v{executed} with {answer.get('FunctionError')}")


def executed_versions_listed(aws: AwsContext, function: str, wait_s: float) -> set[str]:
    """The ExecutedVersion values CloudWatch lists for invocations through the live alias."""
    step(f"aws cloudwatch list-metrics: Invocations of {function}:live (up to {wait_s:.0f} s)")
    deadline = time.monotonic() + wait_s
    while True:
        found = _executed_versions(aws, function)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(min(30.0, max(1.0, wait_s / 20)))


def _executed_versions(aws: AwsContext, function: str) -> set[str]:
    pages = (
        aws.client("cloudwatch")
        .get_paginator("list_metrics")
        .paginate(
            Namespace="AWS/Lambda",
            MetricName="Invocations",
            Dimensions=[{"Name": "FunctionName", "Value": function}],
        )
    )
    found = set()
    for page in pages:
        for metric in page["Metrics"]:
            dims = {d["Name"]: d["Value"] for d in metric["Dimensions"]}
            if dims.get("Resource") == f"{function}:live" and "ExecutedVersion" in dims:
                found.add(dims["ExecutedVersion"])
    return found


def run(target: Target, scratch: Path, assume_yes: bool, metrics_wait: float) -> None:
    """Create, release, check, and destroy whatever was created."""
    aws = make_clients(target.profile, target.region, target.endpoint_url)
    caller = StsIdentity(aws).whoami()
    announce(target, caller, scratch)
    confirm(target, assume_yes)
    root = prepare_root(target, scratch)
    config = bgtui_config(target, scratch)
    terraform = Terraform(target, root, config)
    failure: CheckFailed | BgtuiError | None = None
    try:
        terraform.create(caller)
        live_versions = release(target, Operator(target, config), aws, scratch)
        terraform.plan_is_clean()
        metrics_name_versions(aws, target.function, live_versions, metrics_wait)
    except (CheckFailed, BgtuiError) as error:
        failure = error
    finally:
        if terraform.applied:
            terraform.destroy()
    if terraform.left_behind:
        happened = f"{failure}; then " if failure else ""
        raise LeftBehind(f"{happened}destroying what the run created failed")
    if failure is not None:
        raise failure


def release(target: Target, operator: Operator, aws: AwsContext, scratch: Path) -> set[str]:
    """A release through bgtui with production traffic on each live version; those versions."""
    before, promoted = operator.release(package(scratch / "release.zip", target.prefix))
    invoke_live(aws, target.function, promoted)
    operator.roll_back(before)
    invoke_live(aws, target.function, before)
    return {before, promoted}


def metrics_name_versions(aws: AwsContext, function: str, versions: set[str], wait: float) -> None:
    listed = executed_versions_listed(aws, function, wait)
    if not listed & versions:
        raise CheckFailed("CloudWatch lists no live invocations with the ExecutedVersion dimension")
    say(f"ExecutedVersion listed for the live alias: {', '.join(sorted(listed))}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        target = target_from(args)
    except BadUse as error:
        print(f"aws-check: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not target.on_aws and not os.environ.get("AWS_ACCESS_KEY_ID") and not target.profile:
        # The emulator accepts its published fake keys; a real profile never reaches it.
        os.environ.update(AWS_ACCESS_KEY_ID=FAKE_KEY, AWS_SECRET_ACCESS_KEY=FAKE_KEY)
    wait = args.metrics_wait if args.metrics_wait is not None else (1200 if target.on_aws else 120)
    scratch = Path(tempfile.mkdtemp(prefix=f"bgtui-aws-check-{target.prefix}-"))
    keep = False
    try:
        run(target, scratch, args.yes, wait)
    except BadUse as error:
        print(f"aws-check: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LeftBehind as error:
        keep = True
        print(f"aws-check: FAILED: {error}; its state is kept in {scratch}", file=sys.stderr)
        return EXIT_REFUSED
    except (CheckFailed, BgtuiError) as error:
        code = error.exit_code if isinstance(error, BgtuiError) else EXIT_REFUSED
        print(f"aws-check: FAILED: {error}", file=sys.stderr)
        return code
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
    say(f"\naws-check: PASSED on {target.function}; everything it created was destroyed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
