"""Detect a headline or photo caption standing as the first line of a plain-text article."""

from __future__ import annotations

import re

_CLOSING = re.compile(r"[.!?:;,\"'”’)]\s*$")


def split_title(text: str, max_words: int) -> tuple[str | None, str]:
    """Split off a first line that is a title (short, no closing punctuation, followed by a blank line).

    Returns the title (or None) and the remaining body text.
    """
    first, sep, rest = text.partition("\n\n")
    first = first.strip()
    if not sep or not rest.strip() or "\n" in first:
        return None, text
    words = first.split()
    if not words or len(words) > max_words or _CLOSING.search(first):
        return None, text
    return first, rest.lstrip("\n")
