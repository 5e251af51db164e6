"""How many died: a number beside a casualty word near the trigger ("7 murdered Jews", "killing five")."""

from __future__ import annotations

from spacy.tokens import Token

from presslens.analyzers.events.context import NOUN_TAGS, Sentence, words

_NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"})
_MAX_DIGITS = 12  # longer digit strings are no death count (and int() refuses over 4300 digits)


def fatalities(ctx: Sentence, head: Token) -> int | None:
    """A death count near the trigger: a number beside a casualty word ("7 murdered Jews")."""
    lex = ctx.lex
    sent, tokens = ctx.sent, ctx.doc_tokens
    scope = list(head.subtree) if head.pos_ in NOUN_TAGS else ctx.tokens
    for token in scope:
        value = number(token, lex.number_words)
        if value is None or token.ent_type_ in _NOT_COUNTS:
            continue
        lo, hi = max(sent.start, token.i - 3), min(sent.end, token.i + 4)
        window = [tokens[i] for i in range(lo, hi) if i != token.i]
        if any(words(t) & lex.casualty_words for t in window) and (
                head.pos_ in NOUN_TAGS or any(t.lemma_.lower() in lex.casualty_verbs for t in window)
                or head.lemma_.lower() in lex.casualty_verbs):
            return value
    return None


def number(token: Token, number_words: dict[str, int]) -> int | None:
    """The integer a token spells ("12", "1,200", "٣", "seven"), else None ("³", "①" are no counts)."""
    text = token.lower_.replace(",", "")
    if text.isdecimal():  # not isdigit(): "³" and "①" are digits that int() rejects
        return int(text) if len(text) <= _MAX_DIGITS else None
    return number_words.get(text)
