"""Dictionary names in a Doc, grown into agents, offices, delegations and leaders' governments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from presslens.analyzers.actors.mentions import DETERMINERS, STATE_LIKE, Mention, Resolution, entity_at, word
from presslens.analyzers.sentences import has_sentences
from presslens.knowledge.actors import ActorEntry, ActorKnowledge

_MODIFIER_DEPS = frozenset({"amod", "compound", "npadvmod", "nmod"})


class NameMatcher:
    """Find the dictionary's names and grow them into the institution or person they denote."""

    def __init__(self, vocab: Vocab, tokenizer: Callable[[str], Doc], kb: ActorKnowledge) -> None:
        self.kb = kb
        self.matcher = PhraseMatcher(vocab, attr="ORTH")
        forms: dict[str, list[str]] = {}
        for alias, ident in kb.aliases.items():
            for form in _variants(alias):
                forms.setdefault(ident, []).append(form)
        for ident, texts in forms.items():
            self.matcher.add(ident, [tokenizer(text) for text in dict.fromkeys(texts)])
        self.offices = sorted({office for _, office in kb.offices}, key=len, reverse=True)
        self.agent_nouns = sorted(kb.agents, key=len, reverse=True)
        self.agent_templates = {(a.code, a.kind): a.name for a in kb.agents.values()}

    def names(self, doc: Doc, when: date | None, res: Resolution) -> list[Mention]:
        """Dictionary names, grown into agents, offices, delegations and leaders' governments."""
        spans = self._other_people(doc, filter_spans([Span(doc, s, e, label=k) for k, s, e in self.matcher(doc)]))
        persons = {i: s.label_ for s in spans if self.kb.entries[s.label_].kind == "person"
                   for i in range(s.start, s.end)}
        mentions = []
        for span in spans:
            mention = Mention(span.start, span.end, span.label_)
            entry = self.kb.entries[mention.actor]
            if entry.kind in STATE_LIKE and entry.country in self.kb.states:
                self._grow_state(doc, mention, entry.country, when, res, persons)
            elif entry.kind == "person":
                self._grow_leader(doc, mention, entry, when, res)
            elif word(doc, mention.end) in self.kb.manifest.representatives:
                mention.end, mention.extended = mention.end + 1, True
            _grow_determiner(doc, mention)
            mentions.append(mention)
        self._share_agents(doc, mentions, res)
        return mentions

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
        for noun in self.agent_nouns:
            size = len(noun.split())
            if mention.end + size <= sent_end and doc[mention.end : mention.end + size].text.lower() == noun:
                agent = self.kb.agents[noun]
                mention.actor = res.institution(country, agent.code, agent.kind, agent.name)
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
        if word(doc, mention.end) == "-" and word(doc, mention.end + 1) in self.kb.manifest.compound_suffixes:
            mention.end += 2

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


def _grow_determiner(doc: Doc, mention: Mention) -> None:
    """Take in "the"/"a" before a mention that is a whole noun phrase ("the IDF", "A Hamas delegation")."""
    if mention.start == 0 or doc[mention.start - 1].lower_ not in DETERMINERS:
        return
    last = doc[mention.end - 1]
    if mention.extended or last.dep_ not in _MODIFIER_DEPS:
        mention.start -= 1


def _variants(alias: str) -> list[str]:
    """Surface forms of an alias: without a leading "the", and capitalised at a sentence start."""
    base = alias[4:] if alias.lower().startswith("the ") and len(alias) > 4 else alias
    forms = [alias, base]
    if base[:1].islower():
        forms.append(base[0].upper() + base[1:])
    return forms
