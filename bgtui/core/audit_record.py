"""One audit record as a typed value, and its exact JSON form (the form that is hashed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bgtui.core.gates import GateResult

JsonDoc = dict[str, Any]

ALWAYS_WRITTEN = (
    "seq",
    "time",
    "prev",
    "hash",
    "actor",
    "action",
    "phase",
    "function",
    "region",
    "account",
    "before",
    "reason",
    "gates",
    "outcome",
    "error",
)
"""Keys every record the core writes carries; the other keys appear only when they apply."""


@dataclass(frozen=True)
class Actor:
    """Who acted: the AWS caller identity and the local user@host."""

    aws: str = ""
    local: str = ""

    def to_json(self) -> JsonDoc:
        return {"aws": self.aws, "local": self.local}

    @classmethod
    def from_json(cls, doc: Any) -> Actor:
        return cls(str(doc.get("aws") or ""), str(doc.get("local") or ""))


@dataclass(frozen=True)
class Target:
    """The colour (and version, when known in advance) an operation moves to."""

    colour: str
    version: str = ""

    def to_json(self) -> JsonDoc:
        doc: JsonDoc = {"colour": self.colour}
        if self.version:
            doc["version"] = self.version
        return doc

    @classmethod
    def from_json(cls, doc: Any) -> Target:
        return cls(str(doc["colour"]), str(doc.get("version", "")))


@dataclass(frozen=True)
class Tested:
    """What one smoke run tested and found; each result as `CheckResult.as_dict` wrote it."""

    colour: str
    version: str
    summary: str
    results: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> JsonDoc:
        return {
            "colour": self.colour,
            "version": self.version,
            "summary": self.summary,
            "results": [dict(r) for r in self.results],
        }

    @classmethod
    def from_json(cls, doc: Any) -> Tested:
        results = tuple(dict(r) for r in doc.get("results", ()))
        return cls(str(doc["colour"]), str(doc["version"]), str(doc["summary"]), results)


def gate_to_json(gate: GateResult) -> JsonDoc:
    return dict(gate.as_dict())


def gate_from_json(doc: Any) -> GateResult:
    override = str(doc.get("override", ""))
    detail = str(doc.get("detail", ""))
    return GateResult(str(doc["gate"]), doc.get("result") == "pass", detail, False, override)


@dataclass(frozen=True)
class AuditRecord:
    """One step of one operation, as the audit trail holds it.

    A record built by the core leaves `seq`, `time`, `prev` and `hash` empty: the trail fills
    them in when it appends. Keys this type does not know are kept in `extra`, so a record
    read and written again is the same JSON document, and so hashes the same.
    """

    action: str
    phase: str
    function: str = ""
    region: str = ""
    account: str = ""
    actor: Actor = field(default_factory=Actor)
    before: Mapping[str, Any] = field(default_factory=dict)
    """The state snapshot (`state_snapshot`) read before the operation."""
    reason: str = ""
    gates: tuple[GateResult, ...] = ()
    outcome: str | None = None
    """ok, failed, refused, conflict, unknown; None on an intent."""
    error: str = ""
    target: Target | None = None
    source: str | None = None
    after: Mapping[str, Any] | None = None
    """The state snapshot after a change that succeeded."""
    warnings: tuple[str, ...] | None = None
    tested: Tested | None = None
    intent: int | None = None
    """On an outcome, the seq of the intent it answers."""
    reconciles: int | None = None
    """On a reconcile record, the seq of the outcome that had been unknown."""
    applied: bool | None = None
    """On a reconcile record: whether the operation took effect; None when it cannot be told."""
    endpoint: str | None = None
    """The endpoint override (an emulator) the record was made against."""
    seq: int = 0
    time: str = ""
    prev: str = ""
    hash: str = ""
    hmac: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Keys this type does not know, and values that would not read back as they were."""
    omitted: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """Keys always written that the document read lacked: written again, they stay absent."""

    @property
    def actor_name(self) -> str:
        """The actor in a few characters: the local user, else the AWS identity's last part."""
        return self.actor.local or self.actor.aws.rsplit("/", 1)[-1]

    @property
    def is_outcome(self) -> bool:
        return self.phase == "outcome"

    def to_json(self) -> JsonDoc:
        """The record as the trail writes it (before `json.dumps(sort_keys=True)`)."""
        doc: JsonDoc = {
            "seq": self.seq,
            "time": self.time,
            "prev": self.prev,
            "hash": self.hash,
            "actor": self.actor.to_json(),
            "action": self.action,
            "phase": self.phase,
            "function": self.function,
            "region": self.region,
            "account": self.account,
            "before": dict(self.before),
            "reason": self.reason,
            "gates": [gate_to_json(g) for g in self.gates],
            "outcome": self.outcome,
            "error": self.error,
        }
        for name in self.omitted:
            doc.pop(name, None)
        for name in _WHEN_SET:
            value = getattr(self, name)
            if value is not None:
                doc[name] = _written(value)
        if self.reconciles is not None and "applied" not in self.omitted:
            doc["applied"] = self.applied
        doc.update(self.extra)
        return doc

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> AuditRecord:
        """Read a record; what does not read as its type stays in `extra`, as it was."""
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in doc.items():
            read = _READERS.get(key)
            if read is None:
                extra[key] = value
                continue
            try:
                values[key] = typed = read(value)
            except (KeyError, TypeError, ValueError, AttributeError):
                extra[key] = value
                continue
            if key in _STRUCTURED and _written(typed) != value:
                # Written back it would differ (a gate with a key of its own): it is kept as it
                # was, so the document and its hash do not change.
                extra[key] = value
        if "applied" in doc and values.get("reconciles") is None:
            extra["applied"] = doc["applied"]
        omitted = frozenset(n for n in (*ALWAYS_WRITTEN, "applied") if n not in doc)
        return cls(**{"action": "", "phase": "", **values, "extra": extra, "omitted": omitted})


_WHEN_SET = (
    "target",
    "source",
    "after",
    "warnings",
    "tested",
    "intent",
    "reconciles",
    "endpoint",
    "hmac",
)


_STRUCTURED = frozenset({"actor", "gates", "target", "tested", "warnings"})
"""Keys whose value is read into a type of its own: only these may read back differently."""


def _written(value: Any) -> Any:
    if value is None or isinstance(value, (str, int)):
        return value
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, GateResult):
        return gate_to_json(value)
    if isinstance(value, tuple):
        return [_written(v) for v in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(value)
    return value


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(value)
    return dict(value)


def _optional_bool(value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(value)
    return value


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_text(v) for v in value)


_READERS: dict[str, Callable[[Any], Any]] = {
    "seq": _number,
    "time": _text,
    "prev": _text,
    "hash": _text,
    "hmac": _text,
    "actor": Actor.from_json,
    "action": _text,
    "phase": _text,
    "function": _text,
    "region": _text,
    "account": _text,
    "before": _mapping,
    "reason": _text,
    "gates": lambda v: tuple(gate_from_json(g) for g in v),
    "outcome": _optional_text,
    "error": _text,
    "target": Target.from_json,
    "source": _text,
    "after": _mapping,
    "warnings": _texts,
    "tested": Tested.from_json,
    "intent": _number,
    "reconciles": _number,
    "applied": _optional_bool,
    "endpoint": _text,
}
