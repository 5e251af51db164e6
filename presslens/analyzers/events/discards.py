"""Sports, entertainment and business uses of conflict verbs: Phoenix discard phrases, domain nouns, game scores."""

from __future__ import annotations

import re

from presslens.analyzers.events.context import Sentence, Trigger
from presslens.analyzers.events.senses import in_class, objects_of, subjects_of

_SCORE = re.compile(r"^(\d{1,2})-(\d{1,2})$")  # "3-1" as one token, or "3", "-", "1"
_HOSTILE = frozenset({"11", "12", "13", "14", "15", "16", "17", "18", "19", "20"})


def discarded_sentence(ctx: Sentence) -> bool:
    """True when the sentence holds a Phoenix discard phrase ("world cup", "box office") or a game score."""
    lowers = ctx.lowers
    present = set(lowers)
    for phrase in ctx.k.rules.discards:
        if phrase[0] in present:
            n = len(phrase)
            if any(tuple(lowers[i : i + n]) == phrase for i in range(len(lowers) - n + 1)):
                return True
    return False


def discarded(ctx: Sentence, trig: Trigger) -> bool:
    """True when a conflict trigger's subject or object is a sports/film/business noun, or it reports a score."""
    info = ctx.k.codes.get(trig.code)
    if info is None:
        return False
    arguments = subjects_of(trig.head) + objects_of(trig.head)
    for domain in ctx.k.rules.domains:
        if info.root in domain.roots and in_class(ctx, arguments, domain.name):
            return True
    return info.root in _HOSTILE and _score(ctx) and (
        in_class(ctx, [trig.head], "contest_verbs") or in_class(ctx, ctx.tokens, "sports"))


def _score(ctx: Sentence) -> bool:
    """A game score in the sentence: "3-1", "3 - 1" (small numbers joined by a hyphen)."""
    lowers = ctx.lowers
    for i, word in enumerate(lowers):
        if _SCORE.match(word):
            return True
        if word == "-" and 0 < i < len(lowers) - 1 and _SCORE.match(f"{lowers[i - 1]}-{lowers[i + 1]}"):
            return True
    return False
