"""Make text safe to store and show: lone surrogates replaced, control and bidi characters removed."""

from __future__ import annotations

import re

# Lone UTF-16 surrogates (JSON "\ud800" escapes, undecodable file names): not encodable as UTF-8.
_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 controls except tab, line feed and carriage return, DEL, C1 controls, and the bidi
# embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069) that reorder displayed text.
_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\x0b\x0c]")
# Vertical tab and form feed separate lines; the rest carry no text.
_LINE_BREAKS = frozenset("\x0b\x0c")


def replace_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so that it encodes as UTF-8."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab and line ends kept; vertical tab and form feed become
    line feeds), bidi overrides and isolates, and with lone surrogates replaced by U+FFFD."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    """What one unsafe character becomes: a line feed, U+FFFD for a surrogate, or nothing."""
    char = match.group(0)
    if char in _LINE_BREAKS:
        return "\n"
    return "\ufffd" if "\ud800" <= char <= "\udfff" else ""
