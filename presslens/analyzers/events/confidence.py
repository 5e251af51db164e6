"""The heuristic score of a candidate event: the verifier's `hconf` feature, and the confidence when the verifier is off."""

from __future__ import annotations

from spacy.tokens import Token

from presslens.analyzers.events.context import NOUN_TAGS


def clause_weight(head: Token) -> float:
    """+0.05 for the main clause's verb, -0.05 inside a modifier clause or for a noun."""
    node = head
    while node.dep_ == "conj" and node.head != node:
        node = node.head
    if node.dep_ == "ROOT" and node.pos_ in {"VERB", "AUX"}:
        return 0.05
    return -0.05 if node.dep_ in {"relcl", "acl", "advcl"} or node.pos_ in NOUN_TAGS else 0.0


def coded_score(strength: float, found: int, head: Token) -> float:
    """A trigger's strength + 0.15 per actor found (source, target) + the clause term."""
    return strength + 0.15 * found + clause_weight(head)


def confidence(score: float, hypothetical: bool) -> float:
    """The reported confidence: -0.1 when hypothetical, clipped to [0.05, 0.95], two decimals."""
    score -= 0.1 if hypothetical else 0.0
    return round(min(0.95, max(0.05, score)), 2)
