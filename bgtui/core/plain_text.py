"""Text from outside made safe to show: control, escape and bidi characters become visible."""

from __future__ import annotations

import unicodedata

# Unicode categories that change how a terminal draws or orders text instead of being text:
# controls (ESC, C1 CSI), format characters (bidi overrides, zero-width), line separators.
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
ELLIPSIS = "…"


def visible(char: str) -> str:
    """One character as itself, or as the escape a reader can see: `\\x1b`, `\\u202e`."""
    if unicodedata.category(char) not in INVISIBLE:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, lines: bool = False, limit: int = 0) -> str:
    """`text` with every invisible character shown as an escape; newlines kept when `lines`.

    A terminal then draws exactly the characters it was given: no colours, cursor moves,
    titles, hyperlinks or right-to-left reordering planted by whoever wrote the text.
    `limit` cuts a long single line, marking the cut with an ellipsis.
    """
    raw = str(text)
    if lines:
        shown = "\n".join(_line(part) for part in raw.replace("\r\n", "\n").split("\n"))
    else:
        shown = _line(raw)
    if limit and len(shown) > limit:
        return shown[: max(limit - 1, 0)] + ELLIPSIS
    return shown


def _line(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text
    return "".join(" " if char == "\t" else visible(char) for char in text)
