"""`[[context]]` tables and `--context NAME`: the settings chosen, read-only enforced, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bgtui.app.settings import load_settings
from bgtui.cli.main import main
from bgtui.core.errors import EXIT_BAD_INPUT, EXIT_REFUSED, BadInput
from bgtui.demo.stack import provision_service
from tests.emulator_fixtures import DemoStack

CONTEXTS = """
[aws]
profile = "default-profile"
region = "us-east-1"
[[context]]
name = "staging"
profile = "acme-staging"
region = "eu-west-1"
environment = "staging"
[[context]]
name = "prod"
profile = "acme-prod"
regions = ["eu-west-1", "eu-central-1"]
environment = "production"
read_only = true
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_no_context_keeps_the_aws_table(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, CONTEXTS), env={})
    assert (settings.context, settings.profile, settings.region) == (
        "",
        "default-profile",
        "us-east-1",
    )
    assert [c.name for c in settings.contexts] == ["staging", "prod"]
    assert not settings.policy.read_only


def test_a_context_sets_profile_region_environment(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, CONTEXTS), env={}, context="staging")
    assert settings.context == "staging"
    assert (settings.profile, settings.region, settings.environment) == (
        "acme-staging",
        "eu-west-1",
        "staging",
    )
    assert settings.regions == () and not settings.policy.read_only


def test_a_read_only_context_with_two_regions(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, CONTEXTS), env={}, context="prod")
    assert settings.region == "eu-west-1"
    assert settings.regions == ("eu-west-1", "eu-central-1")
    assert settings.policy.read_only
    assert settings.contexts[1].production and not settings.contexts[0].production


def test_the_environment_can_choose_the_context(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, CONTEXTS), env={"BGTUI_CONTEXT": "prod"})
    assert settings.context == "prod"


