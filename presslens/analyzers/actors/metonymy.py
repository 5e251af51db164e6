"""A capital standing for its government ("Moscow said", "Moscow's position", "talks between Washington and Beijing")."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from presslens.analyzers.actors.mentions import Mention, Resolution, tokens_of
from presslens.knowledge.places import Capitals, load_capitals

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "agent"})
_OBJECTS = frozenset({"dobj", "dative"})


def government_country(span: Span, capitals: Capitals) -> str | None:
    """The country whose government a capital's name stands for here, None where it is a place ("in Moscow").

    The capital is the subject or object of a speech or political verb, the possessor of a
    position-like noun, or an argument of a relation noun through "between"/"with"/"against"/...
    (coordination is followed: "talks between Washington and Beijing").
    """
    country = capitals.country(span.text)
    if country is None:
        return None
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    head = root.head
    if root.dep_ in _SUBJECTS or root.dep_ in _OBJECTS:
        verb = head.head if root.dep_ == "agent" else head
        return country if verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in capitals.verbs else None
    if root.dep_ == "poss":
        return country if head.lower_ in capitals.possessed_nouns else None
    if root.dep_ == "pobj" and head.lower_ in capitals.relation_preps:
        return country if head.head.lower_ in capitals.relation_nouns else None
    return None


def capital_governments(doc: Doc, mentions: list[Mention], res: Resolution) -> list[Mention]:
    """Government mentions of the capitals standing for their state; a mention already on the capital is replaced."""
    capitals = load_capitals()
    found = []
    for ent in doc.ents:
        if ent.label_ != "GPE":
            continue
        country = government_country(ent, capitals)
        if country is None or country not in res.kb.states:
            continue
        found.append(Mention(ent.start, ent.end, res.institution(country, "GOV", "government", "Government of {country}"),
                             extended=True))
    replaced = tokens_of(found)
    return [m for m in mentions if not any(i in replaced for i in range(m.start, m.end))] + found

