"""When: the DATE/TIME entity of a trigger's clause, resolved with dateparser against the publication date."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

import dateparser
from spacy.tokens import Span, Token

from presslens.analyzers.events.context import Sentence

_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def event_date(ctx: Sentence, head: Token, frame: Token | None) -> str | None:
    """ISO date of the DATE entity in the trigger's clause or frame, resolved with dateparser."""
    if not ctx.dates:
        return None
    scope = {t.i for t in head.subtree}
    frame_children = {c.i for c in frame.children} if frame is not None else set()
    for ent in ctx.dates:
        if ent.root.i in scope and _clause_of(ent.root, head) or ent.root.i in frame_children:
            return _resolve(ctx, ent)
    return None


def _resolve(ctx: Sentence, ent: Span) -> str | None:
    """The ISO date of one entity; None for one relative to another event ("two days after")."""
    doc = ent.doc
    after = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if after in {"after", "before", "later", "earlier"}:
        return None
    text = " ".join(t.text for t in ent if t.lower_ not in ctx.lex.date_noise) or ent.text
    if ctx.published is None and not _YEAR.search(text):
        return None
    return parse_date(text, ctx.published)


def _clause_of(token: Token, head: Token) -> bool:
    """True when ``token`` belongs to ``head``'s own clause (no nested clause in between)."""
    node = token
    while node != head and node.head != node:
        if node.dep_ in {"ccomp", "relcl", "advcl"} and node.pos_ in {"VERB", "AUX"}:
            return False
        node = node.head
    return node == head


@lru_cache(maxsize=4096)
def parse_date(text: str, base: datetime | None) -> str | None:
    """ISO date of a date expression, relative ones resolved against ``base`` (dateparser)."""
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
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
