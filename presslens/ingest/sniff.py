"""Tell plain text, HTML and JSON Lines apart from content as well as the file name."""

from __future__ import annotations

import re
from typing import Literal

Format = Literal["text", "html", "jsonl"]

_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(rb"</?(?:p|div|span|article|a|br|h[1-6]|section|table|ul|li)\b[^>]*>", re.I)
_SUFFIXES: dict[str, Format] = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".txt": "text", ".text": "text",
}


def sniff_format(head: bytes, name: str = "") -> Format:
    """Guess the format from the first bytes, using the file name suffix only to break ties."""
    lowered = name.lower().removesuffix(".gz")
    by_name = next((fmt for suffix, fmt in _SUFFIXES.items() if lowered.endswith(suffix)), None)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML_START.match(stripped):
        return "html"
    if stripped.startswith(b"{") and (by_name == "jsonl" or b"}\n" in stripped or b"}\r\n" in stripped):
        return "jsonl"
    if by_name is not None:
        return by_name
    if len(_HTML_TAG.findall(head)) >= 3:
        return "html"
    return "jsonl" if stripped.startswith(b"{") else "text"
