"""Dictionary names in a Doc, grown into agents, offices, delegations and leaders' governments."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from spacy.attrs import LOWER
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from presslens.analyzers.actors.mentions import DETERMINERS, STATE_LIKE, Mention, Resolution, entity_at, word
from presslens.analyzers.sentences import has_sentences
from presslens.knowledge.actors import ActorEntry, ActorKnowledge

_MODIFIER_DEPS = frozenset({"amod", "compound", "npadvmod", "nmod"})
_CASE_TOKENS = 500  # tokens read to judge the text's case
_SIMPLE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")  # a form the tokenizer would split at its spaces only


def mixed_case(doc: Doc) -> bool:
    """Whether the text is in normal mixed case (not all capitals, not all lower case), judged on its start."""
    letters = [c for c in doc[:_CASE_TOKENS].text if c.isalpha() and c.lower() != c.upper()]
    upper = sum(c.isupper() for c in letters)
    return bool(letters) and 0.02 < upper / len(letters) < 0.8


class NameMatcher:
    """Find the dictionary's names and grow them into the institution or person they denote."""

    def __init__(self, vocab: Vocab, tokenizer: Callable[[str], Doc], kb: ActorKnowledge) -> None:
        self.kb = kb
        # hashes of the first two lower-case words (0: a one-word form) -> [(word hashes, actor id, cased forms)]
        self.forms: dict[tuple[int, int], list[tuple[tuple[int, ...], str, list[tuple[str, ...]]]]] = {}
        known: dict[tuple[int, ...], list[tuple[str, ...]]] = {}
        for alias, ident in kb.aliases.items():
            for form in dict.fromkeys(_variants(alias)):
                words = tuple(form.split() if _SIMPLE.fullmatch(form) else (t.text for t in tokenizer(form)))
                lower = tuple(vocab.strings.add(w.lower()) for w in words)
                if lower in known:  # the first entry keeps a form whatever its case
                    known[lower].append(words)
                    continue
                known[lower] = [words]
                key = (lower[0], lower[1] if len(lower) > 1 else 0)
                self.forms.setdefault(key, []).append((lower, ident, known[lower]))
        for candidates in self.forms.values():
            candidates.sort(key=lambda c: len(c[0]), reverse=True)
        self.offices: dict[str, list[tuple[str, int]]] = {}  # first word -> (office words, tokens), longest first
        for office in sorted({o for _, o in kb.offices} | set(kb.manifest.office_synonyms), key=len, reverse=True):
            tokens = tokenizer(office)
            self.offices.setdefault(tokens[0].lower_, []).append((office, len(tokens)))
        self.agent_nouns: dict[str, list[str]] = {}  # first word -> agent nouns, longest first
        for noun in sorted(kb.agents, key=len, reverse=True):
            self.agent_nouns.setdefault(noun.split()[0], []).append(noun)
        self.agent_templates = {(a.code, a.kind): a.name for a in kb.agents.values()}

    def names(self, doc: Doc, when: date | None, res: Resolution) -> list[Mention]:
        """Dictionary names, grown into agents, offices, delegations and leaders' governments."""
        places = list(doc.spans["presslens_places"]) if "presslens_places" in doc.spans else []
        spans = [s for s in filter_spans(self._matches(doc, res.mixed)) if not _inside_place(s, places)]
        spans = self._other_people(doc, spans)
        persons = {i: s.label_ for s in spans if self.kb.entries[s.label_].kind == "person"
                   for i in range(s.start, s.end)}
        mentions = []
        for span in spans:
            mention = Mention(span.start, span.end, span.label_)
            entry = self.kb.entries[mention.actor]
            if entry.kind in STATE_LIKE and entry.country in self.kb.states:
                self._grow_state(doc, mention, entry.country, when, res, persons)
            elif entry.kind == "igo":
                self._grow_office(doc, mention, entry.id, when, persons)
            elif entry.kind == "person":
                self._grow_leader(doc, mention, entry, when, res)
            elif word(doc, mention.end) in self.kb.manifest.representatives:
                mention.end, mention.extended = mention.end + 1, True
            _grow_determiner(doc, mention)
            mentions.append(mention)
        self._share_agents(doc, mentions, res)
        return mentions

    def _matches(self, doc: Doc, mixed: bool) -> list[Span]:
        """Every dictionary form in the Doc, matched case-blind and kept when cased like a name.

        In mixed-case text each capitalised word of the form is capitalised in the text and an
        acronym is upper case ("US", never "us" or "Us"); in all-caps or lower-case text any case
        matches, except a lone stop word ("US" in "TOLD US").
        """
        lowers = [*doc.to_array(LOWER).tolist(), 0]
        spans = []
        for i, first in enumerate(lowers[:-1]):
            candidates = [*self.forms.get((first, lowers[i + 1]), ()), *self.forms.get((first, 0), ())]
            for lower, ident, cased in candidates:
                end = i + len(lower)
                if tuple(lowers[i:end]) != lower:
                    continue
                texts = [t.text for t in doc[i:end]]
                if mixed and any(all(map(_fits, words, texts)) for words in cased):
                    spans.append(Span(doc, i, end, label=ident))
                elif not mixed and (end - i > 1 or not doc[i].is_stop):
                    spans.append(Span(doc, i, end, label=ident))
        return spans

    def _other_people(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Drop a known name inside another person's name, and its repeats.

        A person's surname ("Abdel Rahim Dagalo") or a state used as a given name ("Jordan Smith")
        inside a longer PERSON entity without a title is that person's name, not the actor.
        """
        others = set()
        for span in spans:
            entry = self.kb.entries[span.label_]
            ent = doc[span.start].ent_type_ == "PERSON" and entity_at(doc, span.start)
            titled = ent and any(t.lower_.rstrip(".") in self.kb.manifest.person_titles for t in ent)
            own = ent and ent.text in [entry.name, *entry.aliases]
            if entry.kind in {"person", "state"} and ent and len(ent) > len(span) and not own and not titled:
                others.add((span.text, span.label_))
        return [s for s in spans if (s.text, s.label_) not in others]

    def _grow_state(
        self, doc: Doc, mention: Mention, country: str, when: date | None, res: Resolution, persons: dict[int, str]
    ) -> None:
        """"Israeli forces" -> the military; "the American president" -> the office holder; "American-led"."""
        sent_end = doc[mention.start].sent.end if has_sentences(doc) else len(doc)
        for noun in self.agent_nouns.get(word(doc, mention.end) or "", ()):
            size = len(noun.split())
            if mention.end + size <= sent_end and doc[mention.end : mention.end + size].text.lower() == noun:
                agent = self.kb.agents[noun]
                mention.actor = res.institution(country, agent.code, agent.kind, agent.name)
                mention.end, mention.extended = mention.end + size, True
                return
        if self._grow_office(doc, mention, country, when, persons):
            return
        if word(doc, mention.end) == "-" and word(doc, mention.end + 1) in self.kb.manifest.compound_suffixes:
            mention.end += 2

    def _grow_office(self, doc: Doc, mention: Mention, owner: str, when: date | None, persons: dict[int, str]) -> bool:
        """"the US secretary of state", "NATO Secretary General" -> the holder on ``when`` (or the one named after)."""
        sent_end = doc[mention.start].sent.end if has_sentences(doc) else len(doc)
        for office, size in self.offices.get(word(doc, mention.end) or "", ()):
            if mention.end + size <= sent_end and doc[mention.end : mention.end + size].text.lower() == office:
                head = doc[mention.end + size - 1]
                named = [persons[c.i] for c in head.children if c.dep_ == "appos" and c.i in persons]
                holder = named[0] if named else self.kb.office_holder(owner, office, when)
                if holder:
                    mention.actor, mention.end, mention.extended = holder, mention.end + size, True
                    return True
        return False

    def _grow_leader(self, doc: Doc, mention: Mention, entry: ActorEntry, when: date | None, res: Resolution) -> None:
        """"the Netanyahu government" -> the government the leader heads."""
        if word(doc, mention.end) not in self.kb.manifest.leader_institutions:
            return
        role = entry.role_at(when)
        if role is None or role.affiliation is None:
            return
        target = self.kb.entries.get(role.affiliation)
        if target is not None and target.kind == "state" and target.country:
            mention.actor = res.institution(target.country, "GOV", "government", "Government of {country}")
        else:
            mention.actor = role.affiliation
        mention.end, mention.extended = mention.end + 1, True

    def _share_agents(self, doc: Doc, mentions: list[Mention], res: Resolution) -> None:
        """"Israeli and Egyptian forces": the agent noun of the second state applies to the first."""
        for first, second in zip(mentions, mentions[1:]):
            entry, other = res.entry(first.actor), res.entry(second.actor)
            code = other.cameo[3:6] if other.cameo and other.country and len(other.cameo) == 6 else None
            joined = second.start == first.end + 1 and doc[first.end].lower_ in {"and", "or", ","}
            if first.extended or not joined or entry.kind not in STATE_LIKE or not entry.country:
                continue
            if code is not None and (code, other.kind) in self.agent_templates:
                first.actor = res.institution(entry.country, code, other.kind, self.agent_templates[code, other.kind])


def _inside_place(span: Span, places: list[Span]) -> bool:
    """Whether a name is part of a longer place name ("Jersey" in "New Jersey", "Mexico" in "New Mexico")."""
    return any(p.start <= span.start and span.end <= p.end and len(p) > len(span) for p in places)


def _fits(form: str, text: str) -> bool:
    """A capitalised word of a form is capitalised in the text, an acronym upper case."""
    if len(form) > 1 and form.isupper() and form.isalpha():
        return text.isupper()
    return not form[:1].isupper() or text[:1].isupper()


def _grow_determiner(doc: Doc, mention: Mention) -> None:
    """Take in "the"/"a" before a mention that is a whole noun phrase ("the IDF", "A Hamas delegation")."""
    if mention.start == 0 or doc[mention.start - 1].lower_ not in DETERMINERS:
        return
    last = doc[mention.end - 1]
    if mention.extended or last.dep_ not in _MODIFIER_DEPS:
        mention.start -= 1


_ARTICLE = re.compile(r"\b(al|el|ul)([ -])(?=[A-Z])")


def _variants(alias: str) -> list[str]:
    """Surface forms of an alias: without a leading "the", capitalised at a sentence start, the Arabic article hyphened or not."""
    base = alias[4:] if alias.lower().startswith("the ") and len(alias) > 4 else alias
    forms = [alias, base]
    if base[:1].islower():
        forms.append(base[0].upper() + base[1:])
    # The Arabic article is written both ways: "Bashar al Assad" / "Bashar al-Assad".
    return forms + [_ARTICLE.sub(lambda m: m[1] + ("-" if m[2] == " " else " "), f) for f in forms if _ARTICLE.search(f)]
