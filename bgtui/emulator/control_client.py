"""A client for the emulator's own routes, usable from any process that knows the endpoint URL."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from bgtui.core.errors import AwsError, EndpointUnreachable, NotFound
from bgtui.emulator.behaviour import Behaviour
from bgtui.emulator.control import PREFIX

# The emulator is always local: a developer's HTTP proxy must never see these requests.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class EmulatorControl:
    """Reset the emulator, read each version's behaviour, switch a version healthy or broken."""

    def __init__(self, endpoint_url: str, timeout_s: float = 30.0) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self._timeout_s = timeout_s

    def reset(self) -> None:
        self._call("POST", "reset", {})

    def behaviours(
        self, region: str, versions: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], Behaviour]:
        """The behaviour of each (function, version) that exists; missing ones are left out."""
        if not versions:
            return {}
        doc = self._call("POST", "behaviours", {"region": region, "versions": list(versions)})
        found = {}
        for pair, item in zip(versions, doc["behaviours"], strict=True):
            if item is not None:
                found[pair] = Behaviour.from_json(item)
        return found

    def set_health(self, region: str, function: str, version: str, healthy: bool) -> Behaviour:
        body = {"region": region, "function": function, "version": version, "healthy": healthy}
        return Behaviour.from_json(self._call("PUT", "behaviour", body))

    def _call(self, method: str, route: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.endpoint_url}{PREFIX}{route}",
            data=json.dumps(body).encode(),
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with _opener.open(request, timeout=self._timeout_s) as answer:
                return dict(json.load(answer))
        except urllib.error.HTTPError as error:
            raise _control_error(error) from None
        except (urllib.error.URLError, OSError) as error:
            raise EndpointUnreachable(f"emulator at {self.endpoint_url}: {error}") from None


def _control_error(error: urllib.error.HTTPError) -> AwsError:
    try:
        message = json.load(error).get("message", error.reason)
    except ValueError:
        message = error.reason
    kind = NotFound if error.code == 404 else AwsError
    return kind(f"emulator: {message}")
