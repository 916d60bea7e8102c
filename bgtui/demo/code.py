"""Demo deployment packages built in memory: a small handler and its behaviour file."""

from __future__ import annotations

import io
import json
import zipfile

from bgtui.emulator.behaviour import DEMO_FILE, Behaviour

BROKEN = Behaviour(healthy=False, error="KeyError: 'amount'", latency_ms=950)
_HANDLER = '''"""Demo handler of {function}, build {build}."""

import json

BUILD = {build}


def handler(event, context):
    version = context.function_version
    headers = {{"Content-Type": "application/json", "X-Bgtui-Version": version}}
    body = json.dumps({{"ok": True, "build": BUILD, "version": version}})
    return {{"statusCode": 200, "headers": headers, "body": body}}
'''
# A fixed timestamp keeps the package bytes, and so CodeSha256, the same for the same build.
_STAMP = (2024, 1, 1, 0, 0, 0)


def demo_package(function: str, build: int, behaviour: Behaviour | None = None) -> bytes:
    """A zip with `index.py` and, when given, the `bgtui-demo.json` the emulator answers from."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        _add(package, "index.py", _HANDLER.format(function=function, build=build))
        if behaviour is not None:
            _add(package, DEMO_FILE, json.dumps(_declared(behaviour), sort_keys=True))
    return buffer.getvalue()


def _declared(behaviour: Behaviour) -> dict[str, object]:
    return {k: v for k, v in behaviour.to_json().items() if v not in ("", None)}


def _add(package: zipfile.ZipFile, name: str, text: str) -> None:
    package.writestr(zipfile.ZipInfo(name, _STAMP), text)
