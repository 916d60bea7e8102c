"""The CLI and the console go through one application layer: the same rules, messages, shapes."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import bgtui.cli
from bgtui.app.service import ReleaseService
from bgtui.app.shapes import smoke_document, status_document
from bgtui.cli.main import main
from bgtui.core.errors import EXIT_BAD_INPUT
from bgtui.ui.app import BgtuiApp
from tests.ui.fake_backend import NOW, MetricsFakeAws, demo_aws, fake_backend
from tests.ui.helpers import fill, notifications, settle

CLI = Path(bgtui.cli.__file__).parent
SHAPES = "bgtui.app.shapes"


@pytest.fixture
def aws() -> MetricsFakeAws:
    return demo_aws()


@pytest.fixture
def service(aws: MetricsFakeAws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReleaseService:
    """The service every CLI command is handed, over the in-memory AWS fake."""
    built = ReleaseService(fake_backend(aws, tmp_path))
    for module in ("status", "changes", "smoke"):
        monkeypatch.setattr(f"bgtui.cli.{module}.service_for", lambda *_a, **_k: built)
    return built


def shape_functions(tree: ast.Module) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == SHAPES
        for alias in node.names
    }


def test_every_json_document_the_cli_prints_is_built_in_app_shapes() -> None:
    """A `json.dumps` in a command must print a document from bgtui.app.shapes: the status
    and smoke documents were once built in two places and drifted."""
    dumps = 0
    for path in CLI.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        shapes = shape_functions(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "json.dumps"):
                continue
            dumps += 1
            document = node.args[0]
            built_by = ast.unparse(document.func) if isinstance(document, ast.Call) else ""
            assert built_by in shapes, f"{path.name}:{node.lineno} prints {ast.unparse(document)}"
    assert dumps >= 4  # status, test, audit and audit --verify


def test_status_json_is_the_document_the_service_reads(
    service: ReleaseService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == status_document(service.status().read)
    assert [s["function"] for s in printed["services"]] == ["ledger-writer", "payments-api"]


def test_smoke_json_is_the_document_the_service_reports(
    service: ReleaseService, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", "payments-api", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = smoke_document(service.smoke(service.find("payments-api")))
    assert {k: v for k, v in printed.items() if k != "results"} == {
        k: v for k, v in expected.items() if k != "results"
    }
    # Durations differ from run to run; everything else is the same document.
    assert [{**r, "ms": 0} for r in printed["results"]] == [
        {**r, "ms": 0} for r in expected["results"]
    ]
    assert printed["results"], "the service has smoke checks to run"


async def test_a_file_that_is_not_a_zip_is_refused_alike_by_both_front_ends(
    service: ReleaseService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI checked two bytes and the console `zipfile.is_zipfile`, with other messages."""
    fake = tmp_path / "release.zip"
    fake.write_bytes(b"PK but not an archive")
    code = main(["deploy", "payments-api", "--zip", str(fake), "--reason", "CHG-1", "--yes"])
    cli_error = capsys.readouterr().err.strip()
    assert code == EXIT_BAD_INPUT
    assert cli_error.startswith("bgtui: bad input: ")
    app = BgtuiApp(service.backend, demo=True, clock=lambda: NOW, refresh_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.click("#src-zip")
        await fill(pilot, "#zip-path", str(fake))
        await fill(pilot, "#reason", "CHG-1")
        await pilot.click("#confirm")
        await settle(pilot)
        console_errors = [n for n in notifications(app) if n.startswith("Bad input: ")]
    assert [n.removeprefix("Bad input: ") for n in console_errors] == [
        cli_error.removeprefix("bgtui: bad input: ")
    ]
    assert f"zip file {fake} is not a zip archive" in cli_error
