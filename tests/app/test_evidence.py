"""`bgtui evidence` against the emulator: a promote's bundle verifies; any one-character edit fails.

The code digests are Lambda's CodeSha256 of each version (botocore's lambda service model:
ListVersionsByFunction answers FunctionConfiguration with CodeSha256).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgtui.app.service import ReleaseService
from bgtui.app.settings import Settings
from bgtui.app.wiring import build_service
from bgtui.cli.main import main
from tests.emulator_fixtures import DemoStack

FUNCTION = "payments-api"


@pytest.fixture
def released(demo_stack: DemoStack, tmp_path: Path) -> tuple[ReleaseService, Path]:
    settings = Settings(
        endpoint_url=demo_stack.endpoint_url,
        region=demo_stack.region,
        audit_path=tmp_path / "state" / "audit.jsonl",
        demo=True,
    )
    service = build_service(settings)
    ref = service.find(FUNCTION)
    service.smoke(ref)
    result = service.execute(service.prepare_promote(ref, reason="CHG-42 ship it"), FUNCTION)
    assert result.outcome.value == "ok", result
    bundle = tmp_path / "bundle"
    service.write_evidence(FUNCTION, 0, bundle)
    return service, bundle


def test_the_bundle_names_who_why_versions_gates_smoke_and_chain(
    released: tuple[ReleaseService, Path],
) -> None:
    service, bundle = released
    doc = json.loads((bundle / "release.json").read_text())
    assert doc["why"] == "CHG-42 ship it" and doc["outcome"] == "ok"
    assert doc["versions"]["to"] in doc["code_sha256"]
    assert all(len(sha) == 44 for sha in doc["code_sha256"].values())  # base64 of SHA-256
    assert doc["gates"] and doc["smoke"][0]["version"] == doc["versions"]["to"]
    assert doc["chain"][0]["action"] == "test"
    assert "CHG-42 ship it" in (bundle / "release.md").read_text()
    assert (bundle / "metrics.svg").read_text().startswith("<svg")
    assert service.verify_evidence(bundle) is None


@pytest.mark.parametrize(
    ("name", "needle", "expected"),
    [
        ("release.md", "CHG-42", "release.md line"),
        ("metrics.svg", "<title>", "metrics.svg line"),
        ("release.json", "CHG-42", "in release.json does not match its hash"),
        ("release.json", '"after', "release record digest"),
    ],
)
def test_a_one_character_edit_fails_verification(
    released: tuple[ReleaseService, Path], name: str, needle: str, expected: str
) -> None:
    service, bundle = released
    path = bundle / name
    text = path.read_text()
    at = text.index(needle) + len(needle) - 1
    path.write_text(text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1 :])
    found = service.verify_evidence(bundle)
    assert found is not None and expected in found, found


def test_the_cli_verifies_with_exit_0_and_names_a_difference_with_exit_1(
    released: tuple[ReleaseService, Path],
    demo_stack: DemoStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, bundle = released
    (tmp_path / "bgtui").mkdir(exist_ok=True)
    (tmp_path / "bgtui" / "emulator-audit.jsonl").write_bytes(
        (tmp_path / "state" / "audit.jsonl").read_bytes()
    )
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    args = ["--endpoint-url", demo_stack.endpoint_url, "--region", demo_stack.region]
    assert main([*args, "evidence", "--verify", str(bundle)]) == 0
    svg = bundle / "metrics.svg"
    svg.write_text(svg.read_text().replace("intent", "intenT", 1))
    assert main([*args, "evidence", "--verify", str(bundle)]) == 1
    assert "metrics.svg line" in capsys.readouterr().out
    assert main([*args, "evidence"]) == 2


def second_operator(demo_stack: DemoStack, tmp_path: Path) -> ReleaseService:
    """Another state directory: its own (empty) trail, the same account and log groups."""
    settings = Settings(
        endpoint_url=demo_stack.endpoint_url,
        region=demo_stack.region,
        audit_path=tmp_path / "elsewhere" / "audit.jsonl",
        demo=True,
    )
    return build_service(settings)


def test_another_state_directory_verifies_against_the_cloudwatch_logs_copy(
    released: tuple[ReleaseService, Path], demo_stack: DemoStack, tmp_path: Path
) -> None:
    writer, bundle = released
    check = second_operator(demo_stack, tmp_path).check_evidence(bundle)
    group = writer.find(FUNCTION).audit_log_group
    assert check.difference is None
    assert check.source == (
        f"the CloudWatch Logs copy ({group}, trail {writer.backend.audit_host})"
    )
    here = writer.check_evidence(bundle)
    assert here.difference is None and here.source.startswith("the audit trail here (")


def test_another_state_directory_names_the_first_difference(
    released: tuple[ReleaseService, Path], demo_stack: DemoStack, tmp_path: Path
) -> None:
    _, bundle = released
    path = bundle / "release.json"
    text = path.read_text()
    at = text.index('"after') + len('"after') - 1
    path.write_text(text[:at] + ("X" if text[at] != "X" else "Y") + text[at + 1 :])
    check = second_operator(demo_stack, tmp_path).check_evidence(bundle)
    assert check.source.startswith("the CloudWatch Logs copy (")
    assert check.difference == (
        "release.json differs from every release record digest in the CloudWatch Logs copy"
    )


def test_an_edited_copy_is_named_when_the_copy_is_the_source(
    released: tuple[ReleaseService, Path], demo_stack: DemoStack, tmp_path: Path
) -> None:
    writer, bundle = released
    logs = demo_stack.clients().logs
    group = writer.find(FUNCTION).audit_log_group
    events = logs.filter_log_events(logGroupName=group)["events"]
    first = json.loads((bundle / "release.json").read_text())["chain"][0]
    shipped = next(e for e in events if json.loads(e["message"])["hash"] == first["hash"])
    forged = json.loads(shipped["message"])
    forged["reason"] = "nothing to see here"
    logs.put_log_events(
        logGroupName=group,
        logStreamName=shipped["logStreamName"],
        logEvents=[{"timestamp": shipped["timestamp"], "message": json.dumps(forged)}],
    )
    check = second_operator(demo_stack, tmp_path).check_evidence(bundle)
    assert check.difference == (
        f"the copy's chain {writer.backend.audit_host} is broken: record {first['seq']} "
        "appears twice with different content (one copy was edited)"
    )


def test_the_cli_from_another_state_directory_says_which_source_it_checked(
    released: tuple[ReleaseService, Path],
    demo_stack: DemoStack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, bundle = released
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "carol"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    args = ["--endpoint-url", demo_stack.endpoint_url, "--region", demo_stack.region]
    assert main([*args, "evidence", "--verify", str(bundle)]) == 0
    said = capsys.readouterr().out
    assert "matches the CloudWatch Logs copy (/bgtui/audit/payments-api, trail " in said, said
    md = bundle / "release.md"
    md.write_text(md.read_text().replace("CHG-42", "CHG-43", 1))
    assert main([*args, "evidence", "--verify", str(bundle)]) == 1
    said = capsys.readouterr().out
    assert said.startswith("release record DOES NOT MATCH the bundle itself: release.md line")
