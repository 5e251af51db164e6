"""presslens_actors: resolve actor mentions (names, demonyms, descriptions) to canonical dictionary actors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

import presslens.nlp.extensions  # noqa: F401  (registers Doc._.presslens_actors)
from presslens.knowledge.actors import ActorEntry, ActorKnowledge, load_actor_knowledge, slug

SPANS_KEY = "presslens_actors"
_DETERMINERS = frozenset({"the", "a", "an", "this"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "npadvmod", "nmod"})
_NER_KINDS = {"PERSON": "person", "ORG": "organization", "NORP": "population"}
_STATE_LIKE = frozenset({"state", "population"})
# Prepositions after which a name is a location, never a person ("in Upper Kessel").
_LOCATIVE_PREPS = frozenset({"in", "at", "near", "into", "outside", "around", "across", "toward", "towards"})


@dataclass
class Mention:
    """One resolved mention: a token range and the actor it denotes."""

    start: int
    end: int
    actor: str
    role: str | None = None
    affiliation: str | None = None
    extended: bool = False  # grew past the matched name (agent, office, delegation, leader's government)


# Actors made for one Doc that are not in the dictionary (institutions from agent nouns, NER names), by id.
_Found = dict[str, ActorEntry]


class ActorResolver:
    """Find actor mentions and resolve them to canonical actors with CAMEO codes, roles and affiliations."""

    def __init__(self, nlp: Language, name: str, published: str | None, extra_files: list[str]) -> None:
        self.name = name
        self.published = published
        self.kb: ActorKnowledge = load_actor_knowledge(tuple(extra_files))
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms: dict[str, list[str]] = {}
        for alias, actor_id in self.kb.aliases.items():
            for form in _variants(alias):
                forms.setdefault(actor_id, []).append(form)
        for actor_id, texts in forms.items():
            self.matcher.add(actor_id, list(nlp.tokenizer.pipe(dict.fromkeys(texts))))
        self.offices = sorted({office for _, office in self.kb.offices}, key=len, reverse=True)
        self.agent_nouns = sorted(self.kb.agents, key=len, reverse=True)

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.spans["presslens_actors"]`` and ``doc._.presslens_actors``."""
        when = self._date(doc)
        found: _Found = {}
        mentions = self._names(doc, when, found)
        parsed = doc.has_annotation("DEP")  # descriptions and roles need the parse
        if parsed:
            mentions = self._descriptions(doc, mentions, found)
        mentions += self._entities(doc, mentions, found)
        mentions.sort(key=lambda m: m.start)
        role_words = self._roles(doc, mentions, found) if parsed else set()
        mentions = [m for m in mentions if not self._inside_role(m, role_words, found)]
        doc.spans[SPANS_KEY] = [Span(doc, m.start, m.end, label=m.actor) for m in mentions]
        doc._.presslens_actors = self._records(doc, mentions, when, found)
        return doc

    def _inside_role(self, mention: Mention, role_words: set[int], found: _Found) -> bool:
        """Whether an NER-made organisation is part of a person's role ("the Political Bureau")."""
        entry = self.entry(mention.actor, found)
        inside = bool(role_words.intersection(range(mention.start, mention.end)))
        return inside and entry.provenance == "ner" and entry.kind != "person"

    def _date(self, doc: Doc) -> date | None:
        """The publication date: Doc user_data "published", else the component's config, else None."""
        for value in (doc.user_data.get("published"), self.published):
            if isinstance(value, str) and len(value) >= 10:
                try:
                    return date.fromisoformat(value[:10])
                except ValueError:
                    continue
        return None

    def entry(self, actor_id: str, found: _Found) -> ActorEntry:
        """A dictionary entry or one made for this Doc."""
        return self.kb.entries.get(actor_id) or found[actor_id]

    def _institution(self, country: str, code: str, kind: str, template: str, found: _Found) -> str:
        """The actor id of a state's institution (CAMEO country + agent), made from the template when absent."""
        cameo = country + code
        known = self.kb.institutions.get((cameo, kind))
        if known:
            return known
        state = self.kb.entries[self.kb.states[country]]
        name = template.format(country=state.name)
        entry = ActorEntry(id=slug(name), name=name, kind=kind, country=country, cameo=cameo, provenance="agent")
        found.setdefault(entry.id, entry)
        return entry.id

    def _names(self, doc: Doc, when: date | None, found: _Found) -> list[Mention]:
        """Dictionary names, grown into agents, offices, delegations and leaders' governments."""
        spans = self._other_people(doc, filter_spans([Span(doc, s, e, label=k) for k, s, e in self.matcher(doc)]))
        persons = {i: s.label_ for s in spans if self.kb.entries[s.label_].kind == "person"
                   for i in range(s.start, s.end)}
        mentions = []
        for span in spans:
            mention = Mention(span.start, span.end, span.label_)
            entry = self.kb.entries[mention.actor]
            if entry.kind in _STATE_LIKE and entry.country in self.kb.states:
                self._grow_state(doc, mention, entry.country, when, found, persons)
            elif entry.kind == "person":
                self._grow_leader(doc, mention, entry, when, found)
            elif _word(doc, mention.end) in self.kb.manifest.representatives:
                mention.end, mention.extended = mention.end + 1, True
            self._grow_determiner(doc, mention)
            mentions.append(mention)
        self._share_agents(doc, mentions, found)
        return mentions

    def _other_people(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Drop a known name inside another person's name, and its repeats.

        A person's surname ("Abdel Rahim Dagalo") or a state used as a given name ("Jordan Smith")
        inside a longer PERSON entity without a title is that person's name, not the actor.
        """
        others = set()
        for span in spans:
            entry = self.kb.entries[span.label_]
            ent = doc[span.start].ent_type_ == "PERSON" and _entity_at(doc, span.start)
            titled = ent and any(t.lower_.rstrip(".") in self.kb.manifest.person_titles for t in ent)
            own = ent and ent.text in [entry.name, *entry.aliases]
            if entry.kind in {"person", "state"} and ent and len(ent) > len(span) and not own and not titled:
                others.add((span.text, span.label_))
        return [s for s in spans if (s.text, s.label_) not in others]

    def _grow_state(
        self, doc: Doc, mention: Mention, country: str, when: date | None, found: _Found, persons: dict[int, str]
    ) -> None:
        """"Israeli forces" -> the military; "the American president" -> the office holder; "American-led"."""
        sent_end = doc[mention.start].sent.end if doc.has_annotation("SENT_START") else len(doc)
        for noun in self.agent_nouns:
            size = len(noun.split())
            if mention.end + size <= sent_end and doc[mention.end : mention.end + size].text.lower() == noun:
                agent = self.kb.agents[noun]
                mention.actor = self._institution(country, agent.code, agent.kind, agent.name, found)
                mention.end, mention.extended = mention.end + size, True
                return
        for office in self.offices:
            size = len(office.split())
            if mention.end + size <= sent_end and doc[mention.end : mention.end + size].text.lower() == office:
                head = doc[mention.end + size - 1]
                named = [persons[c.i] for c in head.children if c.dep_ == "appos" and c.i in persons]
                holder = named[0] if named else self.kb.office_holder(country, office, when)
                if holder:
                    mention.actor, mention.end, mention.extended = holder, mention.end + size, True
                    return
        if _word(doc, mention.end) == "-" and _word(doc, mention.end + 1) in self.kb.manifest.compound_suffixes:
            mention.end += 2

    def _grow_leader(self, doc: Doc, mention: Mention, entry: ActorEntry, when: date | None, found: _Found) -> None:
        """"the Netanyahu government" -> the government the leader heads."""
        if _word(doc, mention.end) not in self.kb.manifest.leader_institutions:
            return
        role = entry.role_at(when)
        if role is None or role.affiliation is None:
            return
        target = self.kb.entries.get(role.affiliation)
        if target is not None and target.kind == "state" and target.country:
            mention.actor = self._institution(target.country, "GOV", "government", "Government of {country}", found)
        else:
            mention.actor = role.affiliation
        mention.end, mention.extended = mention.end + 1, True

    def _grow_determiner(self, doc: Doc, mention: Mention) -> None:
        """Take in "the"/"a" before a mention that is a whole noun phrase ("the IDF", "A Hamas delegation")."""
        if mention.start == 0 or doc[mention.start - 1].lower_ not in _DETERMINERS:
            return
        last = doc[mention.end - 1]
        if mention.extended or last.dep_ not in _MODIFIER_DEPS:
            mention.start -= 1

    def _share_agents(self, doc: Doc, mentions: list[Mention], found: _Found) -> None:
        """"Israeli and Egyptian forces": the agent noun of the second state applies to the first."""
        templates = {(a.code, a.kind): a.name for a in self.kb.agents.values()}
        for first, second in zip(mentions, mentions[1:]):
            entry, other = self.entry(first.actor, found), self.entry(second.actor, found)
            code = other.cameo[3:6] if other.cameo and other.country and len(other.cameo) == 6 else None
            joined = second.start == first.end + 1 and doc[first.end].lower_ in {"and", "or", ","}
            if first.extended or not joined or entry.kind not in _STATE_LIKE or not entry.country:
                continue
            if (code, other.kind) in templates:
                first.actor = self._institution(entry.country, code, other.kind, templates[code, other.kind], found)

    def _descriptions(self, doc: Doc, mentions: list[Mention], found: _Found) -> list[Mention]:
        """Definite descriptions ("the terrorist organization", "The organization") -> the actor they refer to."""
        kinds = self.kb.manifest.anaphors
        taken = {i for m in mentions for i in range(m.start, m.end)}
        resolved = list(mentions)
        owners = [doc[t.i - 1 : t.i + 1] for t in doc if t.dep_ == "poss" and t.i and doc[t.i - 1].lower_ == "the"]
        for chunk in sorted([*doc.noun_chunks, *owners], key=lambda c: c.start):
            root = chunk.root if chunk.root.dep_ != "poss" else chunk[-1]
            definite = chunk[0].lower_ in _DETERMINERS - {"a", "an"}
            if root.lower_ not in kinds or root.tag_ in {"NNS", "NNPS"} or not definite:
                continue
            chunk = chunk if root.dep_ != "poss" else doc[chunk.start : root.i + 1]
            if any(t.i in taken for t in chunk) or any(t.pos_ == "PROPN" for t in chunk):
                continue
            actor = self._antecedent(root, resolved, set(kinds[root.lower_]), found)
            if actor:
                resolved.append(Mention(chunk.start, chunk.end, actor, extended=True))
                resolved.sort(key=lambda m: m.start)
        return resolved

    def _antecedent(self, root: Token, mentions: list[Mention], kinds: set[str], found: _Found) -> str | None:
        """The apposed actor ("the terrorist organization, Hamas"), else the latest compatible one before."""
        apposed = [c.i for c in root.children if c.dep_ == "appos"] + ([root.head.i] if root.dep_ == "appos" else [])
        for mention in mentions:
            if any(mention.start <= i < mention.end for i in apposed):
                return mention.actor if self.entry(mention.actor, found).kind in kinds else None
        for mention in reversed(mentions):
            if mention.end <= root.i and self.entry(mention.actor, found).kind in kinds:
                return mention.actor
        return None

    def _roles(self, doc: Doc, mentions: list[Mention], found: _Found) -> set[int]:
        """Roles and affiliations of persons from appositions; returns the role phrases' token indices.

        "the head of the Political Bureau, Ismail Haniyeh" -> role "head of the Political Bureau".
        """
        role_words: set[int] = set()
        for mention in mentions:
            if self.entry(mention.actor, found).kind != "person":
                continue
            head = doc[mention.start : mention.end].root
            role_root = _role_root(head)
            if role_root is None:
                self._title_role(head, mention, mentions, found)
                continue
            owner = [t for c in role_root.children if c.dep_ == "poss" for t in c.subtree]
            words = [t for t in role_root.subtree if t.i < head.left_edge.i and t.dep_ not in {"nummod", "punct"}]
            words = [t for t in words if t not in owner and not (t.dep_ == "det" and t.i == role_root.left_edge.i)]
            if words and words[0].i >= mention.start:
                continue
            if words:
                mention.role = " ".join(t.lemma_ if t is role_root else t.text for t in words)
                role_words.update(t.i for t in words)
            mention.affiliation = self._affiliation(role_root, owner + words, mentions, found)
        return role_words

    def _title_role(self, head: Token, mention: Mention, mentions: list[Mention], found: _Found) -> None:
        """A role in front of a name: "RSF commander Abdel Rahim Dagalo" -> commander, Rapid Support Forces."""
        doc = head.doc
        before = [t for word in doc[mention.start : mention.end] for c in word.lefts
                  if c.dep_ in {"compound", "amod"} and c.i < mention.start for t in c.subtree]
        named = {i for m in mentions for i in range(m.start, m.end)}
        titles = self.kb.manifest.person_titles
        nouns = [t for t in before if (t.pos_ == "NOUN" or t.lower_ in titles) and t.i not in named]
        if nouns:
            mention.role = " ".join(t.text for t in nouns)
            mention.affiliation = self._affiliation(nouns[-1], before, mentions, found)

    def _affiliation(
        self, role_root: Token, words: list[Token], mentions: list[Mention], found: _Found
    ) -> str | None:
        """An organisation named in the role, or the group the person leads ("A Hamas delegation, led by ...")."""
        def actor_at(i: int) -> str | None:
            for m in mentions:
                if m.start <= i < m.end and self.entry(m.actor, found).provenance != "ner":
                    return m.actor if self.entry(m.actor, found).kind != "person" else None
            return None

        for token in words:
            if actor_at(token.i):
                return actor_at(token.i)
        by = role_root.head
        if role_root.dep_ == "pobj" and by.dep_ == "agent" and by.head.lemma_ in {"lead", "head"}:
            return actor_at(by.head.head.i)
        return None

    def _entities(self, doc: Doc, mentions: list[Mention], found: _Found) -> list[Mention]:
        """PERSON/ORG/NORP entities the dictionary lacks, named by the fullest form the article gives."""
        taken = {i for m in mentions for i in range(m.start, m.end)}
        places = {i for span in doc.spans.get("presslens_places", []) for i in range(span.start, span.end)}
        skip_heads = set(self.kb.manifest.not_actor_heads)
        ents = [e for e in doc.ents if e.label_ in _NER_KINDS and not any(t.i in taken or t.i in places for t in e)]
        ents = [e for e in ents if not _place_like(e, skip_heads)]
        ents = [e for e in ents if e.label_ != "NORP" or e[-1].tag_ in {"NNS", "NNPS"}]  # "Jews", not "Jewish"
        full: dict[str, str] = {}
        for ent in sorted(ents, key=len, reverse=True):
            if ent.label_ == "PERSON":
                full.setdefault(ent[-1].text, _bare(ent))
        extra = []
        for ent in ents:
            name = full.get(ent[-1].text, _bare(ent)) if ent.label_ == "PERSON" else _bare(ent)
            entry = ActorEntry(id=slug(name), name=name, kind=_NER_KINDS[ent.label_], provenance="ner")
            if entry.id and entry.id not in self.kb.entries:
                found.setdefault(entry.id, entry)
                extra.append(Mention(ent.start, ent.end, entry.id))
        covered = taken | {i for m in extra for i in range(m.start, m.end)}
        for token in doc:  # a surname alone, where the tagger missed it: "Dagalo added"
            if token.text in full and " " in full[token.text] and token.i not in covered and token.pos_ == "PROPN":
                extra.append(Mention(token.i, token.i + 1, slug(full[token.text])))
        return extra

    def _records(self, doc: Doc, mentions: list[Mention], when: date | None, found: _Found) -> dict[str, dict]:
        """The fields of record.models.Actor for every actor mentioned, in order of first mention.

        An organisation or state a person is affiliated with is listed too, with no mentions when
        the article never names it, so every affiliation id resolves within the record.
        """
        records: dict[str, dict] = {}
        for mention in mentions:
            entry = self.entry(mention.actor, found)
            record = records.get(entry.id) or self._record(entry, when, records)
            if record["role"] is None and mention.role and entry.kind == "person":
                record["role"] = mention.role
            if mention.affiliation and (record["affiliation"] is None or entry.id not in self.kb.entries):
                record["affiliation"] = mention.affiliation
                if record["country"] is None:  # a person the dictionary lacks takes the affiliation's country
                    self._inherit(record, self.entry(mention.affiliation, found))
            span = doc[mention.start : mention.end]
            if span.text not in record["aliases"]:
                record["aliases"].append(span.text)
            record["mentions"].append([span.start_char, span.end_char])
        for record in list(records.values()):
            affiliation = record["affiliation"]
            if affiliation and affiliation not in records:
                entry = self.kb.entries.get(affiliation) or found.get(affiliation)
                if entry is None:
                    record["affiliation"] = None
                else:
                    self._record(entry, when, records)
        return records

    @staticmethod
    def _inherit(record: dict, affiliation: ActorEntry) -> None:
        """Country and CAMEO code of a person from their affiliation: a state's office-holder is its government."""
        record["country"] = affiliation.country
        if affiliation.kind == "state" and affiliation.country:
            record["cameo"] = affiliation.country + "GOV"
        else:
            record["cameo"] = affiliation.cameo

    def _record(self, entry: ActorEntry, when: date | None, records: dict[str, dict]) -> dict:
        """Start the output record of ``entry`` (no aliases or mentions yet) in ``records``."""
        role = entry.role_at(when)
        records[entry.id] = {
            "id": entry.id, "name": entry.name, "kind": entry.kind, "country": entry.country,
            "cameo": (role.cameo if role else None) or entry.cameo,
            "role": role.title if role else None, "affiliation": role.affiliation if role else None,
            "aliases": [], "mentions": [],
        }
        return records[entry.id]


def _variants(alias: str) -> list[str]:
    """Surface forms of an alias: without a leading "the", and capitalised at a sentence start."""
    base = alias[4:] if alias.lower().startswith("the ") and len(alias) > 4 else alias
    forms = [alias, base]
    if base[:1].islower():
        forms.append(base[0].upper() + base[1:])
    return forms


def _word(doc: Doc, i: int) -> str | None:
    """The lower-cased text of token ``i``, or None past the end."""
    return doc[i].lower_ if i < len(doc) else None


def _entity_at(doc: Doc, i: int) -> Span | None:
    """The named entity that covers token ``i``."""
    return next((e for e in doc.ents if e.start <= i < e.end), None)


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


def _role_root(head: Token) -> Token | None:
    """The noun a person's name is apposed to, climbing "of" phrases ("head of the Political Bureau, X" -> head)."""
    if head.dep_ != "appos" or head.head.pos_ not in {"NOUN", "PROPN"}:
        return None
    root = head.head
    while root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        root = root.head.head
    return root if root.pos_ == "NOUN" else None


@Language.factory(
    "presslens_actors",
    assigns=["doc.spans", "doc._.presslens_actors"],
    requires=["doc.ents", "token.dep", "token.tag", "token.lemma"],
    default_config={"published": None, "extra_files": []},
)
def make_actors(nlp: Language, name: str, published: str | None, extra_files: list[str]) -> ActorResolver:
    """Build the actor resolver (dictionary loaded once; ``published`` is the fallback article date)."""
    return ActorResolver(nlp, name, published, extra_files)
