"""What the actors component resolves: mentions, and the per-Doc table of the actors made on the way."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from presslens.knowledge.actors import ActorEntry, ActorKnowledge
from presslens.knowledge.names import actor_id

DETERMINERS = frozenset({"the", "a", "an", "this"})
STATE_LIKE = frozenset({"state", "population"})


@dataclass
class Mention:
    """One resolved mention: a token range and the actor it denotes."""

    start: int
    end: int
    actor: str
    role: str | None = None
    affiliation: str | None = None
    extended: bool = False  # grew past the matched name (agent, office, delegation, leader's government)


class Resolution:
    """The dictionary plus the actors made for one Doc that it lacks (institutions, NER names), by id."""

    def __init__(self, kb: ActorKnowledge, mixed: bool = True, common: frozenset[str] = frozenset()) -> None:
        self.kb = kb
        self.found: dict[str, ActorEntry] = {}
        self.mixed = mixed  # the text is in normal mixed case (not all capitals or lower case)
        self.common = common  # common English words: one opening a sentence is no name

    def entry(self, ident: str) -> ActorEntry:
        """A dictionary entry or one made for this Doc."""
        return self.kb.entries.get(ident) or self.found[ident]

    def known(self, ident: str) -> ActorEntry | None:
        """The entry of ``ident`` if the dictionary or this Doc has one."""
        return self.kb.entries.get(ident) or self.found.get(ident)

    def add(self, entry: ActorEntry) -> str:
        """Keep an actor made for this Doc (the first one of an id wins); returns its id."""
        self.found.setdefault(entry.id, entry)
        return entry.id

    def institution(self, country: str, code: str, kind: str, template: str) -> str:
        """The actor id of a state's institution (CAMEO country + agent), made from the template when absent."""
        cameo = country + code
        known = self.kb.institutions.get((cameo, kind))
        if known:
            return known
        state = self.kb.entries[self.kb.states[country]]
        name = template.format(country=state.name)
        return self.add(ActorEntry(id=actor_id(name), name=name, kind=kind, country=country, cameo=cameo,
                                   provenance="agent"))


def word(doc: Doc, i: int) -> str | None:
    """The lower-cased text of token ``i``, or None past the end."""
    return doc[i].lower_ if i < len(doc) else None


def entity_at(doc: Doc, i: int) -> Span | None:
    """The named entity that covers token ``i``."""
    return next((e for e in doc.ents if e.start <= i < e.end), None)


def tokens_of(mentions: list[Mention]) -> set[int]:
    """The token indices the mentions cover."""
    return {i for m in mentions for i in range(m.start, m.end)}


def national(mention: Mention, res: Resolution) -> str | None:
    """The country of a state, population or national institution mention (not of a person)."""
    entry = res.entry(mention.actor)
    return entry.country if entry.kind != "person" and entry.country in res.kb.states else None


def main_country(mentions: list[Mention], res: Resolution) -> str | None:
    """The country the article's states and national institutions name most (the first named on a tie)."""
    counts = Counter(c for c in (national(m, res) for m in mentions) if c)
    return counts.most_common(1)[0][0] if counts else None
