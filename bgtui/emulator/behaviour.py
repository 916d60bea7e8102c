"""How a demo function version behaves: read from its `bgtui-demo.json`, overridable at runtime."""

from __future__ import annotations

import io
import json
import threading
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

DEMO_FILE = "bgtui-demo.json"
DEFAULT_ERROR = "RuntimeError: injected fault"
HEALTHY_P99_MS = (120.0, 250.0)
BROKEN_P99_MS = (900.0, 1300.0)


@dataclass(frozen=True)
class Behaviour:
    """What invocations of one version answer, and how slow they are (p99, milliseconds)."""

    healthy: bool = True
    error: str = ""
    latency_ms: float | None = None

    @property
    def error_type(self) -> str:
        head, _, rest = self.failure.partition(": ")
        return head if rest else "Exception"

    @property
    def error_message(self) -> str:
        head, _, rest = self.failure.partition(": ")
        return rest or head

    @property
    def failure(self) -> str:
        return self.error or DEFAULT_ERROR

    def p99_ms(self, identity: str) -> float:
        """The target p99: the declared latency, else a stable value per version identity."""
        if self.latency_ms is not None:
            return self.latency_ms
        low, high = HEALTHY_P99_MS if self.healthy else BROKEN_P99_MS
        spread = zlib.crc32(identity.encode()) % 1000 / 1000
        return round(low + (high - low) * spread)

    def with_health(self, healthy: bool) -> Behaviour:
        """This behaviour turned healthy or broken; a declared latency no longer applies."""
        if healthy == self.healthy:
            return self
        return Behaviour(healthy=healthy, error=self.error)

    def to_json(self) -> dict[str, Any]:
        return {"healthy": self.healthy, "error": self.error, "latency_ms": self.latency_ms}

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Behaviour:
        latency = doc.get("latency_ms")
        return cls(
            healthy=bool(doc.get("healthy", True)),
            error=str(doc.get("error") or ""),
            latency_ms=float(latency) if isinstance(latency, int | float) else None,
        )


def read_behaviour(zip_bytes: bytes) -> Behaviour:
    """The behaviour a deployment package declares; a package without the file is healthy."""
    return read_declared(zip_bytes) or Behaviour()


def read_declared(zip_bytes: bytes) -> Behaviour | None:
    """The behaviour a synthetic demo package declares; None for a package of real code."""
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as package:
            if DEMO_FILE not in package.namelist():
                return None
            doc = json.loads(package.read(DEMO_FILE))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    return Behaviour.from_json(doc) if isinstance(doc, dict) else Behaviour()


VersionKey = tuple[str, str, str]


class HealthOverrides:
    """Runtime health switches per (region, function, version), shared by invoke and traffic."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._healthy: dict[VersionKey, bool] = {}

    def set(self, key: VersionKey, healthy: bool) -> None:
        with self._lock:
            self._healthy[key] = healthy

    def get(self, key: VersionKey) -> bool | None:
        with self._lock:
            return self._healthy.get(key)

    def clear(self) -> None:
        with self._lock:
            self._healthy.clear()

    def apply(self, key: VersionKey, declared: Behaviour) -> Behaviour:
        healthy = self.get(key)
        return declared if healthy is None else declared.with_health(healthy)


OVERRIDES = HealthOverrides()
