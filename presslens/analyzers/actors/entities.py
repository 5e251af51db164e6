"""PERSON, ORG and NORP entities the dictionary lacks, made into actors named by their fullest form."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from presslens.analyzers.actors.mentions import Mention, Resolution, main_country, tokens_of
from presslens.analyzers.actors.roles import composed_code
from presslens.knowledge.actors import ActorEntry
from presslens.knowledge.names import actor_id

_NER_KINDS = {"PERSON": "person", "ORG": "organization", "NORP": "population"}
# Prepositions after which a name is a location, never a person ("in Upper Kessel").
_CREDITS = frozenset({"reporting", "editing", "writing", "compiled", "photo", "photos", "graphic", "illustration"})
_CREDIT_WINDOW = 24  # tokens back from a name to the "Reporting by" of its credit line
_LOCATIVE_PREPS = frozenset({"in", "at", "near", "into", "outside", "around", "across", "toward", "towards"})


def entities(doc: Doc, mentions: list[Mention], res: Resolution) -> list[Mention]:
    """Mentions of the entities the dictionary lacks (not places, not junk), and of their surnames alone."""
    taken = tokens_of(mentions)
    skip_heads = set(res.kb.manifest.not_actor_heads)
    ents = [e for e in doc.ents if e.label_ in _NER_KINDS
            and not any(t.i in taken or t._.presslens_place is not None for t in e)]
    bodies = [m for m in (national_body(e, mentions, res) for e in ents if e.label_ == "ORG") if m]
    ents = [e for e in ents if not _place_like(e, skip_heads) and not junk(e, res)
            and not any(m.start == e.start for m in bodies)]
    ents = [e for e in ents if e.label_ != "NORP" or e[-1].tag_ in {"NNS", "NNPS"}]  # "Jews", not "Jewish"
    full: dict[str, str] = {}
    for ent in sorted(ents, key=len, reverse=True):
        if ent.label_ == "PERSON":
            full.setdefault(ent[-1].text, _bare(ent))
    extra, made = list(bodies), dict[str, ActorEntry]()
    for ent in ents:
        name = full.get(ent[-1].text, _bare(ent)) if ent.label_ == "PERSON" else _bare(ent)
        if not name or actor_id(name) in res.kb.entries:
            continue
        country, cameo = composed_code(ent, mentions, res) if ent.label_ == "PERSON" else (None, None)
        entry = made.get(actor_id(name))
        if entry is None or (entry.cameo is None and cameo):  # the first title that gives a code wins
            entry = made[actor_id(name)] = ActorEntry(id=actor_id(name), name=name, kind=_NER_KINDS[ent.label_],
                                                      country=country, cameo=cameo, provenance="ner")
        extra.append(Mention(ent.start, ent.end, entry.id))
    for entry in made.values():
        res.add(entry)
    covered = taken | tokens_of(extra)
    for token in doc:  # a surname alone, where the tagger missed it: "Dagalo added"
        if token.text in full and " " in full[token.text] and token.i not in covered and token.pos_ == "PROPN":
            extra.append(Mention(token.i, token.i + 1, actor_id(full[token.text])))
    return extra


def national_body(ent: Span, mentions: list[Mention], res: Resolution) -> Mention | None:
    """A bare "the Senate", "Congress", "Parliament": the body of the article's main country.

    The main country is the one its states and national institutions name most (the first
    named on a tie); its body is the dictionary's "<country form> <body>" ("US Senate") if
    there is one, else one made from the body's name and CAMEO agent code ("Senate of Nigeria").
    """
    words = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
    body = res.kb.manifest.national_bodies.get(" ".join(t.lower_ for t in words))
    if body is None or (res.mixed and not words[0].text[:1].isupper()):
        return None
    country = main_country(mentions, res)
    if country is None:
        return None
    state = res.kb.entries[res.kb.states[country]]
    code, canonical = body
    for form in [state.name, *state.aliases]:
        for name in (canonical, " ".join(t.text for t in words)):
            known = res.kb.aliases.get(f"{form} {name}")
            if known and res.kb.entries[known].country == country:
                return Mention(ent.start, ent.end, known)
    name = f"{canonical} of {state.name}"
    return Mention(ent.start, ent.end, res.add(ActorEntry(id=actor_id(name), name=name, kind="government",
                                                          country=country, cameo=country + code, provenance="agent")))


def junk(ent: Span, res: Resolution) -> bool:
    """Whether an entity is no actor's name.

    A lower-case word (in mixed-case text), a title abbreviation ("Sens.", "Gen."), capitalised
    common words ("Officials", "Police said") with no proper noun, one common English word
    (``res.common``) opening a sentence ("Meth, we're on it"), or a person in a byline ("Reporting by").
    """
    words = [t for t in ent if t.is_alpha and t.lower_ != "the"]
    if not words:
        return True
    if res.mixed and not any(t.text[:1].isupper() for t in words):
        return True
    titles = res.kb.manifest.person_titles
    named = [t for t in words if t.lower_ not in titles and t.lower_ not in res.kb.titles]
    if not named or all(t.pos_ != "PROPN" for t in named):
        return True
    opening = ent.start == ent.sent.start or not any(t.is_alpha for t in ent.doc[ent.sent.start : ent.start])
    if len(named) == 1 and opening and named[0].lower_ in res.common:
        return True
    return ent.label_ == "PERSON" and _byline(ent)


def _byline(ent: Span) -> bool:
    """Whether a person is named in a credit line: "(Reporting by X, Y and Z; Editing by W)"."""
    doc = ent.doc
    for token in reversed(doc[max(ent.sent.start, ent.start - _CREDIT_WINDOW) : ent.start]):
        if token.lower_ == "by":
            return token.i > 0 and doc[token.i - 1].lower_ in _CREDITS
        if not (token.is_punct or token.lower_ == "and" or token.ent_type_ == "PERSON"):
            return False
    return False


def _bare(ent: Span) -> str:
    """An entity's text without a leading "the" (a person's: without leading common words, "Questioning
    Vindman"), or a trailing possessive."""
    start = ent.start
    while ent.label_ == "PERSON" and start < ent.end - 1 and ent.doc[start].pos_ not in {"PROPN", "PUNCT"}:
        start += 1
    tokens = [t for t in ent.doc[start : ent.end] if not (t.i == ent.start and t.lower_ == "the") and t.tag_ != "POS"]
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
