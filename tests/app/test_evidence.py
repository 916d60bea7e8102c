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
