"""The one quotation-mark scanner (quotes and framing share it): where quotations open and close in a text.

Pure text functions, no spaCy: paragraphs are lines, and a quotation never crosses a paragraph
(a news-style quotation continued in the next paragraph is recorded as ``continues``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"\w+")
Para = tuple[int, int]
_OPEN = "\u201c\u201e\u00ab"  # “ „ «
_CLOSE = "\u201d\u00bb"  # ” »
_SINGLE_OPEN = "\u2018"  # ‘
_SINGLE_CLOSE = "\u2019"  # ’
_OPEN_CONTEXT = " \t([{/\u2014\u2013-"
_DOUBLE_MARKS = _OPEN + _CLOSE + '"'
_SINGLE_MARKS = _SINGLE_OPEN + _SINGLE_CLOSE + "'"
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "in", "on", "for", "to", "at", "by", "with", "or", "de", "al"})


@dataclass(frozen=True)
class Quotation:
    """Text between quotation marks (marks included); ``closed`` is False when a paragraph ended first."""

    start: int
    end: int
    closed: bool
    continues: bool


def paragraph_ranges(text: str) -> list[Para]:
    """Character ranges of the text's lines (a newline ends a paragraph)."""
    ranges, start = [], 0
    for match in re.finditer(r"\n", text):
        ranges.append((start, match.start()))
        start = match.end()
    ranges.append((start, len(text)))
    return [(s, e) for s, e in ranges if text[s:e].strip()]


def _mark_role(text: str, i: int, lo: int, hi: int, single: bool) -> str | None:
    """Whether the mark at ``i`` opens or closes a quotation (None: not a quotation mark here)."""
    ch = text[i]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if single:
        if ch == _SINGLE_OPEN or (ch == "'" and prev in _OPEN_CONTEXT):
            return "open" if nxt.isalnum() else None
        if ch in (_SINGLE_CLOSE, "'") and not prev.isspace() and not nxt.isalnum():
            return "close"
        return None
    if ch in _OPEN:
        return "open"
    if ch in _CLOSE:
        return "open" if prev in _OPEN_CONTEXT and nxt.isalnum() and i == lo else "close"
    if ch == '"':
        return "open" if prev in _OPEN_CONTEXT and not nxt.isspace() else "close"
    return None


def scan_paragraph(text: str, lo: int, hi: int, single: bool) -> list[Quotation]:
    """Quotations of one paragraph; an opening mark never closed ends at the next opener or the paragraph end."""
    marks = _SINGLE_MARKS if single else _DOUBLE_MARKS
    found: list[Quotation] = []
    open_at: int | None = None
    nested = 0
    for i in range(lo, hi):
        if text[i] not in marks:
            continue
        role = _mark_role(text, i, lo, hi, single)
        if role == "open" and open_at is not None and text[i] in _OPEN and text[open_at] in _OPEN:
            nested += 1  # “...“inner”...”: curly marks nest
        elif role == "open":
            if open_at is not None and not single:
                found.append(Quotation(open_at, len(text[open_at:i].rstrip()) + open_at, False, False))
            if open_at is None or not single:
                open_at = i
        elif role == "close" and nested:
            nested -= 1
        elif role == "close" and open_at is not None:
            found.append(Quotation(open_at, i + 1, True, False))
            open_at = None
    if open_at is not None and not single:
        found.append(Quotation(open_at, len(text[open_at:hi].rstrip()) + open_at, False, False))
    return found


def find_quotations(text: str) -> list[Quotation]:
    """Double-quoted passages of every paragraph (single quotes where a paragraph has no double ones).

    A paragraph that opens with a quotation while the previous paragraph's last quotation was left
    open continues it (news style), which ``continues`` records.
    """
    result: list[Quotation] = []
    last_open = False
    for lo, hi in paragraph_ranges(text):
        double = any(ch in text[lo:hi] for ch in _DOUBLE_MARKS)
        found = scan_paragraph(text, lo, hi, single=not double)
        starts_quoted = bool(found) and not text[lo : found[0].start].strip()
        if found and last_open and starts_quoted:
            first = found[0]
            found[0] = Quotation(first.start, first.end, first.closed, True)
        result.extend(found)
        last_open = bool(found) and not found[-1].closed
    return result


def is_title(inner: str, max_words: int) -> bool:
    """An all-capitalised short phrase without closing punctuation: a name or title, not speech."""
    words = WORD.findall(inner)
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content or len(words) > max_words or inner.rstrip()[-1:] in ".!?":
        return False
    return all(w[0].isupper() or w[0].isdigit() for w in content)


def inner_text(text: str, quotation: Quotation) -> str:
    """The words of a quotation without its marks (an unclosed one has no closing mark)."""
    return text[quotation.start + 1 : quotation.end - (1 if quotation.closed else 0)]


def is_speech_like(text: str, quotation: Quotation, title_words_max: int) -> bool:
    """A quotation holding a word that is not a name or title (scare quotes are told apart later, with the parse)."""
    inner = inner_text(text, quotation)
    return bool(WORD.search(inner)) and not is_title(inner, title_words_max)
