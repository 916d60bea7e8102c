"""Two `bgtui` processes, as two IAM users of the emulator: request → approve → promote.

Caller identity: STS GetCallerIdentity answers with the ARN of the IAM user whose access key
signed the request (botocore's sts service model, `GetCallerIdentityResponse.Arn`); Lambda's
UpdateAlias with a RevisionId that is not the alias's current one fails with
PreconditionFailedException (botocore lambda service model, UpdateAlias errors).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from tests.emulator_fixtures import DemoStack

FUNCTION = "payments-api"


def iam_user(stack: DemoStack, name: str) -> dict[str, str]:
    iam = boto3.client("iam", endpoint_url=stack.endpoint_url, region_name=stack.region)
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {
        "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
    }


@pytest.fixture
def people(demo_stack: DemoStack, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("[policy]\napprovals_required = 1\n")

    def as_user(name: str):
        keys = iam_user(demo_stack, name)
        home = tmp_path / name  # each person on a host of their own

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            env = {
                **os.environ,
                **keys,
                "XDG_STATE_HOME": str(home / "state"),
                "XDG_CONFIG_HOME": str(home / "config"),
            }
            command = [sys.executable, "-m", "bgtui", "--endpoint-url", demo_stack.endpoint_url]
            return subprocess.run(
                [*command, "--config", str(config), *args],
                env=env,
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
                timeout=120,
            )

        run.home = home  # type: ignore[attr-defined]
        return run

    return as_user


def deploy_and_test(run) -> None:
    done = run("deploy", FUNCTION, "--from-latest", "--reason", "CHG-1 build", "--yes")
    assert done.returncode == 0, done.stderr
    tested = run("test", FUNCTION)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def live_version(run) -> str:
    shown = run("status", FUNCTION, "--json")
    assert shown.returncode == 0, shown.stderr
    service = json.loads(shown.stdout)["services"][0]
    return str(service["live"]["version"])


def test_request_approve_promote_by_two_principals(people, demo_stack: DemoStack) -> None:
    alice, bob = people("alice"), people("bob")
    lam = boto3.client(
        "lambda", endpoint_url=demo_stack.endpoint_url, region_name=demo_stack.region
    )
    lam.update_function_configuration(FunctionName=FUNCTION, Description="build 2")
    deploy_and_test(alice)
    before = live_version(alice)

    asked = alice("promote", FUNCTION, "--reason", "CHG-2 release", "--yes")
    assert asked.returncode == 1
    assert "approval request by" in asked.stdout and "user/alice" in asked.stdout
    assert asked.stderr.count("\n") == 1 and "approved" in asked.stderr

    own = alice("approve", FUNCTION, "--reason", "looks fine", "--yes")
    assert own.returncode == 1
    assert own.stderr.count("\n") == 1 and "self-approval refused" in own.stderr

    approved = bob("approve", FUNCTION, "--reason", "reviewed CHG-2", "--yes")
    assert approved.returncode == 0, approved.stderr
    assert "who:   " in approved.stdout and "user/alice" in approved.stdout
    assert (
        "CHG-2 release" in approved.stdout
        and "approved by 123456789012:user/bob" in approved.stdout
    )

    promoted = alice("promote", FUNCTION, "--reason", "CHG-2 release", "--yes")
    assert promoted.returncode == 0, promoted.stderr
    assert live_version(alice) != before

    trail = alice.home / "state" / "bgtui" / "emulator-audit.jsonl"
    records = [json.loads(line) for line in trail.read_text().splitlines()]
    intent = [r for r in records if r["action"] == "promote" and r["phase"] == "intent"][-1]
    gate = next(g for g in intent["gates"] if g["gate"] == "approved")
    assert gate["result"] == "pass"
    assert "user/alice" in gate["detail"] and "user/bob" in gate["detail"]


def test_a_changed_version_kills_the_request(people) -> None:
    alice, bob = people("alice"), people("bob")
    deploy_and_test(alice)
    asked = alice("promote", FUNCTION, "--reason", "CHG-3", "--yes")
    assert asked.returncode == 1, asked.stderr
    done = bob("deploy", FUNCTION, "--version", "1", "--reason", "CHG-3 redo", "--yes")
    assert done.returncode == 0, done.stderr
    late = bob("approve", FUNCTION, "--reason", "ok", "--yes")
    assert late.returncode == 1
    assert late.stderr.count("\n") == 1 and "nothing to approve" in late.stderr


def test_either_may_promote_and_rollback_never_needs_approval(people) -> None:
    alice, bob = people("alice"), people("bob")
    deploy_and_test(alice)
    before = live_version(alice)
    assert alice("promote", FUNCTION, "--reason", "CHG-4", "--yes").returncode == 1
    assert bob("approve", FUNCTION, "--reason", "CHG-4 ok", "--yes").returncode == 0
    # Smoke results live in each host's trail: bob tests the idle colour himself.
    assert bob("test", FUNCTION).returncode == 0
    promoted = bob("promote", FUNCTION, "--reason", "CHG-4", "--yes")
    assert promoted.returncode == 0, promoted.stderr
    back = alice("rollback", FUNCTION, "--reason", "CHG-4 back", "--yes")
    assert back.returncode == 0, back.stderr
    assert live_version(alice) == before
    again = alice("promote", FUNCTION, "--reason", "CHG-4 again", "--yes")
    assert again.returncode == 1, "an approval is spent by the swap it allowed"
