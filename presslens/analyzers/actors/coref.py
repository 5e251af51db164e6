"""Definite descriptions ("the terrorist organization") resolved to the actor they refer back to."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from presslens.analyzers.actors.mentions import DETERMINERS, Mention, Resolution, tokens_of


def descriptions(doc: Doc, mentions: list[Mention], res: Resolution) -> list[Mention]:
    """The mentions plus definite descriptions ("the terrorist organization", "The organization") of their actors."""
    kinds = res.kb.manifest.anaphors
    taken = tokens_of(mentions)
    resolved = list(mentions)
    owners = [doc[t.i - 1 : t.i + 1] for t in doc if t.dep_ == "poss" and t.i and doc[t.i - 1].lower_ == "the"]
    for chunk in sorted([*doc.noun_chunks, *owners], key=lambda c: c.start):
        root = chunk.root if chunk.root.dep_ != "poss" else chunk[-1]
        definite = chunk[0].lower_ in DETERMINERS - {"a", "an"}
        if root.lower_ not in kinds or root.tag_ in {"NNS", "NNPS"} or not definite:
            continue
        chunk = chunk if root.dep_ != "poss" else doc[chunk.start : root.i + 1]
        if any(t.i in taken for t in chunk) or any(t.pos_ == "PROPN" for t in chunk):
            continue
        actor = _antecedent(root, resolved, set(kinds[root.lower_]), res)
        if actor:
            resolved.append(Mention(chunk.start, chunk.end, actor, extended=True))
            resolved.sort(key=lambda m: m.start)
    return resolved


def _antecedent(root: Token, mentions: list[Mention], kinds: set[str], res: Resolution) -> str | None:
    """The apposed actor ("the terrorist organization, Hamas"), else the latest compatible one before."""
    apposed = [c.i for c in root.children if c.dep_ == "appos"] + ([root.head.i] if root.dep_ == "appos" else [])
    for mention in mentions:
        if any(mention.start <= i < mention.end for i in apposed):
            return mention.actor if res.entry(mention.actor).kind in kinds else None
    for mention in reversed(mentions):
        if mention.end <= root.i and res.entry(mention.actor).kind in kinds:
            return mention.actor
    return None
