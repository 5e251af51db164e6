from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from presslens.analyzers.quotes.mentions import ActorIndex, Pronouns
from presslens.nlp.outputs import ActorOut

PRONOUNS = Pronouns(person=frozenset({"she", "he"}), group=frozenset({"they", "it"}))


def _actor(actor_id: str, kind: str) -> ActorOut:
    return {"id": actor_id, "name": actor_id, "kind": kind, "country": None, "cameo": None, "role": None,
            "affiliation": None, "aliases": [], "mentions": []}


def _doc() -> Doc:
    words = ["Hamas", "met", "Jane", "Doe", ".", "She", "said", "they", "agreed", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[1, 1, 3, 1, 1, 6, 6, 8, 6, 6],
              deps=["nsubj", "ROOT", "compound", "dobj", "punct", "nsubj", "ROOT", "nsubj", "ccomp", "punct"])
    doc.spans["presslens_actors"] = [Span(doc, 2, 4, label="jane-doe"), Span(doc, 0, 1, label="hamas")]
    doc._.presslens_actors = {"hamas": _actor("hamas", "organization"), "jane-doe": _actor("jane-doe", "person")}
    doc[0]._.presslens_actor = "hamas"
    for token in doc[2:4]:
        token._.presslens_actor = "jane-doe"
    return doc


def test_analyzers_quotes_mentions_resolve_names_and_pronouns() -> None:
    doc = _doc()
    actors = ActorIndex(doc, PRONOUNS)
    assert [m.label_ for m in actors.mentions] == ["hamas", "jane-doe"]  # in text order
    assert actors.resolve((2, 4), doc[3]) == "jane-doe"  # the head token's actor
    assert actors.resolve((5, 6), doc[5]) is None  # 'She': the actors component resolves it, or nobody does
    doc[5]._.presslens_actor = "jane-doe"
    assert actors.resolve((5, 6), doc[5]) == "jane-doe"  # ... as the actors component resolved it
    assert actors.resolve((7, 8), doc[7]) == "hamas"  # 'they': the nearest earlier non-person
    assert actors.resolve((8, 9), doc[8]) is None
    assert actors.kind("hamas") == "organization" and actors.kind("nobody") is None
    first = actors.first_within(0, 5)
    assert first is not None and first.label_ == "hamas"
