"""Person names resolved inside one article: a surname or a given name alone goes to the full name it stands for.

Two people of the same surname stay two actors ("Bill Clinton", "Hillary Clinton"); a bare
"Clinton" after both goes to the one an honorific fits ("Mrs. Clinton"), else to the one
mentioned most often so far (ties: most recently). A surname the tagger took for an
organisation is the person too.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from presslens.analyzers.actors.mentions import DETERMINERS, Mention, Resolution
from presslens.knowledge.actors import ActorEntry
from presslens.knowledge.names import actor_id
from presslens.knowledge.quotes import load_given_names

HONORIFICS = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female"}
_SURNAME_KINDS = frozenset({"person", "organization"})


@dataclass(frozen=True)
class FullName:
    """A person named with at least a given name and a surname at one place of the article."""

    start: int
    actor: str
    first: str
    last: str


def name_words(doc: Doc, mention: Mention, titles: frozenset[str]) -> tuple[int, int]:
    """Token bounds of the name in a mention: no determiner, title, honorific or lower-case word before, no possessive after."""
    start, end = mention.start, mention.end
    while start < end and (doc[start].lower_ in DETERMINERS or doc[start].lower_.rstrip(".") in titles
                           or doc[start].lower_.rstrip(".") in HONORIFICS or doc[start].text[:1].islower()):
        start += 1  # "the", "Sen.", "Mrs.", "billionaire" before the name
    while end > start and (doc[end - 1].tag_ == "POS" or not any(ch.isalpha() for ch in doc[end - 1].text)):
        end -= 1
    return start, end


def honorific_gender(doc: Doc, start: int) -> str | None:
    """The gender an honorific right before a name gives ("Mrs. Clinton" -> "female")."""
    for i in (start - 1, start - 2):
        if i >= 0 and doc[i].lower_.rstrip(".") in HONORIFICS:
            return HONORIFICS[doc[i].lower_.rstrip(".")]
        if i >= 0 and doc[i].text != ".":
            break
    return None


def people(doc: Doc, mentions: list[Mention], res: Resolution) -> dict[str, str]:
    """Give each person mention the actor of the full name it stands for; returns the genders known per actor."""
    titles = frozenset(res.kb.manifest.person_titles)
    given = load_given_names()
    genders: dict[str, str] = {}
    full: list[FullName] = []
    bare: list[tuple[Mention, str]] = []
    named = _dictionary_names(doc, mentions, res, titles)
    credible = set(named.values())  # dictionary persons, and names with a listed given name
    for mention in sorted(mentions, key=lambda m: m.start):
        entry = res.entry(mention.actor)
        if entry.kind not in _SURNAME_KINDS or mention.extended:
            continue
        start, end = name_words(doc, mention, titles)
        words = [t.text for t in doc[start:end] if t.is_alpha]
        if entry.kind == "person" and len(words) >= 2:
            mention.actor = _own_person(doc, start, end, mention.actor, words, full, named, res)
            full.append(FullName(mention.start, mention.actor, words[0], words[-1]))
            if given.gender(words[0]):
                credible.add(mention.actor)
            gender = honorific_gender(doc, start) or given.gender(words[0])
            if gender:
                genders.setdefault(mention.actor, gender)
        elif len(words) == 1 and (entry.kind == "person" or entry.provenance == "ner"):
            bare.append((mention, words[0]))
    counts: dict[str, int] = {}
    seen: dict[str, int] = {}  # where each actor was last mentioned
    order = sorted([(f.start, f.actor) for f in full] + [(m.start, "") for m, _ in bare])
    resolved = {m.start: m for m, _ in bare}
    words_at = {m.start: w for m, w in bare}
    for start, actor in order:
        if actor:
            counts[actor] = counts.get(actor, 0) + 1
            seen[actor] = start
            continue
        mention = resolved[start]
        known = mention.actor if mention.actor in res.kb.entries and res.entry(mention.actor).kind == "person" else None
        chosen = _choose(words_at[start], start, full, (counts, seen, credible), genders,
                         honorific_gender(doc, mention.start), known)
        mention.actor = chosen or mention.actor
        honorific = honorific_gender(doc, mention.start)  # "Mr. Barrett" (a word alone may be a surname: "Clinton")
        if honorific and res.entry(mention.actor).kind == "person":
            genders.setdefault(mention.actor, honorific)
        counts[mention.actor] = counts.get(mention.actor, 0) + 1
        seen[mention.actor] = start
    for mention in mentions:  # any other person: the given name of its canonical name ("Trump" -> Donald Trump)
        entry = res.entry(mention.actor)
        gender = given.gender(entry.name.split()[0]) if entry.kind == "person" and " " in entry.name else None
        if gender:
            genders.setdefault(entry.id, gender)
    return genders


def _dictionary_names(
    doc: Doc, mentions: list[Mention], res: Resolution, titles: frozenset[str]
) -> dict[tuple[str, str], str]:
    """(given name, surname) -> actor of the dictionary persons the article names in full."""
    named: dict[tuple[str, str], str] = {}
    for mention in mentions:
        if mention.actor in res.kb.entries and res.entry(mention.actor).kind == "person" and not mention.extended:
            start, end = name_words(doc, mention, titles)
            words = [t.text for t in doc[start:end] if t.is_alpha]
            if len(words) >= 2:
                named.setdefault((words[0], words[-1]), mention.actor)
    return named


def _own_person(doc: Doc, start: int, end: int, actor: str, words: list[str], full: list[FullName],
                named: dict[tuple[str, str], str], res: Resolution) -> str:
    """The actor of a full name: the dictionary person or an earlier one of that given name and surname, or its own.

    An NER-made entry named after another person of the same surname ("Hillary Clinton" for
    "Bill Clinton") is replaced by the name's own entry.
    """
    entry = res.entry(actor)
    if entry.provenance != "ner":
        return actor
    listed = res.kb.aliases.get(doc[start:end].text)  # "billionaire Donald Trump": the dictionary's Donald Trump
    if listed is not None and res.entry(listed).kind == "person":
        return listed
    same = named.get((words[0], words[-1])) or next(
        (f.actor for f in full if f.first == words[0] and f.last == words[-1]), None)
    if same is not None:
        return same
    own = [w for w in entry.name.split() if w[:1].isalpha()]
    if own and own[0] == words[0] and own[-1].rstrip("'s") == words[-1]:
        return actor
    name = doc[start:end].text
    return res.add(ActorEntry(id=actor_id(name), name=name, kind="person", provenance="ner"))


def _choose(word: str, start: int, full: list[FullName], salience: tuple[dict[str, int], dict[str, int], set[str]],
            genders: dict[str, str], honorific: str | None, known: str | None) -> str | None:
    """The person a bare surname (or given name) at ``start`` stands for, None when the article names nobody so.

    ``known`` is the dictionary person the word already names ("Trump"): it competes with the
    article's full names, so a relative named once in full does not take over the surname.
    Among several, a credible name (in the dictionary, or with a listed given name; not a
    headline's "Ignore Clinton") wins, then the most mentioned so far, then the latest.
    """
    counts, seen, credible = salience
    for field in ("last", "first"):
        before = [f for f in full if getattr(f, field) == word and f.start < start]
        pool = before or [f for f in full if getattr(f, field) == word]
        actors = list(dict.fromkeys([*(f.actor for f in pool), *([known] if known and pool else [])]))
        if honorific is not None:
            actors = [a for a in actors if genders.get(a) in (None, honorific)]
        if len(actors) == 1:
            return actors[0]
        if len(actors) > 1 and (before or known):
            return max(actors, key=lambda a: (a in credible, counts.get(a, 0), seen.get(a, -1)))
        if actors:
            return None  # only later full names, several of them: leave it as it is
    return None
