"""Command lines built through python-terraform, without the defects of its runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgtui.adapters.terraform import command
from bgtui.core.errors import BadInput


def test_plan_streams_json_without_prompts_or_lock_waits() -> None:
    argv = command.plan_command("tf", Path("out.tfplan"), {"endpoint": "http://127.0.0.1:1"})
    assert argv == [
        "tf",
        "plan",
        "-json",
        "-input=false",
        "-lock-timeout=0s",
        "-out=out.tfplan",
        "-var=endpoint=http://127.0.0.1:1",
    ]


def test_a_destroy_plan_is_a_saved_plan_too() -> None:
    argv = command.plan_command("tf", Path("gone.tfplan"), destroy=True)
    assert argv[:2] == ["tf", "plan"] and "-destroy" in argv and "-out=gone.tfplan" in argv


def test_show_json_prints_the_saved_plan_as_one_document() -> None:
    argv = command.show_json_command("tf", Path("out.tfplan"))
    assert argv == ["tf", "show", "-json", "-no-color", "out.tfplan"]


def test_apply_takes_a_saved_plan_and_never_auto_approves() -> None:
    argv = command.apply_command("tf", Path("out.tfplan"))
    assert argv == ["tf", "apply", "-json", "-input=false", "out.tfplan"]
    assert "-auto-approve" not in " ".join(argv)


def test_init_without_backend() -> None:
    assert command.init_command("tf", backend=False) == [
        "tf",
        "init",
        "-input=false",
        "-no-color",
        "-backend=false",
    ]
    assert command.init_command("tf", upgrade=True)[-1] == "-upgrade"


def test_workspace_commands() -> None:
    assert command.workspace_list_command("tf") == ["tf", "workspace", "list"]
    assert command.workspace_select_command("tf", "prod", create=True) == [
        "tf",
        "workspace",
        "select",
        "-or-create",
        "prod",
    ]


def test_checks_commands() -> None:
    assert command.fmt_check_command("tf", Path("terraform")) == [
        "tf",
        "fmt",
        "-check",
        "-recursive",
        "terraform",
    ]
    assert command.validate_command("tf") == ["tf", "validate", "-no-color"]
    assert command.test_command("tf") == ["tf", "test", "-no-color"]


def test_building_a_command_reads_no_state(tmp_path: Path, monkeypatch) -> None:
    # python-terraform would parse ./terraform.tfstate; a broken one must not matter.
    (tmp_path / "terraform.tfstate").write_text("{broken", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert command.plan_command("tf")[:2] == ["tf", "plan"]


@pytest.mark.parametrize("name", ["", "a b", "../x", "-flag", "x" * 91])
def test_bad_workspace_names(name: str) -> None:
    with pytest.raises(BadInput):
        command.check_workspace_name(name)


def test_bad_variable_names() -> None:
    with pytest.raises(BadInput, match="not a terraform variable name"):
        command.variable_options({"1st": "x"})
