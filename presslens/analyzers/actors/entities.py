"""PERSON, ORG and NORP entities the dictionary lacks, made into actors named by their fullest form."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from presslens.analyzers.actors.mentions import Mention, Resolution, tokens_of
from presslens.knowledge.actors import ActorEntry
from presslens.knowledge.names import actor_id

_NER_KINDS = {"PERSON": "person", "ORG": "organization", "NORP": "population"}
# Prepositions after which a name is a location, never a person ("in Upper Kessel").
_LOCATIVE_PREPS = frozenset({"in", "at", "near", "into", "outside", "around", "across", "toward", "towards"})


def entities(doc: Doc, mentions: list[Mention], res: Resolution) -> list[Mention]:
    """Mentions of the entities the dictionary lacks (not places), and of their surnames alone."""
    taken = tokens_of(mentions)
    skip_heads = set(res.kb.manifest.not_actor_heads)
    ents = [e for e in doc.ents if e.label_ in _NER_KINDS
            and not any(t.i in taken or t._.presslens_place is not None for t in e)]
    ents = [e for e in ents if not _place_like(e, skip_heads)]
    ents = [e for e in ents if e.label_ != "NORP" or e[-1].tag_ in {"NNS", "NNPS"}]  # "Jews", not "Jewish"
    full: dict[str, str] = {}
    for ent in sorted(ents, key=len, reverse=True):
        if ent.label_ == "PERSON":
            full.setdefault(ent[-1].text, _bare(ent))
    extra = []
    for ent in ents:
        name = full.get(ent[-1].text, _bare(ent)) if ent.label_ == "PERSON" else _bare(ent)
        if not name:
            continue
        entry = ActorEntry(id=actor_id(name), name=name, kind=_NER_KINDS[ent.label_], provenance="ner")
        if entry.id not in res.kb.entries:
            extra.append(Mention(ent.start, ent.end, res.add(entry)))
    covered = taken | tokens_of(extra)
    for token in doc:  # a surname alone, where the tagger missed it: "Dagalo added"
        if token.text in full and " " in full[token.text] and token.i not in covered and token.pos_ == "PROPN":
            extra.append(Mention(token.i, token.i + 1, actor_id(full[token.text])))
    return extra


def _bare(ent: Span) -> str:
    """An entity's text without a leading "the" or a trailing possessive."""
    tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the") and t.tag_ != "POS"]
    return " ".join(t.text for t in tokens).replace(" - ", "-").replace(" -", "-").strip(" '\"")


def _place_like(ent: Span, heads: set[str]) -> bool:
    """Whether an entity names a building or place.

    Its last word, or the word after it, is a place noun; or it is the object of a locative
    preposition ("near Upper Kessel") or of "of" after a place noun ("the village of Upper Kessel").
    """
    words = [t.lower_ for t in ent if t.is_alpha]
    after = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
    root = ent.root
    governed = root.dep_ == "pobj" and (
        root.head.lower_ in _LOCATIVE_PREPS or (root.head.lower_ == "of" and root.head.head.lower_ in heads)
    )
    return not words or words[-1] in heads or after in heads or governed
