"""One sentence as the event coder sees it: its actors, places and dates, plus the shared parse helpers."""

from __future__ import annotations

from datetime import datetime

from spacy.tokens import Span, Token

from presslens.knowledge.events import EventKnowledge
from presslens.nlp.outputs import ActorOut, PlaceOut

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Edges that cost nothing between an actor and an argument's head ("Hamas and Islamic Jihad").
FREE_EDGES = frozenset({"conj", "appos", "cc", "punct", "compound"})
NOUN_TAGS = frozenset({"NOUN", "PROPN"})


class Trigger:
    """A candidate trigger: head token, code, the tokens the pattern used and where the code came from.

    ``origin`` is "curated" (a curated verb or pattern), "pattern" (a PETRARCH2 pattern), "default" or
    "fallback" (a PETRARCH2 verb's own or its block's code), "phrase" or "noun".
    """

    def __init__(self, head: Token, code: str, reverse: str | None, strength: float, used: list[Token],
                 extra_preps: frozenset[str] = frozenset(), need: int = 1, origin: str = "curated") -> None:
        self.head, self.code, self.reverse, self.strength = head, code, reverse, strength
        self.used, self.extra_preps, self.need, self.origin = used, extra_preps, need, origin


class Sentence:
    """One sentence with the article's actors and places (the mentions inside it) and its dates."""

    def __init__(self, k: EventKnowledge, sent: Span, doc_tokens: list[Token], doc_lowers: list[str],
                 actors: dict[str, ActorOut], places: dict[str, PlaceOut], actor_spans: list[Span],
                 place_spans: list[Span], dates: list[Span], published: datetime | None) -> None:
        self.k, self.lex, self.sent = k, k.lexicon, sent
        self.doc_tokens = doc_tokens
        self.tokens = doc_tokens[sent.start : sent.end]
        self.lowers = doc_lowers[sent.start : sent.end]
        self.actors, self.places, self.published = actors, places, published
        self.actor_spans = actor_spans
        self.place_spans = place_spans
        self.dates = dates

    def cameo(self, ident: str | None) -> str | None:
        """The CAMEO actor code of an actor id."""
        actor = self.actors.get(ident) if ident else None
        return actor.get("cameo") if actor else None

    def kind(self, ident: str | None) -> str | None:
        """The kind of an actor id ("media", "state", ...)."""
        actor = self.actors.get(ident) if ident else None
        return actor.get("kind") if actor else None

    def is_frame(self, verb: Token) -> bool:
        """A reporting frame ("X reported that ..."): not an event itself."""
        return verb.lemma_.lower() in self.lex.reporting_verbs and any(
            c.dep_ in {"ccomp", "parataxis"} for c in verb.children)


def words(token: Token) -> set[str]:
    """The lower-case lemma and form of a token."""
    return {token.lemma_.lower(), token.lower_}


def distance(token: Token, head: Token, span: Span) -> int:
    """Edges from ``token`` up to ``head``; conj/appos/compound edges are free."""
    if span.start <= head.i < span.end:
        return 0
    cost, node = 0, token
    while node != head and node.head != node:
        cost += node.dep_ not in FREE_EDGES
        node = node.head
    return cost if node == head else 99


def next_token(token: Token) -> Token | None:
    """The token after ``token`` in its Doc, if any."""
    doc = token.doc
    return doc[token.i + 1] if token.i + 1 < len(doc) else None
