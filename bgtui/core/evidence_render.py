"""The release record's human forms: Markdown and an SVG chart, both from its JSON alone."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from bgtui.core.audit_record import JsonDoc
from bgtui.core.evidence import parse_time

WIDTH, HEIGHT, PAD = 720, 260, 40
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")


def markdown(doc: JsonDoc) -> str:
    """The record a reviewer reads; every value comes from release.json."""
    lines = [
        f"# Release record: {_md(doc['function'])} ({_md(doc['region'])}, {_md(doc['account'])})",
        "",
        f"- **Who:** {_md(doc['who']['aws'])} ({_md(doc['who']['local'])})",
        f"- **When:** intent {_md(doc['when']['intent'])}, outcome {_md(doc['when']['outcome'])}",
        f"- **Why:** {_md(doc['why'])}",
        f"- **Outcome:** {_md(doc['outcome'])} {_md(doc['error'])}".rstrip(),
        f"- **Versions:** {_md(doc['versions']['from'])} -> {_md(doc['versions']['to'])}",
        "",
        "## Code (CodeSha256)",
        "",
        *[f"- version {_md(v)}: `{_md(sha)}`" for v, sha in sorted(doc["code_sha256"].items())],
        "",
        "## Gates",
        "",
        "| gate | result | detail | override |",
        "|---|---|---|---|",
        *[
            f"| {_md(g['gate'])} | {_md(g['result'])} | {_md(g['detail'])} "
            f"| {_md(g.get('override', ''))} |"
            for g in doc["gates"]
        ],
        "",
        "## Smoke tests",
        "",
        *[
            f"- record {s['seq']} at {_md(s['time'])}: version {_md(s['version'])} "
            f"({_md(s['colour'])}) {_md(s['outcome'])}: {_md(s['summary'])}"
            for s in doc["smoke"]
        ],
        *(["- none recorded"] if not doc["smoke"] else []),
        "",
        "## Approvals",
        "",
        *[_step(a) for a in doc["approvals"]],
        *(["- none recorded"] if not doc["approvals"] else []),
        "",
        "## Watch after the swap",
        "",
        *[_step(w) for w in doc["watch"]],
        *(["- none recorded"] if not doc["watch"] else []),
        "",
        "## Metrics before, during and after the swap",
        "",
        "![metrics](metrics.svg)",
        "",
        "## Audit chain segment",
        "",
        "| seq | time | action | phase | outcome | prev | hash |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['seq']} | {_md(r['time'])} | {_md(r['action'])} | {_md(r['phase'])} "
            f"| {_md(r.get('outcome') or '-')} | `{_md(r['prev'])}` | `{_md(r['hash'])}` |"
            for r in doc["chain"]
        ],
    ]
    return "\n".join(lines) + "\n"


def _step(record: JsonDoc) -> str:
    actor = record.get("actor") or {}
    return (
        f"- record {record.get('seq')} at {_md(record.get('time', ''))}: "
        f"{_md(record.get('action', ''))} {_md(record.get('phase', ''))} by "
        f"{_md(actor.get('aws', ''))}: {_md(record.get('outcome') or '')} "
        f"{_md(record.get('reason', ''))}".rstrip()
    )


def _md(value: Any) -> str:
    # A reason typed by an operator must not become a table cell, a link or markup.
    text = " ".join(str(value).split())
    for char in "\\`*_[]<>|#!":
        text = text.replace(char, "\\" + char)
    return text


def svg(doc: JsonDoc) -> str:
    """Each metric series as a line over time, with the swap marked; opens in any browser."""
    series = {name: points for name, points in sorted(doc["metrics"].items()) if points}
    times = [parse_time(t).timestamp() for points in series.values() for t, _ in points]
    marks = [parse_time(doc["when"][k]).timestamp() for k in ("intent", "outcome")]
    low, high = min(times + marks), max(times + marks)
    span = (high - low) or 1.0
    top = float(max([v for points in series.values() for _, v in points] + [1.0]))

    def x(at: float) -> float:
        return PAD + (at - low) / span * (WIDTH - 2 * PAD)

    def y(value: float) -> float:
        return HEIGHT - PAD - value / top * (HEIGHT - 2 * PAD)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(doc['function'])}: metrics around the swap</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="black"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="black"/>',
        f'<text x="{PAD}" y="{PAD - 8}">max {top:g}</text>',
    ]
    for label, at in zip(("intent", "swap"), marks, strict=True):
        parts.append(
            f'<line x1="{x(at):.1f}" y1="{PAD}" x2="{x(at):.1f}" y2="{HEIGHT - PAD}" '
            f'stroke="grey" stroke-dasharray="4"/><text x="{x(at) + 3:.1f}" y="{PAD + 12}">'
            f"{label}</text>"
        )
    for index, (name, points) in enumerate(series.items()):
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join(f"{x(parse_time(t).timestamp()):.1f},{y(v):.1f}" for t, v in points)
        parts.append(f'<polyline fill="none" stroke="{colour}" points="{path}"/>')
        parts.append(
            f'<text x="{WIDTH - PAD - 140}" y="{PAD + 14 * index}" fill="{colour}">'
            f"{escape(name)}</text>"
        )
    if not series:
        parts.append(f'<text x="{WIDTH / 2 - 60:.0f}" y="{HEIGHT / 2}">no datapoints</text>')
    parts.append(f'<text x="{PAD}" y="{HEIGHT - 12}">{_range(doc)}</text>')
    return "\n".join([*parts, "</svg>"]) + "\n"


def _range(doc: JsonDoc) -> str:
    when: Sequence[str] = (doc["when"]["intent"], doc["when"]["outcome"])
    return escape(f"UTC; intent {when[0]}, swap {when[1]}")
