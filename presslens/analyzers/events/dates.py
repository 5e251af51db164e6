"""When: the DATE/TIME entity of a trigger's clause, resolved against the publication date (or a chained date)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import dateparser
from spacy.tokens import Span, Token

from presslens.analyzers.events.context import Sentence

_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CHAINED = frozenset({"later", "earlier"})  # "two days later": after the date the text told last
_RELATIVE = frozenset({"after", "before"})  # "two days after the visit": relative to an undated event
_HEDGES = frozenset({"early", "earlier", "late", "mid", "on", "around", "about"})


def date_entity(ctx: Sentence, head: Token, frame: Token | None) -> Span | None:
    """The DATE/TIME entity of the trigger's own clause, else one attached to its reporting frame."""
    if not ctx.dates:
        return None
    scope = {t.i for t in head.subtree}
    frame_children = {c.i for c in frame.children} if frame is not None else set()
    for ent in ctx.dates:
        if ent.root.i in scope and _clause_of(ent.root, head) or ent.root.i in frame_children:
            return ent
    return None


def resolve(ctx: Sentence, ent: Span, future: bool = False, depth: int = 0) -> str | None:
    """The ISO date of one entity: weekdays and "yesterday" against ``published``, "two days later" chained."""
    doc = ent.doc
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    last = ent[-1].lower_
    if after in _RELATIVE or last in _RELATIVE and ent.end < len(doc) and not doc[ent.end].is_punct:
        return None
    if last in _CHAINED or after in _CHAINED:
        return _chained(ctx, ent, -1 if "earlier" in {last, after} else 1, depth)
    base = ctx.published
    words = [t.lower_ for t in ent]
    if all(w.isdigit() and len(w) != 4 for w in words):
        return None  # a bare number ("area 55") is no date
    weekday = next((w for w in words if w in _WEEKDAYS), None)
    if weekday is not None and base is not None and not _YEAR.search(ent.text) and not any(w[:1].isdigit() for w in words):
        return _weekday(base, _WEEKDAYS.index(weekday), future or "next" in words, "last" in words).isoformat()
    if base is None and not _YEAR.search(ent.text):
        return None
    plain = " ".join(w for w in words if w not in _HEDGES) or ent.text
    noiseless = " ".join(t.text for t in ent if t.lower_ not in ctx.lex.date_noise)
    return parse_date(plain, base, future) or (parse_date(noiseless, base, future) if noiseless else None)


def _weekday(base: datetime, day: int, future: bool, strictly_past: bool) -> date:
    """The most recent such weekday on (or, with "last", before) ``base``; the next one after it when future."""
    if future:
        return (base + timedelta(days=(day - base.weekday() - 1) % 7 + 1)).date()
    back = (base.weekday() - day) % 7 or (7 if strictly_past else 0)
    return (base - timedelta(days=back)).date()


def _chained(ctx: Sentence, ent: Span, sign: int, depth: int) -> str | None:
    """"two days later": the offset applied to the nearest earlier date entity of the text that resolves."""
    amount = parse_date(" ".join(t.text for t in ent if t.lower_ not in _CHAINED) + " ago", datetime(2000, 1, 1))
    if amount is None or depth > 2:
        return None
    offset = datetime(2000, 1, 1).date() - datetime.fromisoformat(amount).date()
    earlier = [e for e in ent.doc.ents if e.label_ in {"DATE", "TIME"} and e.end <= ent.start]
    for previous in reversed(earlier):
        found = resolve(ctx, previous, depth=depth + 1)
        if found is not None:
            return (datetime.fromisoformat(found).date() + sign * offset).isoformat()
    return None


def _clause_of(token: Token, head: Token) -> bool:
    """True when ``token`` belongs to ``head``'s own clause (no nested clause in between)."""
    node = token
    while node != head and node.head != node:
        if node.dep_ in {"ccomp", "relcl", "advcl"} and node.pos_ in {"VERB", "AUX"}:
            return False
        node = node.head
    return node == head


@lru_cache(maxsize=4096)
def parse_date(text: str, base: datetime | None, future: bool = False, latest: bool = False) -> str | None:
    """ISO date of a date expression, relative ones against ``base`` (dateparser); a bare month or year is its
    first day (``latest``: its last, to test whether the whole period lies before a date)."""
    edge = "last" if latest else "first"
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_AS_TIMEZONE_AWARE": False,
                                "PREFER_DAY_OF_MONTH": edge, "PREFER_MONTH_OF_YEAR": edge}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else None


def parse_published(value: object) -> datetime | None:
    """The publication date from ``doc.user_data["published"]`` (ISO 8601), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None
