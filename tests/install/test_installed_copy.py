"""The bastion install: the wheel and locked requirements of `make dist`, installed as a uv tool
on each supported Python (3.11 to 3.13) as the README's "Install on a bastion" says, runs the
CLI, carries the Terraform tree, and reads an emulator; with `[demo]`, runs `bgtui emulator`."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.emulator_fixtures import DemoStack
from tests.install.tools import REPO, ToolInstall, find_python, find_uv, free_port, wait_for_line

pytestmark = pytest.mark.e2e
SUPPORTED = ("3.11", "3.12", "3.13")
DEMO_SERVICES = {"payments-api", "ledger-writer", "fx-rates"}


def dist_commands(uv: str, out: Path) -> list[list[str]]:
    """The Makefile's `dist` recipe, with its output directory moved to `out`."""
    recipe = re.search(r"^dist:.*\n((?:\t.*\n)+)", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert recipe, "the Makefile has no dist target"
    commands = []
    for line in recipe[1].splitlines():
        words = line.strip().lstrip("@").split()
        if words[0] != "$(UV)":
            continue  # `rm -rf dist`: out is new
        moved = [
            str(out / w.removeprefix("dist").lstrip("/")) if w.startswith("dist") else w
            for w in words[1:]
        ]
        commands.append([uv, *moved])
    return commands


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make dist`'s artefacts: the wheel and the locked, hashed requirements of `bgtui[demo]`."""
    uv, out = find_uv(), tmp_path_factory.mktemp("dist")
    commands = dist_commands(uv, out)
    assert [c[1] for c in commands] == ["build", "export"]
    for command in commands:
        subprocess.run(command, cwd=REPO, check=True)
    return out


def the_wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("bgtui-*.whl")
    return wheel


def test_the_wheel_carries_the_terraform_module_and_the_examples(dist: Path) -> None:
    names = set(zipfile.ZipFile(the_wheel(dist)).namelist())
    for path in (
        "modules/lambda-bluegreen/main.tf",
        "examples/emulator/main.tf",
        "examples/emulator/orders-api.zip",
        "examples/aws/main.tf",
    ):
        assert f"bgtui/_terraform/{path}" in names
    assert not [n for n in names if ".terraform/" in n or n.endswith((".tfstate", ".tfplan"))]
    assert not [n for n in names if n.startswith("tests/")]
    assert "--hash=sha256:" in (dist / "requirements.txt").read_text()


def install(dist: Path, version: str, scratch: Path, extras: str = "") -> ToolInstall:
    package = f"bgtui{extras} @ {the_wheel(dist).as_uri()}"
    python = find_python(version)
    return ToolInstall.of(find_uv(), python, package, dist / "requirements.txt", scratch)


@pytest.mark.parametrize("version", SUPPORTED)
def test_the_installed_tool_runs_finds_its_terraform_and_reads_aws(
    dist: Path, version: str, tmp_path: Path, demo_stack: DemoStack
) -> None:
    """Without `[demo]`, as on a production bastion: no emulator packages are needed."""
    installed = install(dist, version, tmp_path)
    assert installed.run("--version").stdout.strip() == "bgtui 0.1.0"
    assert installed.python_says("import sys; print(sys.version_info[:2])") == str(
        tuple(int(n) for n in version.split("."))
    )
    tree = Path(
        installed.python_says(
            "from bgtui.adapters.terraform.tree import terraform_tree as t; print(t())"
        )
    )
    assert tree.is_relative_to(installed.home), "the Terraform tree must come from the install"
    assert (tree / "modules" / "lambda-bluegreen" / "main.tf").is_file()
    assert (tree / "examples" / "emulator" / "main.tf").is_file()
    done = installed.run("status", "--json", "--endpoint-url", demo_stack.endpoint_url)
    services = {s["function"] for s in json.loads(done.stdout)["services"]}
    assert services == DEMO_SERVICES
    assert installed.python_says("import importlib.util as u; print(u.find_spec('moto'))") == "None"


def test_the_installed_demo_extra_runs_the_emulator(dist: Path, tmp_path: Path) -> None:
    """With `[demo]`: `bgtui emulator` from the installed copy provisions the demo stack."""
    installed = install(dist, SUPPORTED[0], tmp_path, "[demo]")
    with running_emulator(installed) as endpoint:
        done = installed.run("status", "--json", "--endpoint-url", endpoint)
    services = {s["function"] for s in json.loads(done.stdout)["services"]}
    assert services == DEMO_SERVICES


class running_emulator:
    """`bgtui emulator` from the installed copy, stopped with Ctrl-C (SIGINT) on the way out."""

    def __init__(self, installed: ToolInstall) -> None:
        self.installed = installed
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> str:
        port = free_port()
        self.process = self.installed.start("emulator", "--port", str(port))
        wait_for_line(self.process, "listening on", timeout_s=120)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_: object) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        assert self.process.wait(timeout=30) == 0
