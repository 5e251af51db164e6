"""Terminal-safe text: control characters and bidi overrides shown as visible escapes, never obeyed."""

from __future__ import annotations

from typing import Any, TextIO

# C0, DEL, C1, and the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_PLAIN = {c: _NAMED.get(c, f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _UNSAFE}
_JSON = {c: _NAMED.get(c, f"\\u{c:04x}") for c in _UNSAFE}
# str.translate tables by (json, newlines): the escape style, and whether a line break stays one.
_TABLES = {
    (False, False): _PLAIN,
    (False, True): {**_PLAIN, 0x0A: "\n"},
    (True, False): _JSON,
    (True, True): {**_JSON, 0x0A: "\n"},
}


def visible(text: str, *, newlines: bool = False, json: bool = False) -> str:
    """``text`` with every control character and bidi override escaped (``\\x1b``, ``\\u202e``).

    Args:
        text: what is about to reach a terminal.
        newlines: keep line breaks that are meant as line breaks (CSV rows, JSON Lines).
        json: escape as JSON does (``\\u001b``), so JSON text stays valid and means the same.
    """
    return text.translate(_TABLES[json, newlines])


class VisibleWriter:
    """A text stream that escapes what it writes with :func:`visible` (CSV or JSON Lines to a terminal)."""

    def __init__(self, stream: TextIO, *, json: bool = False) -> None:
        self.stream = stream
        self.json = json

    def write(self, text: str) -> Any:
        """Write ``text`` escaped, its line breaks kept."""
        return self.stream.write(visible(text, newlines=True, json=self.json))
