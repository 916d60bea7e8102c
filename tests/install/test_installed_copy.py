"""The bastion install: the wheel from `make dist`, installed as a uv tool on each supported
Python (3.11 to 3.13), runs the CLI, carries the Terraform tree, and reads `bgtui emulator`."""

from __future__ import annotations

import json
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.install.tools import REPO, ToolInstall, find_python, find_uv, free_port, wait_for_line

pytestmark = pytest.mark.e2e
SUPPORTED = ("3.11", "3.12", "3.13")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make dist`'s two artefacts: the wheel and the locked requirements of `bgtui[demo]`."""
    uv, out = find_uv(), tmp_path_factory.mktemp("dist")
    subprocess.run([uv, "build", "--quiet", "--wheel", "--out-dir", str(out)], cwd=REPO, check=True)
    subprocess.run(
        [
            *(uv, "export", "--quiet", "--frozen", "--extra", "demo", "--no-emit-project"),
            *("--no-hashes", "-o", str(out / "constraints.txt")),
        ],
        cwd=REPO,
        check=True,
    )
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


@pytest.fixture(params=SUPPORTED)
def installed(request: pytest.FixtureRequest, dist: Path, tmp_path: Path) -> ToolInstall:
    python = find_python(request.param)
    return ToolInstall.of(find_uv(), python, the_wheel(dist), dist / "constraints.txt", tmp_path)


def test_the_installed_tool_runs_finds_its_terraform_and_reads_the_emulator(
    installed: ToolInstall,
) -> None:
    assert installed.run("--version").stdout.strip() == "bgtui 0.1.0"
    assert "demo" in installed.run("--help").stdout
    tree = Path(
        installed.python_says(
            "from bgtui.adapters.terraform.tree import terraform_tree as t; print(t())"
        )
    )
    assert tree.is_relative_to(installed.home), "the Terraform tree must come from the install"
    assert (tree / "examples" / "emulator" / "main.tf").is_file()
    with running_emulator(installed) as endpoint:
        done = installed.run("status", "--json", env={"AWS_ENDPOINT_URL": endpoint})
    services = {s["function"] for s in json.loads(done.stdout)["services"]}
    assert services == {"payments-api", "ledger-writer", "fx-rates"}


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
