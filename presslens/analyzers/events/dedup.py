"""One event per real event: merge a sentence's duplicates, less specific twins and reversed doubles."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from presslens.analyzers.events.context import NOUN_TAGS
from presslens.nlp.outputs import EventOut

_CLAUSE_EDGES = frozenset({"ROOT", "ccomp", "advcl", "relcl", "parataxis", "conj", "csubj", "acl"})


@dataclass
class Candidate:
    """An event with what merging needs: its trigger head and whether it is the paired reverse (visit/host)."""

    event: EventOut
    head: Token
    paired: bool = False


def clause_root(token: Token) -> int:
    """The index of the verb heading ``token``'s clause (an event noun is its own: "the operations ... the attack")."""
    if token.pos_ in NOUN_TAGS:
        return token.i
    node = token
    while node.dep_ not in _CLAUSE_EDGES and node.head != node:
        node = node.head
    return node.i


def merge(candidates: list[Candidate]) -> list[EventOut]:
    """The events left when each duplicate, twin or reversed double yields to the better one (in order)."""
    keep = [True] * len(candidates)
    for i, a in enumerate(candidates):
        for j in range(i + 1, len(candidates)):
            if not (keep[i] and keep[j]):
                continue
            b = candidates[j]
            relation = _relation(a, b)
            if relation is None:
                continue
            loser = _loser(i, j, a, b, relation)
            keep[loser] = False
    return [c.event for c, kept in zip(candidates, keep) if kept]


def _relation(a: Candidate, b: Candidate) -> str | None:
    """How two events of a sentence relate: "same", "twin" (one role missing, same clause), "reversed" or None."""
    ea, eb = a.event, b.event
    if ea["type"] != eb["type"] or ea["negated"] != eb["negated"]:
        return None
    pa, pb = (ea["source"], ea["target"]), (eb["source"], eb["target"])
    one_clause = clause_root(a.head) == clause_root(b.head)
    if pa == pb and (one_clause or pa != (None, None)):
        return "same"
    if pa != pb and pa == pb[::-1] and None not in pa and not (a.paired or b.paired):
        return "reversed"
    if one_clause and all(x == y or x is None or y is None for x, y in zip(pa, pb)):
        return "twin"
    return None


def _loser(i: int, j: int, a: Candidate, b: Candidate, relation: str) -> int:
    """Which of two related events goes: the less specific twin, else the less confident, else the later."""
    if relation == "twin":
        known_a = sum(x is not None for x in (a.event["source"], a.event["target"]))
        known_b = sum(x is not None for x in (b.event["source"], b.event["target"]))
        if known_a != known_b:
            return i if known_a < known_b else j
    return j if a.event["confidence"] >= b.event["confidence"] else i
