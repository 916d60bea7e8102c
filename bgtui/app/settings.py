"""Typed settings from the TOML configuration file, the environment and the command line."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from bgtui.app.contexts import Context, find_context, parse_contexts
from bgtui.app.notify_settings import NotifySettings, notify_settings
from bgtui.app.service_layout import LAYOUT_KEYS, layout_fields
from bgtui.app.watch_settings import watch_thresholds
from bgtui.core.catalog import ServiceOverride
from bgtui.core.endpoint import is_emulated
from bgtui.core.errors import BadInput
from bgtui.core.models import SmokeCheck
from bgtui.core.policy import Policy
from bgtui.core.watch import WatchThresholds

SERVICE_KEYS = {
    "function": str,
    "name": str,
    "api_id": str,
    "prod_stage": str,
    "test_stage": str,
    "alarm_prefix": str,
    "audit_log_group": str,
    "environment": str,
    "production": bool,
}
SMOKE_KEYS = {"name": str, "payload": str, "expect": str, "http_path": str}
AUDIT_FILE = "audit.jsonl"
# Records made against an emulator or any other non-AWS endpoint never join the real trail.
EMULATOR_AUDIT_FILE = "emulator-audit.jsonl"


@dataclass(frozen=True)
class Settings:
    """Everything bgtui is configured with, after file, environment and flags are merged."""

    profile: str | None = None
    """AWS profile (`--profile`, `[aws] profile`, else AWS_PROFILE / the default chain)."""

    region: str | None = None
    """AWS region (`--region`, `[aws] region`, else AWS_REGION / the profile's)."""

    endpoint_url: str | None = None
    """An endpoint override for every AWS service (`--endpoint-url`, AWS_ENDPOINT_URL)."""

    policy: Policy = field(default_factory=Policy)
    """Release policy; `--read-only` forces read_only."""

    services: tuple[ServiceOverride, ...] = ()
    """Services added or overridden by `[[service]]` tables."""

    refresh_seconds: float = 5.0
    """How often the console reads aliases and stages; metrics follow CloudWatch's minutes."""

    window_minutes: int = 30
    """How many minutes of metrics the sparklines show."""

    terraform_dir: str = ""
    """The Terraform root the console plans (`[terraform] dir`)."""

    terraform_workspace: str = ""
    """The workspace selected at start; empty keeps terraform's current one."""

    provider_mirror: str = ""
    """A provider filesystem mirror for air-gapped hosts (BGTUI_TF_PROVIDER_MIRROR)."""

    audit_path: Path = field(default_factory=lambda: state_home() / "bgtui" / AUDIT_FILE)
    """The audit trail file ($XDG_STATE_HOME/bgtui/audit.jsonl; emulator-audit.jsonl when the
    endpoint is not AWS itself, unless `[audit] path` is set)."""

    config_path: Path | None = None
    """The configuration file that was read, if any."""

    demo: bool = False
    """Running against the embedded emulator with synthetic data."""

    watch: WatchThresholds = field(default_factory=WatchThresholds)
    """The watch window after a promote (`[watch]`); `bluegreen:watch-*` tags override it."""
    contexts: tuple[Context, ...] = ()
    """Every `[[context]]` table, in file order: what the console's switcher offers."""

    context: str = ""
    """The chosen context (`--context`, BGTUI_CONTEXT); empty when none is."""

    environment: str = ""
    """The chosen context's environment label, shown in the header."""

    regions: tuple[str, ...] = ()
    """Every region the chosen context lists when it lists more than one (the first is
    `region`); each is read with its own clients."""

    notify: NotifySettings = field(default_factory=NotifySettings)
    """Where release events are sent (`[notify]`): webhooks by reference, an SNS topic."""


def config_home(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def state_home(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")


def default_config_path(env: Mapping[str, str] = os.environ) -> Path:
    return config_home(env) / "bgtui" / "config.toml"


def effective_endpoint(settings: Settings, env: Mapping[str, str]) -> str | None:
    """The endpoint every AWS client will use: the setting, else AWS_ENDPOINT_URL."""
    ignored = env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true"
    return settings.endpoint_url or (None if ignored else env.get("AWS_ENDPOINT_URL")) or None


def load_settings(
    path: Path | None = None, env: Mapping[str, str] = os.environ, **flags: Any
) -> Settings:
    """Read the file (explicit path must exist), then apply environment and non-None flags."""
    explicit = path is not None or bool(env.get("BGTUI_CONFIG"))
    chosen = path or Path(env.get("BGTUI_CONFIG") or default_config_path(env))
    doc = read_toml(chosen) if explicit or chosen.exists() else {}
    settings = settings_from_doc(doc, chosen if doc or explicit else None, env)
    if env.get("BGTUI_TF_PROVIDER_MIRROR"):
        settings = replace(settings, provider_mirror=env["BGTUI_TF_PROVIDER_MIRROR"])
    if env.get("BGTUI_READ_ONLY", "").lower() in ("1", "true", "yes"):
        flags["read_only"] = True
    context = flags.pop("context", None) or env.get("BGTUI_CONTEXT") or ""
    if context:
        where = str(settings.config_path or chosen)
        settings = with_context(settings, find_context(settings.contexts, context, where))
    settings = apply_flags(settings, flags)
    if flags.get("region"):
        settings = replace(settings, regions=())  # --region names the one region to read
    if not _audit_path_configured(doc) and is_emulated(effective_endpoint(settings, env)):
        settings = replace(settings, audit_path=state_home(env) / "bgtui" / EMULATOR_AUDIT_FILE)
    return settings


def _audit_path_configured(doc: Mapping[str, Any]) -> bool:
    audit = doc.get("audit")
    return isinstance(audit, dict) and bool(audit.get("path"))


def with_context(settings: Settings, context: Context) -> Settings:
    """The settings in `context`: what it sets wins over `[aws]`; read-only adds up."""
    regions = context.regions
    return replace(
        settings,
        context=context.name,
        environment=context.environment,
        profile=context.profile or settings.profile,
        region=regions[0] if regions else settings.region,
        regions=regions if len(regions) > 1 else (),
        endpoint_url=context.endpoint_url or settings.endpoint_url,
        policy=replace(settings.policy, read_only=settings.policy.read_only or context.read_only),
    )


def apply_flags(settings: Settings, flags: Mapping[str, Any]) -> Settings:
    changes = {k: v for k, v in flags.items() if v is not None and k != "read_only"}
    settings = replace(settings, **changes)
    if flags.get("read_only"):
        settings = replace(settings, policy=replace(settings.policy, read_only=True))
    return settings


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise BadInput(f"configuration file {path} does not exist") from None
    except OSError as error:
        raise BadInput(f"cannot read configuration file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"{path}: not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not UTF-8 text, so not a TOML file") from None


def settings_from_doc(
    doc: Mapping[str, Any], path: Path | None, env: Mapping[str, str]
) -> Settings:
    where = str(path or "configuration")
    tables = {"aws", "policy", "console", "terraform", "audit", "service", "context", "watch"}
    _only(doc, tables | {"notify"}, where, "")
    aws = _table(doc, "aws", where)
    console = _table(doc, "console", where)
    terraform = _table(doc, "terraform", where)
    audit = _table(doc, "audit", where)
    _only(aws, {"profile", "region", "endpoint_url"}, where, "aws")
    _only(console, {"refresh_seconds", "window_minutes"}, where, "console")
    _only(terraform, {"dir", "workspace", "provider_mirror"}, where, "terraform")
    _only(audit, {"path"}, where, "audit")
    settings = Settings(
        profile=_get(aws, "profile", str, where, "aws") or None,
        region=_get(aws, "region", str, where, "aws") or None,
        endpoint_url=_get(aws, "endpoint_url", str, where, "aws") or None,
        policy=_policy(_table(doc, "policy", where), where),
        services=tuple(_service(s, where) for s in _array(doc, "service", where)),
        contexts=parse_contexts(_array(doc, "context", where), where),
        refresh_seconds=_number(console, "refresh_seconds", 5.0, 0.5, 3600, where),
        window_minutes=int(_number(console, "window_minutes", 30, 5, 360, where)),
        terraform_dir=_get(terraform, "dir", str, where, "terraform"),
        terraform_workspace=_get(terraform, "workspace", str, where, "terraform"),
        provider_mirror=_get(terraform, "provider_mirror", str, where, "terraform"),
        config_path=path,
        watch=watch_thresholds(doc.get("watch", {}), where),
        notify=notify_settings(doc.get("notify", {}), where),
    )
    audit_path = _get(audit, "path", str, where, "audit")
    if audit_path:
        settings = replace(settings, audit_path=Path(os.path.expanduser(audit_path)))
    else:
        settings = replace(settings, audit_path=state_home(env) / "bgtui" / AUDIT_FILE)
    return settings


def _policy(table: Mapping[str, Any], where: str) -> Policy:
    known = {f.name: f.type for f in fields(Policy)} | {"environment": dict}
    known.pop("environment_approvals")
    _only(table, set(known), where, "policy")
    values: dict[str, Any] = {}
    environments = _table(table, "environment", where)
    if environments:
        values["environment_approvals"] = _environment_approvals(environments, where)
    for key, value in table.items():
        if key == "environment":
            continue
        default = getattr(Policy(), key)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BadInput(f"{where}: [policy] {key} must be a list of gate names")
            values[key] = tuple(value)
        elif type(value) is not type(default):
            kind = type(default).__name__
            raise BadInput(f"{where}: [policy] {key} must be {kind}, not {value!r}")
        else:
            values[key] = value
    _check_pattern(values.get("ticket_pattern", ""), where)
    if not 0 <= values.get("approvals_required", 0) <= 5:
        raise BadInput(f"{where}: [policy] approvals_required must be a number from 0 to 5")
    if not 1 <= values.get("approval_minutes", 60) <= 24 * 60:
        raise BadInput(f"{where}: [policy] approval_minutes must be a number from 1 to 1440")
    return Policy(**values)


def _environment_approvals(tables: Mapping[str, Any], where: str) -> tuple[tuple[str, int], ...]:
    found = []
    for name, table in tables.items():
        section = f"policy.environment.{name}"
        if not isinstance(table, dict):
            raise BadInput(f"{where}: [{section}] must be a table")
        _only(table, {"approvals_required"}, where, section)
        required = table.get("approvals_required", 0)
        if type(required) is not int or not 0 <= required <= 5:
            raise BadInput(f"{where}: [{section}] approvals_required must be a number from 0 to 5")
        found.append((name, required))
    return tuple(found)


def _check_pattern(pattern: str, where: str) -> None:
    # Checked here, or the first promote would fail on it instead of the configuration.
    try:
        re.compile(pattern)
    except re.error as error:
        raise BadInput(
            f"{where}: [policy] ticket_pattern is not a regular expression: {error}"
        ) from None


def _service(table: Any, where: str) -> ServiceOverride:
    if not isinstance(table, dict):
        raise BadInput(f"{where}: each [[service]] must be a table")
    _only(table, set(SERVICE_KEYS) | {"smoke", *LAYOUT_KEYS}, where, "service")
    function = table.get("function")
    if not isinstance(function, str) or not function.strip():
        raise BadInput(f'{where}: every [[service]] needs function = "NAME"')
    fields_: dict[str, object] = {}
    for key, kind in SERVICE_KEYS.items():
        if key in table and key != "function":
            fields_[key] = _get(table, key, kind, where, "service")
    fields_.update(layout_fields(table, where))
    if "smoke" in table:
        fields_["smoke_checks"] = tuple(_smoke(s, where) for s in _array(table, "smoke", where))
    return ServiceOverride(function.strip(), fields_)


def _smoke(table: Any, where: str) -> SmokeCheck:
    if not isinstance(table, dict):
        raise BadInput(f"{where}: each [[service.smoke]] must be a table")
    _only(table, set(SMOKE_KEYS), where, "service.smoke")
    values = {k: _get(table, k, str, where, "service.smoke") for k in SMOKE_KEYS if k in table}
    return SmokeCheck(**values)


def _only(table: Mapping[str, Any], allowed: set[str], where: str, section: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        place = f"[{section}] " if section else ""
        raise BadInput(f"{where}: unknown key {place}{unknown[0]!r}")


def _table(doc: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise BadInput(f"{where}: [{key}] must be a table")
    return value


def _array(doc: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise BadInput(f"{where}: {key} must be an array of tables ([[{key}]])")
    return value


def _get(table: Mapping[str, Any], key: str, kind: type, where: str, section: str) -> Any:
    value = table.get(key, kind())
    if type(value) is not kind:
        raise BadInput(f"{where}: [{section}] {key} must be {kind.__name__}, not {value!r}")
    # No file name, profile or tag holds a NUL; the operating system would refuse it later.
    if isinstance(value, str) and "\x00" in value:
        raise BadInput(f"{where}: [{section}] {key} contains a NUL character")
    return value


def _number(
    table: Mapping[str, Any], key: str, default: float, low: float, high: float, where: str
) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise BadInput(f"{where}: {key} must be a number from {low:g} to {high:g}")
    return float(value)
