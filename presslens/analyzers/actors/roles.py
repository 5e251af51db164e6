"""Roles and affiliations of persons from appositions and titles ("the head of the Political Bureau, X")."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from presslens.analyzers.actors.mentions import Mention, Resolution, tokens_of
from presslens.knowledge.actors import ActorEntry


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
        abbreviations = res.kb.manifest.title_abbreviations
        mention.role = " ".join(abbreviations.get(t.lower_.rstrip("."), t.text) for t in nouns)
        mention.affiliation = _affiliation(nouns[-1], before, mentions, res)


def composed_code(ent: Span, mentions: list[Mention], res: Resolution) -> tuple[str | None, str | None]:
    """Country and CAMEO code of a person the dictionary lacks, from the title next to the name.

    The title before the name ("Iran's unification minister X", "Sen. X") or in an apposition
    ("X, a Russian opposition leader") gives the agent code (Phoenix's title table: minister ->
    GOV, senator -> LEG, rebel commander -> REB). The country is the state named in the title
    (possessive, demonym, "of X"; not "envoy to X") or the country of a place in it ("South Dakota
    governor"), else the title's default country (manifest
    ``title_countries``); never a guess from the rest of the article (a US general in an Afghan
    story). A group named in the title gives its own code ("Taliban spokesman" -> AFGREB). With no known title, a national institution right before the name gives its code
    ("US Trade Representative Robert Lighthizer"). A parenthesis after the name ("(D-Calif.)") gives the
    country where the title does not, and alone makes the person a party member of it (PTY).
    """
    for phrase in _title_phrases(ent):
        code, title = res.kb.title_code([t.lower_ for t in phrase if t.lower_.rstrip(".").isalpha()])  # "Sen." too
        cut = next((i for i, t in enumerate(phrase) if t.pos_ == "ADP" and t.lower_ != "of"), len(phrase))
        phrase = phrase[:cut]  # "envoy to Ukraine", "a scholar with the X Institute": not the person's
        named = _actors_in(phrase, mentions, res)
        if code is None:
            coded = [e for e, _ in named if e.cameo and e.country and phrase and phrase[-1].i == ent.start - 1]
            if coded:
                return coded[-1].country, coded[-1].cameo
            continue
        group = next((e for e, _ in named if e.cameo and e.kind not in _NATIONAL), None)
        if group is not None:  # "Taliban spokesman": a member speaks for the group, coded as it
            return group.country, group.cameo
        country = next((e.country for e, by_name in named if e.country in res.kb.states
                        and (code not in _SECTOR_CODES or not by_name)), None) or _place_country(phrase, res)
        country = country or res.kb.manifest.title_countries.get(title) or marker_country(ent, res)
        return country, (country + code if country else None)
    country = marker_country(ent, res)
    return (country, country + "PTY") if country else (None, None)


def marker_country(ent: Span, res: Resolution) -> str | None:
    """The country a parenthesis right after a name gives ("(D-Calif.)", "(Tex.)"; manifest ``name_markers``)."""
    doc = ent.doc
    close = next((t.i for t in doc[ent.end : ent.end + 6] if t.text == ")"), None)
    if ent.end >= len(doc) or doc[ent.end].text != "(" or close is None:
        return None
    words = [w.rstrip(".") for w in doc[ent.end + 1 : close].text.replace(" ", "").split("-")]
    countries = {res.kb.name_markers.get(w) for w in words}
    return countries.pop() if len(countries) == 1 and None not in countries else None


_MAX_TITLE = 7  # words of a title before a name ("U.S. Ambassador to the European Union")
_STOPS = frozenset({"and", "or", "but", "with", "while"})
# Agent codes of professions a state's name before them describes the subject of ("China scholar").
_SECTOR_CODES = frozenset({"EDU", "MED", "BUS", "HLH"})
# Actors whose name in a title gives only the country ("Russian opposition leader", "Iran's minister").
_NATIONAL = frozenset({"state", "population", "government"})


def _title_phrases(ent: Span) -> list[list[Token]]:
    """The words before a name (up to a verb, a clause break or another person) and its appositions."""
    doc = ent.doc
    sent_start = ent.sent.start if doc.has_annotation("SENT_START") else 0
    before: list[Token] = []
    for token in reversed(doc[max(sent_start, ent.start - _MAX_TITLE) : ent.start]):
        word_like = token.is_alpha or token.tag_ == "POS" or token.text.endswith(".") or token.text == "-"
        if not word_like or token.pos_ in {"VERB", "AUX"} or token.lower_ in _STOPS or token.ent_type_ == "PERSON":
            break
        before.insert(0, token)
    apposed = [c for c in ent.root.children if c.dep_ == "appos" and c.i >= ent.end]
    return [before] + [[t for t in c.subtree if t.i <= c.i] for c in apposed]


def _place_country(phrase: list[Token], res: Resolution) -> str | None:
    """The country of a place that qualifies a title ("South Dakota governor" -> USA), not "envoy to X"."""
    places = phrase[0].doc._.presslens_places or {} if phrase else {}
    titles = res.kb.manifest
    for token in phrase:
        word = token.lower_.rstrip(".")
        if word in titles.title_abbreviations or word in titles.person_titles or word in res.kb.titles:
            continue  # "Sens." is a title here, not the French town
        place = places.get(token._.presslens_place) if token._.presslens_place else None
        if place and place["country"] in res.kb.states and not (token.dep_ == "pobj" and token.head.lower_ != "of"):
            return place["country"]
    return None


def _actors_in(phrase: list[Token], mentions: list[Mention], res: Resolution) -> list[tuple[ActorEntry, bool]]:
    """The non-person actors named in a title phrase, each with whether a noun names it ("China
    scholar", not the demonym of "Chinese scholar" or the possessive of "China's envoy")."""
    indices = {t.i for t in phrase}
    found = []
    for mention in mentions:
        entry = res.entry(mention.actor)
        if entry.kind != "person" and indices.intersection(range(mention.start, mention.end)):
            last = phrase[0].doc[mention.end - 1]
            found.append((entry, last.pos_ == "PROPN" and last.dep_ in {"compound", "nmod", "npadvmod"}))
    return found


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
