"""Property-based bad input: whatever an operator types, a configuration file holds, a tag says
or someone else wrote into the live alias, bgtui answers with a result or one clear error."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bgtui.app.settings import load_settings, settings_from_doc
from bgtui.app.shapes import service_document
from bgtui.cli.main import build_parser
from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import NON_PRODUCTION, TAG_FIELDS, ref_from_tags
from bgtui.core.errors import BadInput
from bgtui.core.models import AliasState, Colour, LiveRecord, PreviousLive, ServiceRef, ServiceState
from bgtui.core.policy import Policy
from bgtui.core.ports import TaggedFunction
from bgtui.demo.stack import ProvisionedService
from tests.reliability.harness import Cli

EXIT_CODES = {0, 1, 2, 3, 4}
# Commands that hold the terminal (the console, the emulator) or need terraform or a keyring.
INTERACTIVE = {None, "console", "demo", "emulator", "plan", "secrets"}
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

words = st.sampled_from(
    [
        "status", "deploy", "test", "promote", "rollback", "audit", "--json", "--yes",
        "--reason", "--to", "--from", "--version", "--zip", "--from-latest", "--override",
        "--verify", "--function", "--region", "--profile", "--config", "--read-only", "blue",
        "green", "purple", "smoke-passed", "999", "0", "-1", "--", "-", "", " ", "us-east-1",
        "eu-moon-9", "/nonexistent", "/dev/null", "/", "é", "--endpoint-url",
    ]
)  # fmt: skip


@st.composite
def argvs(draw: st.DrawFn, function: str) -> list[str]:
    token = st.one_of(words, st.just(function), st.text(max_size=12))
    return draw(st.lists(token, max_size=7))


def command_of(argv: list[str]) -> str | None:
    """The command argv selects, or 'bad input' when it does not parse."""
    try:
        command = build_parser().parse_args(argv).command
    except SystemExit:
        return "bad input"
    return None if command is None else str(command)


@FUZZ
@given(data=st.data())
def test_any_command_line_is_a_result_or_one_line_with_a_documented_code(
    cli: Cli, service: ProvisionedService, data: st.DataObject
) -> None:
    argv = data.draw(argvs(service.function))
    # The emulator stays the endpoint: a random one would reach for the internet.
    assume("--endpoint-url" not in argv and command_of(argv) not in INTERACTIVE)
    ran = cli(*argv)
    assert ran.code in EXIT_CODES, (argv, ran)
    assert "Traceback" not in ran.err + ran.out, argv
    assert "internal error" not in ran.err, (argv, ran.err)
    if ran.code != 0:
        assert ran.one_line_error, (argv, ran)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)


def toml_table(name: str, table: dict[str, Any], array: bool = False) -> str:
    head = f"[[{name}]]" if array else f"[{name}]"
    return "\n".join([head, *(f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items())])


SECTION_KEYS = {
    "aws": ["profile", "region", "endpoint_url"],
    "policy": [
        "read_only", "require_reason", "ticket_pattern", "smoke_max_age_minutes",
        "overridable", "typed_confirmation",
    ],
    "console": ["refresh_seconds", "window_minutes"],
    "terraform": ["dir", "workspace", "provider_mirror"],
    "audit": ["path"],
    "service": ["function", "name", "api_id", "environment", "production", "prod_stage"],
}  # fmt: skip
scalars = st.one_of(
    st.text(max_size=16),
    st.sampled_from(["CHG-[0-9]+", "(", "[", "*", "~/audit.jsonl", "us-east-1", "\x00"]),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3))


def tables(section: str) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from([*SECTION_KEYS[section], "surprise"])
    return st.dictionaries(keys, values, max_size=4)


@st.composite
def config_texts(draw: st.DrawFn) -> str:
    parts = [
        toml_table(section, draw(tables(section)))
        for section in SECTION_KEYS
        if section != "service" and draw(st.booleans())
    ]
    for _ in range(draw(st.integers(0, 2))):
        parts.append(toml_table("service", draw(tables("service")), array=True))
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.text(max_size=30)))
    return "\n\n".join(parts) + "\n"


def use_settings_for_a_change(path: Path) -> None:
    """Load the file, then use what an operation uses: the policy and the audit trail."""
    settings_ = load_settings(path, env={})
    settings_.policy.reason_problem("CHG-1 roll out")
    trail = AuditTrail(settings_.audit_path)
    trail.records()
    trail.verify()


@settings(max_examples=150, deadline=None, database=None)
@given(text=config_texts())
def test_any_configuration_file_loads_or_is_bad_input(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        use_settings_for_a_change(path)
    except BadInput as error:
        assert "\n" not in str(error)


@settings(max_examples=60, deadline=None, database=None)
@given(raw=st.binary(max_size=64))
def test_any_bytes_as_a_configuration_file_load_or_are_bad_input(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_bytes(raw)
    try:
        use_settings_for_a_change(path)
    except BadInput as error:
        assert str(error)


@settings(max_examples=200, deadline=None, database=None)
@given(doc=st.dictionaries(st.sampled_from([*SECTION_KEYS, "x"]), st.recursive(
    values, lambda inner: st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6
), max_size=4))  # fmt: skip
def test_any_parsed_document_becomes_settings_or_bad_input(doc: dict[str, Any]) -> None:
    try:
        settings_from_doc(doc, None, {})
    except BadInput as error:
        assert str(error)


tag_values = st.one_of(
    st.text(), st.sampled_from(["", " ", "x" * 257, "demo", "PRODUCTION", "Demo\n", "\x1b[31m"])
)


@settings(max_examples=200, deadline=None, database=None)
@given(tags=st.dictionaries(st.sampled_from([*TAG_FIELDS, "bluegreen:managed"]), tag_values))
def test_any_tags_give_a_service_with_only_printable_short_fields(tags: dict[str, str]) -> None:
    ref = ref_from_tags(TaggedFunction("orders", "arn:aws:lambda:::function:orders", tags), "r")
    default = ServiceRef("orders", "r")
    for attr in TAG_FIELDS.values():
        value = getattr(ref, attr)
        if value != getattr(default, attr):
            assert value.isprintable() and len(value) <= 256 and value == value.strip(), attr
    environment = ref.environment.lower()
    assert ref.production is (environment not in NON_PRODUCTION)


documents = st.one_of(
    st.text(max_size=256),
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    ).map(json.dumps),
    st.fixed_dictionaries(
        {"schema": st.just("bgtui/live-v1")},
        optional={
            "live": st.one_of(st.sampled_from(["blue", "green", "BLUE", "red"]), st.integers()),
            "previous": st.one_of(
                st.none(),
                st.text(max_size=5),
                st.fixed_dictionaries(
                    {},
                    optional={
                        "colour": st.sampled_from(["blue", "green", "", "x"]),
                        "version": st.one_of(st.text(string.digits, max_size=3), st.integers()),
                    },
                ),
            ),
            "at": st.one_of(st.text(max_size=8), st.integers()),
            "by": st.one_of(st.text(max_size=8), st.none()),
        },
    ).map(json.dumps),
    st.just("[" * 256),
)


@settings(max_examples=300, deadline=None, database=None)
@given(description=documents)
def test_any_live_description_is_a_record_or_a_reported_problem(description: str) -> None:
    record = LiveRecord.from_description(description)
    if record is not None:
        again = LiveRecord.from_description(record.to_description())
        assert again is not None and (again.colour, again.previous) == (
            record.colour,
            record.previous,
        )
        assert len(record.to_description()) <= 256
    state = ServiceState(
        ServiceRef("orders", "eu-west-1"),
        AliasState("blue", "1", "r1"),
        AliasState("green", "2", "r2"),
        AliasState("live", "1", "r3", description),
    )
    document = service_document(state)
    if record is None:
        assert "the live alias carries no bgtui record" in document["problems"]
        assert document["live"]["colour"] == "blue", "the version live runs still names it"


@settings(max_examples=100, deadline=None, database=None)
@given(reason=st.text(max_size=40), pattern=st.text(max_size=12))
def test_any_ticket_pattern_from_configuration_judges_reasons_or_is_bad_input(
    reason: str, pattern: str
) -> None:
    try:
        policy = settings_from_doc({"policy": {"ticket_pattern": pattern}}, None, {}).policy
    except BadInput as error:
        assert "ticket_pattern" in str(error)
        return
    assert isinstance(policy, Policy)
    assert isinstance(policy.reason_problem(reason), str)


def test_a_record_for_every_colour_and_previous_round_trips() -> None:
    for colour in Colour:
        record = LiveRecord(colour, PreviousLive(colour.other, "12"), "2026-01-05T09:30:00Z", "x")
        assert LiveRecord.from_description(record.to_description()) == record