def test_flags_win_over_the_context(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, CONTEXTS), env={}, context="prod", region="ap-south-1", profile="other"
    )
    assert (settings.profile, settings.region, settings.regions) == ("other", "ap-south-1", ())
    assert settings.policy.read_only  # a flag cannot lift a context's read-only


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[[context]]\nprofile = "x"', "needs name"),
        ('[[context]]\nname = "a b"', "needs name"),
        ('[[context]]\nname = "a"\ncolour = "red"', "unknown key [context] 'colour'"),
        ('[[context]]\nname = "a"\nread_only = "yes"', "read_only must be true or false"),
        ('[[context]]\nname = "a"\nregion = "Europe"', "not an AWS region name"),
        ('[[context]]\nname = "a"\nregions = "eu-west-1"', "must be a list"),
        ('[[context]]\nname = "a"\nregion = "eu-west-1"\nregions = ["eu-west-1"]', "both"),
        ('[[context]]\nname = "a"\nregions = ["eu-west-1", "eu-west-1"]', "twice"),
        ('[[context]]\nname = "a"\nendpoint_url = "ftp://x"', "http(s) URL"),
        ('[[context]]\nname = "a"\n[[context]]\nname = "a"', "defined twice"),
        ('context = "a"', "array of tables"),
    ],
)
def test_bad_contexts_are_one_line_bad_input(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(BadInput, match=re.escape(message)):
        load_settings(write(tmp_path, table), env={})


def test_an_unknown_context_is_exit_2_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write(tmp_path, CONTEXTS)
    code = main(["--config", str(config), "--context", "qa", "status"])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT
    assert err.count("\n") == 1 and "no context 'qa'" in err and "staging, prod" in err


@pytest.fixture
def in_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return tmp_path


def emulator_contexts(tmp_path: Path, stack: DemoStack) -> Path:
    return write(
        tmp_path,
        f"""
[[context]]
name = "prod"
endpoint_url = "{stack.endpoint_url}"
region = "{stack.region}"
environment = "production"
read_only = true
[[context]]
name = "lab"
endpoint_url = "{stack.endpoint_url}"
region = "{stack.region}"
environment = "dev"
""",
    )


def test_a_read_only_context_refuses_every_mutation(
    demo_stack: DemoStack, in_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Refused exactly as `--read-only` refuses (tests/e2e/test_cli_emulator.py), and the
    refusal is recorded with the context's name."""
    config = emulator_contexts(in_home, demo_stack)
    base = ["--config", str(config), "--context", "prod"]
    for args in (
        ("promote", "payments-api", "--reason", "x", "--yes"),
        ("rollback", "payments-api", "--reason", "x", "--yes"),
        ("deploy", "payments-api", "--from-latest", "--reason", "x", "--yes"),
    ):
        assert main([*base, *args]) == EXIT_REFUSED
        assert "read-only" in capsys.readouterr().err
    trail = in_home / "state" / "bgtui" / "emulator-audit.jsonl"
    records = [json.loads(line) for line in trail.read_text().splitlines()]
    assert records and {r["context"] for r in records} == {"prod"}
    assert {r["outcome"] for r in records} == {"refused"}


def test_the_other_context_is_not_read_only(
    demo_stack: DemoStack, in_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = emulator_contexts(in_home, demo_stack)
    base = ["--config", str(config), "--context", "lab"]
    assert main([*base, "test", "payments-api"]) == 0
    code = main([*base, "promote", "payments-api", "--reason", "CHG-1", "--yes"])
    assert code == 0, capsys.readouterr().err
    trail = in_home / "state" / "bgtui" / "emulator-audit.jsonl"
    records = [json.loads(line) for line in trail.read_text().splitlines()]
    assert records[-1]["context"] == "lab" and records[-1]["outcome"] == "ok"


def test_a_context_of_two_regions_shows_each_region_read_with_its_own_clients(
    demo_stack: DemoStack, in_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The emulator keeps state per region, as AWS does: the second region's service is only
    there, so it is listed only if that region was read with a client of its own."""
    provision_service(demo_stack.endpoint_url, "orders-west", region="us-west-2")
    config = write(
        in_home,
        f"""
[[context]]
name = "both"
endpoint_url = "{demo_stack.endpoint_url}"
regions = ["{demo_stack.region}", "us-west-2"]
environment = "production"
""",
    )
    assert main(["--config", str(config), "--context", "both", "status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["REGION", "SERVICE"]
    rows = {line.split()[1]: line.split()[0] for line in lines[1:] if line.strip()}
    assert rows["orders-west"] == "us-west-2"
    assert set(rows.values()) == {demo_stack.region, "us-west-2"}
    assert main(["--config", str(config), "--context", "both", "status", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    regions = {s["function"]: s["region"] for s in doc["services"]}
    assert regions["orders-west"] == "us-west-2" and regions["payments-api"] == demo_stack.region


def test_one_region_has_no_region_column(
    demo_stack: DemoStack, in_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = emulator_contexts(in_home, demo_stack)
    assert main(["--config", str(config), "--context", "lab", "status"]) == 0
    assert capsys.readouterr().out.split()[0] == "SERVICE"


def test_the_typed_confirmation_names_account_and_environment(
    demo_stack: DemoStack,
    in_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = write(
        in_home,
        f"""
[[context]]
name = "live"
endpoint_url = "{demo_stack.endpoint_url}"
region = "{demo_stack.region}"
environment = "production"
""",
    )
    base = ["--config", str(config), "--context", "live"]
    assert main([*base, "test", "payments-api"]) == 0
    capsys.readouterr()
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return "not the name"

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    main([*base, "promote", "payments-api", "--reason", "CHG-1"])
    out = capsys.readouterr().out
    where = "account 123456789012, environment production (service says demo)"
    assert prompts == [
        f"Type 'payments-api' to promote payments-api in {where} (anything else cancels): "
    ]
    assert "▲ PRODUCTION ▲ payments-api · account 123456789012 · environment production" in out
