"""Event triggers of a sentence: fixed phrases, verbs by lemma and pattern, event nouns ("attack")."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from presslens.analyzers.events.context import NOUN_TAGS, Sentence, Trigger
from presslens.analyzers.events.patterns import VerbCoder
from presslens.knowledge.events import Curated

_VERB_TAGS = frozenset({"VERB", "AUX"})
# Verb forms used as modifiers: "the attacked village", "it's striking", "trade talks" (a mis-tagged noun).
_NOT_VERBAL = frozenset({"amod", "acomp", "compound"})


def triggers(ctx: Sentence, verbs: VerbCoder) -> Iterator[Trigger]:
    """Phrase, verb and noun triggers of a sentence; a token serves one trigger only."""
    k, lex = ctx.k, ctx.lex
    used: set[int] = set()
    for trig in phrases(ctx.tokens, ctx.lowers, k.phrases):
        used.update(t.i for t in trig.used)
        yield trig
    verb_triggers = []
    for token in ctx.tokens:
        if token.i in used or token.pos_ not in _VERB_TAGS or token.dep_ in _NOT_VERBAL:
            continue
        if ctx.is_frame(token) or token.lower_ in lex.attribution_preps:
            continue
        if token.lemma_.lower() in lex.light_verbs and any(
                c.dep_ == "dobj" and (c.lemma_.lower() in k.nouns or c.i in used) for c in token.children):
            continue  # "launched an air strike": the event noun carries the event
        coded = verbs.code(token)
        if coded is not None:
            verb_triggers.append(coded)
            used.update(t.i for t in coded.used)
    yield from verb_triggers
    for token in ctx.tokens:
        entry = k.nouns.get(token.lemma_.lower())
        if entry is None or token.i in used or token.pos_ not in NOUN_TAGS:
            continue
        supported = token.dep_ == "dobj" and token.head.lemma_.lower() in lex.light_verbs
        yield Trigger(token, entry.code or "", None, 0.6 if supported else 0.35, [token], need=int(entry.needs_actor),
                      origin="noun")


def phrases(sent: list[Token], lowers: list[str], entries: list[Curated]) -> Iterator[Trigger]:
    """Fixed phrases of ``curated.jsonl`` ("will not be silent") in a sentence's tokens (and their lower-case forms)."""
    present = set(lowers)
    for entry in entries:
        if entry.words[0] not in present:
            continue
        n = len(entry.words)
        for i in range(len(lowers) - n + 1):
            if lowers[i : i + n] == entry.words:
                tokens = sent[i : i + n]
                inside = {t.i for t in tokens}
                head = next((t for t in tokens if t.head.i not in inside or t.head == t), tokens[0])
                extra = frozenset({entry.prep}) if entry.prep else frozenset({"about", "over"})
                yield Trigger(head, entry.code or "", None, 0.6, tokens, extra_preps=extra, need=0, origin="phrase")
