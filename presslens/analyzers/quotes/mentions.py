"""The actor mentions a speaker phrase can name, read from the actors component's output."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

import presslens.nlp.extensions  # noqa: F401  (registers the Doc and Token extensions read here)
from presslens.analyzers.actors.pronouns import GENDERED
from presslens.nlp.outputs import ActorOut

_SOURCE_PREPS = frozenset({"by", "from", "of"})


@dataclass(frozen=True)
class Pronouns:
    """Pronouns that stand for a person, and those that stand for a group (an organisation, a state, people)."""

    person: frozenset[str]
    group: frozenset[str]


class ActorIndex:
    """An article's actor mentions in text order; other pronouns resolve to the nearest earlier fitting actor.

    A token's actor is ``token._.presslens_actor``, the one index the actors component writes; it
    resolves gendered pronouns (he, she) itself, so one it left alone stays unresolved here too.
    """

    def __init__(self, doc: Doc, pronouns: Pronouns) -> None:
        self.mentions: list[Span] = sorted(doc.spans.get("presslens_actors", []), key=lambda s: s.start)
        self.actors: dict[str, ActorOut] = doc._.presslens_actors or {}
        self.pronouns = pronouns

    def kind(self, actor_id: str) -> str | None:
        """An actor's kind (``state``, ``person``, ``media``, ...)."""
        actor = self.actors.get(actor_id)
        return actor.get("kind") if actor else None

    def first_within(self, start: int, end: int, under: Token | None = None) -> Span | None:
        """The first actor mention inside a token range (below ``under`` only through 'by', 'from', 'of')."""
        for mention in self.mentions:
            if start <= mention.start and mention.end <= end and (under is None or _reachable(mention, under)):
                return mention
        return None

    def resolve(self, rng: tuple[int, int], head: Token) -> str | None:
        """The actor a speaker phrase names: a mention on its head, inside it, or a pronoun's antecedent."""
        if head._.presslens_actor is not None:
            return head._.presslens_actor
        for child in head.children:
            named = self.first_within(child.left_edge.i, child.right_edge.i + 1) if child.dep_ == "appos" else None
            if named is not None:
                return named.label_
        inside = self.first_within(*rng)
        if inside is not None:
            return inside.label_
        pronoun = head.lower_
        if pronoun in GENDERED:
            return None
        if pronoun in self.pronouns.person:
            wanted = {"person"}
        elif pronoun in self.pronouns.group:
            wanted = None
        else:
            return None
        for mention in reversed(self.mentions):
            if mention.start >= head.i:
                continue
            kind = self.kind(mention.label_)
            if (wanted is not None and kind in wanted) or (wanted is None and kind != "person"):
                return mention.label_
        return None


def _reachable(mention: Span, top: Token) -> bool:
    """Whether a mention hangs below ``top`` through no preposition but 'by', 'from' or 'of'."""
    node = mention.root
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ == "prep" and node.lower_ not in _SOURCE_PREPS:
            return False
        node = node.head
    return True
