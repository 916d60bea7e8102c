"""Configuration files: valid ones become settings, bad ones one clear BadInput line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bgtui.app.settings import load_settings
from bgtui.core.errors import BadInput

GOOD = """
[aws]
region = "eu-west-1"
[policy]
ticket_pattern = "CHG-[0-9]+"
smoke_max_age_minutes = 15
overridable = ["smoke-passed"]
[console]
refresh_seconds = 2
[[service]]
function = "payments-api"
name = "Payments"
[[service.smoke]]
name = "health"
payload = '{"path": "/health"}'
expect = "ok"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_good_config_is_read(tmp_path: Path) -> None:
    cfg = load_settings(write(tmp_path, GOOD), env={})
    assert cfg.region == "eu-west-1"
    assert cfg.policy.ticket_pattern == "CHG-[0-9]+"
    assert cfg.policy.overridable == ("smoke-passed",)
    assert cfg.refresh_seconds == 2
    service = cfg.services[0]
    assert service.function == "payments-api"
    assert service.fields["smoke_checks"][0].expect == "ok"


def test_flags_override_file_and_read_only_env(tmp_path: Path) -> None:
    cfg = load_settings(write(tmp_path, GOOD), env={"BGTUI_READ_ONLY": "1"}, region="us-west-2")
    assert cfg.region == "us-west-2"
    assert cfg.policy.read_only


def test_xdg_paths(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_STATE_HOME": str(tmp_path / "s")}
    cfg = load_settings(None, env=env)
    assert cfg.audit_path == tmp_path / "s" / "bgtui" / "audit.jsonl"
    assert cfg.config_path is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[aws\n", "not valid TOML"),
        ("[polcy]\n", "unknown key 'polcy'"),
        ("[policy]\nrequire_reason = 'yes'\n", "require_reason must be bool"),
        ("[console]\nrefresh_seconds = 0\n", "refresh_seconds must be a number"),
        ("[[service]]\nname = 'x'\n", "needs function"),
        ("service = 3\n", "array of tables"),
        ("[[service]]\nfunction = 'f'\n[[service.smoke]]\npayload = 1\n", "payload must be str"),
    ],
)
def test_bad_config_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message) as caught:
        load_settings(write(tmp_path, text), env={})
    assert "\n" not in str(caught.value)


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_is_settings_or_bad_input(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.toml"
        path.write_text(text, encoding="utf-8")
        try:
            load_settings(path, env={})
        except BadInput as error:
            assert "\n" not in str(error)


def test_an_emulator_endpoint_keeps_its_own_audit_trail(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "s"), "XDG_CONFIG_HOME": str(tmp_path / "c")}
    state = tmp_path / "s" / "bgtui"
    by_env = load_settings(None, env={**env, "AWS_ENDPOINT_URL": "http://127.0.0.1:4599"})
    assert by_env.audit_path == state / "emulator-audit.jsonl"
    by_flag = load_settings(None, env=env, endpoint_url="http://localhost:5000")
    assert by_flag.audit_path == state / "emulator-audit.jsonl"
    aws = load_settings(None, env=env, endpoint_url="https://lambda.eu-west-1.amazonaws.com")
    assert aws.audit_path == state / "audit.jsonl"
    ignored = {**env, "AWS_ENDPOINT_URL": "http://127.0.0.1:1"}
    ignored["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true"
    assert load_settings(None, env=ignored).audit_path == state / "audit.jsonl"
    chosen = write(tmp_path, '[audit]\npath = "/var/log/bgtui.jsonl"\n')
    configured = load_settings(chosen, env=env, endpoint_url="http://127.0.0.1:1")
    assert configured.audit_path == Path("/var/log/bgtui.jsonl")


def test_each_demo_run_has_its_own_audit_trail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from bgtui.demo.runner import demo_settings

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    base = load_settings(None, env={})
    first = demo_settings(
        "http://127.0.0.1:1", base, started=datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    )
    second = demo_settings(
        "http://127.0.0.1:1", base, started=datetime(2026, 3, 1, 9, 5, tzinfo=UTC)
    )
    assert first.audit_path.parent == second.audit_path.parent == tmp_path / "bgtui" / "demo-runs"
    assert first.audit_path.name.startswith("20260301T090000Z-")
    assert first.audit_path != second.audit_path
    assert sorted([second.audit_path.name, first.audit_path.name])[0] == first.audit_path.name
