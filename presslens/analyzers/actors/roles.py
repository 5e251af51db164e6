"""Roles and affiliations of persons from appositions and titles ("the head of the Political Bureau, X")."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from presslens.analyzers.actors.mentions import Mention, Resolution, tokens_of


def roles(doc: Doc, mentions: list[Mention], res: Resolution) -> set[int]:
    """Set the role and affiliation of person mentions; returns the role phrases' token indices.

    "the head of the Political Bureau, Ismail Haniyeh" -> role "head of the Political Bureau".
    """
    role_words: set[int] = set()
    for mention in mentions:
        if res.entry(mention.actor).kind != "person":
            continue
        head = doc[mention.start : mention.end].root
        role_root = _role_root(head)
        if role_root is None:
            _title_role(head, mention, mentions, res)
            continue
        owner = [t for c in role_root.children if c.dep_ == "poss" for t in c.subtree]
        words = [t for t in role_root.subtree if t.i < head.left_edge.i and t.dep_ not in {"nummod", "punct"}]
        words = [t for t in words if t not in owner and not (t.dep_ == "det" and t.i == role_root.left_edge.i)]
        if words and words[0].i >= mention.start:
            continue
        if words:
            mention.role = " ".join(t.lemma_ if t is role_root else t.text for t in words)
            role_words.update(t.i for t in words)
        mention.affiliation = _affiliation(role_root, owner + words, mentions, res)
    return role_words


def inside_role(mention: Mention, role_words: set[int], res: Resolution) -> bool:
    """Whether an NER-made organisation is part of a person's role ("the Political Bureau")."""
    entry = res.entry(mention.actor)
    inside = bool(role_words.intersection(range(mention.start, mention.end)))
    return inside and entry.provenance == "ner" and entry.kind != "person"


def _title_role(head: Token, mention: Mention, mentions: list[Mention], res: Resolution) -> None:
    """A role in front of a name: "RSF commander Abdel Rahim Dagalo" -> commander, Rapid Support Forces."""
    doc = head.doc
    before = [t for word in doc[mention.start : mention.end] for c in word.lefts
              if c.dep_ in {"compound", "amod"} and c.i < mention.start for t in c.subtree]
    named = tokens_of(mentions)
    titles = res.kb.manifest.person_titles
    nouns = [t for t in before if (t.pos_ == "NOUN" or t.lower_ in titles) and t.i not in named]
    if nouns:
        mention.role = " ".join(t.text for t in nouns)
        mention.affiliation = _affiliation(nouns[-1], before, mentions, res)


def _affiliation(role_root: Token, words: list[Token], mentions: list[Mention], res: Resolution) -> str | None:
    """An organisation named in the role, or the group the person leads ("A Hamas delegation, led by ...")."""
    def actor_at(i: int) -> str | None:
        for m in mentions:
            if m.start <= i < m.end and res.entry(m.actor).provenance != "ner":
                return m.actor if res.entry(m.actor).kind != "person" else None
        return None

    for token in words:
        if actor_at(token.i):
            return actor_at(token.i)
    by = role_root.head
    if role_root.dep_ == "pobj" and by.dep_ == "agent" and by.head.lemma_ in {"lead", "head"}:
        return actor_at(by.head.head.i)
    return None


def _role_root(head: Token) -> Token | None:
    """The noun a person's name is apposed to, climbing "of" phrases ("head of the Political Bureau, X" -> head)."""
    if head.dep_ != "appos" or head.head.pos_ not in {"NOUN", "PROPN"}:
        return None
    root = head.head
    while root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        root = root.head.head
    return root if root.pos_ == "NOUN" else None
