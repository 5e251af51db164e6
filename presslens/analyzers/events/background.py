"""Background: an event dated clearly before the article, or told as past context ("had attacked", "years ago")."""

from __future__ import annotations

from datetime import timedelta

from spacy.tokens import Span, Token

from presslens.analyzers.events.context import Sentence
from presslens.analyzers.events.dates import parse_date
from presslens.analyzers.events.modality import governing_light_verb

NEWS_DAYS = 30  # an event whose whole period ends more than this many days before publication is background


def is_background(ctx: Sentence, head: Token, ent: Span | None, date: str | None, future: bool = False) -> bool:
    """True for an event dated before ``published`` - NEWS_DAYS, in the past perfect, or "N years ago"/"in 2014"."""
    published = ctx.published
    if ent is not None and date is not None and published is not None:
        text = " ".join(t.text for t in ent if t.lower_ not in ctx.lex.date_noise) or ent.text
        latest = parse_date(text, published, future, latest=True) or date
        return latest < (published - timedelta(days=NEWS_DAYS)).date().isoformat()
    node = governing_light_verb(head, ctx.lex.light_verbs)
    if node.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in {"had", "'d"} for c in node.children):
        return True  # "Hamas, which had attacked Israel, ...": past perfect
    clause = _clause(head)
    doc = head.doc
    for token in clause:
        nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
        if token.lower_ in ctx.lex.background_units and nxt in ctx.lex.background_words:
            return True  # "two years ago", "months earlier"
        if published is not None and token.like_num and len(token.text) == 4 and token.text.isdigit() and (
                1800 <= int(token.text) < published.year):
            return True  # "in 2014", "the 2008 war"
    return False


def _clause(head: Token) -> list[Token]:
    """The tokens of the trigger's own clause (its subtree without nested clauses)."""
    out, stack = [], [head]
    while stack:
        node = stack.pop()
        out.append(node)
        stack += [c for c in node.children if c.dep_ not in {"ccomp", "relcl", "advcl", "parataxis", "conj"}]
    return out
