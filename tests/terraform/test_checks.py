"""`make terraform-check`: each step reported, any failure fatal, a clear skip without terraform."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tools import terraform_checks

TINY_MODULE = """\
variable "name" {
  type = string
}

output "greeting" {
  value = "hello ${var.name}"
}
"""
TINY_TEST = """\
variables {
  name = "bgtui"
}

run "greets" {
  command = plan
  assert {
    condition     = output.greeting == "hello bgtui"
    error_message = "wrong greeting"
  }
}
"""


def tiny_tree(root: Path, example: str) -> Path:
    module = root / "modules" / "greeter"
    (module / "tests").mkdir(parents=True)
    (module / "main.tf").write_text(TINY_MODULE, encoding="utf-8")
    (module / "tests" / "greet.tftest.hcl").write_text(TINY_TEST, encoding="utf-8")
    (root / "examples" / "hello").mkdir(parents=True)
    (root / "examples" / "hello" / "main.tf").write_text(example, encoding="utf-8")
    return root


GOOD_EXAMPLE = textwrap.dedent("""\
    module "greeter" {
      source = "../../modules/greeter"
      name   = "operator"
    }
    """)


def test_without_terraform_the_checks_are_skipped_off_ci(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(terraform_checks.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    assert terraform_checks.main([]) == 0
    assert capsys.readouterr().out.strip() == "skipped: terraform not found"


def test_without_terraform_the_checks_fail_on_ci(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(terraform_checks.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    assert terraform_checks.main([]) == 1
    assert "terraform not found" in capsys.readouterr().out


def test_the_steps_cover_fmt_and_every_root(tmp_path: Path) -> None:
    tree = tiny_tree(tmp_path, GOOD_EXAMPLE)
    titles = [[s.title for s in seq] for seq in terraform_checks.sequences("tf", tree)]
    assert titles == [
        ["fmt -check -recursive"],
        ["init modules/greeter", "validate modules/greeter", "test modules/greeter"],
        ["init examples/hello", "validate examples/hello"],
    ]


@pytest.mark.terraform
def test_a_clean_tree_passes(
    tmp_path: Path, terraform_binary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tiny_tree(tmp_path / "terraform", GOOD_EXAMPLE)
    assert terraform_checks.main(["--tree", str(tree)]) == 0
    out = capsys.readouterr().out
    assert "ok " in out and "terraform test modules/greeter" in out
    assert not (tree / "modules" / "greeter" / ".terraform").exists(), "checks wrote into the tree"


@pytest.mark.terraform
def test_a_badly_formatted_file_fails_the_checks(
    tmp_path: Path, terraform_binary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tiny_tree(tmp_path / "terraform", GOOD_EXAMPLE.replace("  name   =", "name="))
    assert terraform_checks.main(["--tree", str(tree)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "terraform fmt -check -recursive" in out
    assert "examples/hello/main.tf" in out


@pytest.mark.terraform
def test_a_failing_native_test_fails_the_checks(
    tmp_path: Path, terraform_binary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tiny_tree(tmp_path / "terraform", GOOD_EXAMPLE)
    module = tree / "modules" / "greeter" / "main.tf"
    module.write_text(TINY_MODULE.replace("hello", "bye"), encoding="utf-8")
    assert terraform_checks.main(["--tree", str(tree)]) == 1
    assert "FAIL" in capsys.readouterr().out
