"""presslens_framing: labels, loaded terms, scare quotes, contested names, casualty words, claims and sourcing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

import presslens.nlp.extensions  # noqa: F401  (registers the Doc extensions this component reads and writes)
from presslens.analyzers.framing_casualties import CasualtyFinder
from presslens.analyzers.framing_claims import ClaimFinder, framing_item
from presslens.analyzers.quotes import is_title, paragraph_ranges, scan_paragraph, sourcing_profile
from presslens.knowledge.actors import load_actor_knowledge
from presslens.knowledge.framing import FramingKnowledge, Term, load_framing_knowledge
from presslens.knowledge.places import Gazetteer, load_gazetteer

_WORD = re.compile(r"\w+")
_SPEECH_KINDS = frozenset({"direct", "mixed"})
_ARTICLES = frozenset({"the", "a", "an"})
_APPOSITION_GAP = frozenset({",", "-", "\u2013", "\u2014", ":", "(", *_ARTICLES})
_NOT_A_SIDE = frozenset({"media", "population"})
Range = tuple[int, int]


@dataclass(frozen=True)
class Quoted:
    """Character ranges of an article's quotations: speech (a speaker's words) and scare quotes."""

    speech: list[tuple[Range, str | None]]
    scare: list[Range]

    def speaker(self, start: int, end: int) -> tuple[bool, str | None]:
        """Whether a span lies inside a speaker's quotation marks, and that speaker's actor id."""
        for (lo, hi), speaker in self.speech:
            if lo <= start and end <= hi:
                return True, speaker
        return False, None

    def scared(self, start: int, end: int) -> bool:
        """Whether a span lies inside scare quotes."""
        return any(lo <= start and end <= hi for lo, hi in self.scare)


class FramingFinder:
    """Fill ``doc._.presslens_framing`` with the word choices that frame the story, each with its evidence."""

    def __init__(self, nlp: Language, name: str, scare_quote_max_words: int, max_span_tokens: int) -> None:
        self.name = name
        self.make_doc = nlp.make_doc
        self.scare_quote_max_words = scare_quote_max_words
        self.knowledge: FramingKnowledge = load_framing_knowledge()
        self.gazetteer: Gazetteer = load_gazetteer()
        actor_knowledge = load_actor_knowledge()
        self.state_names = {iso3: actor_knowledge.entries[i].name for iso3, i in actor_knowledge.states.items()}
        self.casualties = CasualtyFinder(nlp, self.knowledge)
        self.claims = ClaimFinder(nlp, self.knowledge, max_span_tokens)
        self.terms: dict[str, tuple[str, Term]] = {}
        self.lexical = PhraseMatcher(nlp.vocab, attr="LOWER")
        kinds = (("loaded_term", self.knowledge.loaded_terms.entries), ("hedge", self.knowledge.hedges.entries),
                 ("intensifier", self.knowledge.intensifiers.entries))
        for kind, entries in kinds:
            for entry in entries:
                self._add(kind, entry, [entry.term])
        for noun in self.knowledge.labels.nouns:
            self._add("label", noun, noun.forms())
        self.adjectives = PhraseMatcher(nlp.vocab, attr="LOWER")
        for adjective in self.knowledge.labels.adjectives:
            key = f"label_adjective:{adjective.term}"
            self.terms[key] = ("label_adjective", adjective)
            self.adjectives.add(key, [nlp.make_doc(adjective.term)])
        self.title_nouns = frozenset(self.knowledge.title_nouns)
        self.naming_verbs = frozenset(self.knowledge.naming_verbs)

    def _add(self, kind: str, entry: Term, forms: list[str]) -> None:
        """Add one lexicon entry to the phrase matcher under its own key."""
        key = f"{kind}:{entry.term}"
        self.terms[key] = (kind, entry)
        self.lexical.add(key, [self.make_doc(form) for form in forms])

    # ---- main -------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.presslens_framing``: items in text order, the article-level sourcing item last."""
        actors: dict[str, dict] = doc._.presslens_actors or {}
        text = doc.text  # Doc.text joins every token: read it once
        quoted = self._quoted(doc, text)
        items = self._scare_quotes(text, quoted)
        items += self._lexical(doc, actors, quoted)
        items += self._toponyms(doc, quoted)
        marked = quoted.scare + [r for r, _ in quoted.speech]
        items += self.casualties.asymmetries(self.casualties.mentions(doc, marked))
        items += self.claims(doc)
        for item in items:
            inside, speaker = quoted.speaker(item["start"], item["end"])
            attributed = item.get("voice") == "quoted"  # a label reported as someone else's naming
            item["voice"] = "quoted" if inside or attributed else "outlet"
            item["technique"] = item["technique"] or self.knowledge.technique(item["kind"])
            if inside and not attributed:
                who = (actors.get(speaker) or {}).get("name", "a speaker") if speaker else "an unnamed speaker"
                if item["kind"] == "scare_quote":
                    item["note"] = f"{who} puts {item['text']} in scare quotes: the distance is the speaker's"
                else:
                    item["note"] = f"{item['note']} (inside {who}'s quotation: the framing belongs to the speaker)"
        casualty_spans = {(i["start"], i["end"]) for i in items if i["kind"] == "casualty_verb_asymmetry"}
        items = [i for i in items if not (i["kind"] == "loaded_term" and (i["start"], i["end"]) in casualty_spans)]
        items.sort(key=lambda i: (i["start"], i["end"], i["kind"]))
        sourcing = self._sourcing(doc, actors)
        doc._.presslens_framing = items + ([sourcing] if sourcing else [])
        return doc

    # ---- quotations -------------------------------------------------------------------

    def _quoted(self, doc: Doc, text: str) -> Quoted:
        """Speech quotations (the marks of direct and mixed quotes) and scare quotes of the text."""
        records = doc._.presslens_quotes or []
        places = [(m.start_char, m.end_char) for m in doc.spans.get("presslens_places", [])]
        speech: list[tuple[Range, str | None]] = []
        scare: list[Range] = []
        for lo, hi in paragraph_ranges(text):
            for single in (False, True):
                for quotation in scan_paragraph(text, lo, hi, single):
                    rng = (quotation.start, quotation.end)
                    owner = next((q for q in records if q["start"] <= rng[0] and rng[1] <= q["end"]), None)
                    inner = text[rng[0] + 1 : rng[1] - 1]
                    words = len(_WORD.findall(inner))
                    if owner is not None and not single and (words > 1 or owner["kind"] != "direct"):
                        if owner["kind"] in _SPEECH_KINDS:  # a fragment of reported speech is the speaker's word
                            speech.append((rng, owner["speaker"]))
                    elif quotation.closed and self._is_scare_quote(doc, text, rng, inner, words, places):
                        scare.append(rng)
        return Quoted(speech, scare)

    def _is_scare_quote(self, doc: Doc, text: str, rng: Range, inner: str, words: int, places: list[Range]) -> bool:
        """A short quoted word or phrase that is not speech, a title or a named work or outlet (a place name may be)."""
        if not 1 <= words <= self.scare_quote_max_words or inner.rstrip()[-1:] in ".!?,;:":
            return False
        place = any(lo <= rng[0] + 1 and rng[1] - 1 <= hi for lo, hi in places)
        if words > 1 and is_title(inner, self.scare_quote_max_words) and not place:
            return False  # 'White Fragility', "Person of the Year": a title or a name
        before = [w.lower() for w in _WORD.findall(text[max(0, rng[0] - 40) : rng[0]])]
        before = [w for w in before if w not in _ARTICLES][-1:]
        if before and before[0] in self.title_nouns:
            return False
        span = doc.char_span(rng[0] + 1, rng[1] - 1, alignment_mode="expand")
        named = span is not None and any(
            (doc._.presslens_actors or {}).get(m.label_, {}).get("kind") == "media"
            for m in doc.spans.get("presslens_actors", []) if m.start < span.end and span.start < m.end
        )
        return not named

    def _scare_quotes(self, text: str, quoted: Quoted) -> list[dict]:
        """One item per scare quote, its marks included in the span."""
        items = []
        for lo, hi in quoted.scare:
            inner = text[lo + 1 : hi - 1]
            note = f"'{inner}' in quotation marks that quote no one: the writer distances themself from the word"
            items.append(framing_item("scare_quote", lo, hi, text[lo:hi], note))
        return items

    # ---- labels, loaded terms, hedges, intensifiers --------------------------------------

    def _lexical(self, doc: Doc, actors: dict[str, dict], quoted: Quoted) -> list[dict]:
        """Lexicon matches, longest first; a label names its actor, and nothing inside scare quotes counts."""
        matches = [(doc[s:e], self.terms[doc.vocab.strings[key]]) for key, s, e in self.lexical(doc)]
        matches += [(doc[s : e + 1], self.terms[doc.vocab.strings[key]]) for key, s, e in self.adjectives(doc)
                    if e < len(doc) and doc[e].pos_ in ("NOUN", "PROPN")]  # the adjective and the noun it labels
        by_span = {(span.start, span.end): entry for span, entry in matches}
        mentions = {i: m for m in doc.spans.get("presslens_actors", []) for i in range(m.start, m.end)}
        items = []
        for span in filter_spans([span for span, _ in matches]):
            kind, entry = by_span[(span.start, span.end)]
            if quoted.scared(span.start_char, span.end_char):
                continue
            if kind == "label" and not _names_someone(span):
                continue
            if kind in ("label", "label_adjective"):
                items += self._labels(span, kind, entry, mentions, actors)
            else:
                items.append(framing_item(kind, span.start_char, span.end_char, span.text, _NOTES[kind].format(span.text),
                                   technique=entry.technique))
        return items

    def _labels(self, span: Span, kind: str, entry: Term, mentions: dict[int, Span], actors: dict) -> list[dict]:
        """Label items, one per actor the label names; an adjective naming no actor is a loaded term."""
        stance = getattr(entry, "stance", "neutral")
        targets = _label_targets(span, mentions)
        if kind == "label_adjective" and not targets:
            word = span[:-1]
            note = _NOTES["loaded_term"].format(word.text)
            return [framing_item("loaded_term", word.start_char, word.end_char, word.text, note)]
        if not targets and stance == "neutral":
            return []
        named = [f"names {(actors.get(t) or {}).get('name', t)}:" for t in targets] or ["is"]
        items = [framing_item("label", span.start_char, span.end_char, span.text, f"'{span.text}' {who} a {stance} label",
                       target=t) for t, who in zip(targets or [None], named)]
        designation = self._designation(span, mentions, actors)
        if designation is not None:
            verb, namer = designation
            for item in items:
                if namer is None:
                    item["note"] += f", reported as a designation ('{verb}') by someone unnamed"
                else:
                    item["note"] += f", applied by {namer} ('{verb}'), not by the outlet"
                    item["voice"] = "quoted"
        return items

    def _designation(self, span: Span, mentions: dict[int, Span], actors: dict) -> tuple[str, str | None] | None:
        """The naming verb a label is reported under and who names ('designated ... by Kestria'), if any."""
        node = span.root
        for _ in range(3):
            if node.head.i == node.i:
                return None
            node = node.head
            if node.pos_ == "VERB" and node.lemma_.lower() in self.naming_verbs:
                break
        else:
            return None
        agent = next((c for c in node.children if c.dep_ == "agent"), None)
        namer = next((c for c in node.children if c.dep_ == "nsubj"), None)
        if agent is not None:
            namer = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if namer is None or span.start <= namer.i < span.end:
            return node.text, None
        if namer.i in mentions:
            return node.text, (actors.get(mentions[namer.i].label_) or {}).get("name", namer.text)
        return node.text, " ".join(t.text for t in namer.subtree)

    # ---- contested place names ----------------------------------------------------------

    def _toponyms(self, doc: Doc, quoted: Quoted) -> list[dict]:
        """Political names of contested places used in the outlet's voice with no other side's name beside them."""
        uses: dict[str, list[tuple[Span, str | None]]] = {}
        for mention in doc.spans.get("presslens_places", []):
            start, end = mention.start_char, mention.end_char
            if quoted.scared(start, end) or quoted.speaker(start, end)[0]:
                continue
            found = self.gazetteer.name_use(mention.text)
            if found is not None:
                uses.setdefault(found[0].id, []).append((mention, found[1]))
        neutral = set(self.knowledge.neutral_place_users)
        items = []
        for place_id, named in uses.items():
            if len({user for _, user in named}) > 1:
                continue  # the outlet uses more than one side's name: no choice made
            for mention, user in named:
                if user is None or user in neutral:
                    continue
                place = self.gazetteer.places[place_id]
                items.append(framing_item("contested_toponym", mention.start_char, mention.end_char, mention.text,
                                   self._toponym_note(mention.text, user, place.names)))
        return items

    def _toponym_note(self, name: str, user: str, names: dict[str, str | None]) -> str:
        """'Judea and Samaria' is the name used by ...; international usage is 'West Bank'."""
        used = self.gazetteer.used_by.get(user, user)
        international = [n for n, u in names.items() if u == "international/UN"]
        if international:
            return f"'{name}' is {used}; international usage is '{international[0]}'"
        others = [f"'{n}' ({u})" for n, u in names.items() if u not in (user, "spelling variant", None)]
        return f"'{name}' is {used}; other names: {', '.join(others)}" if others else f"'{name}' is {used}"

    def _sourcing(self, doc: Doc, actors: dict[str, dict]) -> dict | None:
        """The article's sourcing in words: who speaks, how much is second-hand, which countries are never quoted."""
        quotes = doc._.presslens_quotes or []
        if not quotes:
            return None
        profile = sourcing_profile(quotes, actors)
        speakers = ", ".join(f"{s['name']} {s['quotes']}" for s in profile["speakers"])
        parts = [f"{profile['quotes']} quote{'s' if profile['quotes'] > 1 else ''}: {speakers or 'none attributed'}"
                 + (f", {profile['unattributed']} unattributed" if profile["unattributed"] else "")]
        relayed = sum(1 for q in quotes if q.get("attributed_via"))
        if relayed:
            via = sorted({(actors.get(q["attributed_via"]) or {}).get("name", q["attributed_via"]) for q in quotes
                          if q.get("attributed_via")})
            parts.append(f"{relayed} of {profile['quotes']} are second-hand (via {', '.join(via)})")
        direct = {q["speaker"] for q in quotes if q["kind"] in _SPEECH_KINDS and q.get("speaker")}
        if len(direct) == 1:
            speaker = next(iter(direct))
            parts.append(f"all direct speech comes from {(actors.get(speaker) or {}).get('name', speaker)}")
        quoted_countries = {s["country"] for s in profile["speakers"]}
        silent = {actor["country"]: self.state_names.get(actor["country"], actor["name"]) for actor in actors.values()
                  if actor.get("country") and actor["country"] not in quoted_countries
                  and actor.get("kind") not in _NOT_A_SIDE}
        if silent:
            parts.append(f"no voice is quoted from {', '.join(silent.values())}")
        return framing_item("sourcing", None, None, None, "; ".join(parts)) | {"voice": "outlet"}


_NOTES = {
    "loaded_term": "'{}' is an emotionally loaded or judgemental word",
    "hedge": "'{}' distances the writer from the claim",
    "intensifier": "'{}' intensifies or exaggerates",
}


def _names_someone(span: Span) -> bool:
    """Whether a label noun names people: not an adjective ('radical'), a modifier ('gang violence', 'regime
    change') or part of a proper name ('Patriot Act')."""
    root = span.root
    if root.pos_ == "ADJ" or root.dep_ == "compound":
        return False
    return not (root.pos_ == "PROPN" and not root.is_sent_start and root.text[:1].isupper())


def _label_targets(span: Span, mentions: dict[int, Span]) -> list[str]:
    """Actor ids a label names: a mention it is part of, an apposition, names right beside it, a copula subject."""
    doc = span.doc
    for i in range(span.start, span.end):
        if i in mentions:
            return [mentions[i].label_]
    head = span[-1]
    for child in head.lefts:  # 'Hamas terrorists', "Hezbollah's fighters"
        if child.dep_ in ("compound", "poss", "nmod") and child.i in mentions:
            return [mentions[child.i].label_]
    for child in head.children:
        if child.dep_ == "appos":
            named = [mentions[t.i].label_ for t in child.subtree if t.i in mentions]
            if named:
                return [named[0]]
    if head.dep_ == "appos" and head.head.i in mentions:
        return [mentions[head.head.i].label_]
    after = _adjacent(doc, span.end, +1, mentions, gap=_APPOSITION_GAP | {"of"})
    if after is not None:
        first = mentions[after]
        conj = [mentions[c.i].label_ for c in first.root.children if c.dep_ == "conj" and c.i in mentions]
        return list(dict.fromkeys([first.label_, *conj]))
    before = _adjacent(doc, span.start - 1, -1, mentions, need_comma=True)
    if before is not None:
        return [mentions[before].label_]
    if head.dep_ == "attr" and head.head.lemma_ == "be":
        subject = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.i in mentions:
            return [mentions[subject.i].label_]
    return []


def _adjacent(
    doc: Doc, i: int, step: int, mentions: dict[int, Span], need_comma: bool = False,
    gap: frozenset[str] = _APPOSITION_GAP,
) -> int | None:
    """The first token of an actor mention from ``i`` on, past at most three ``gap`` words (punctuation, articles)."""
    skipped: list[Token] = []
    while 0 <= i < len(doc) and len(skipped) <= 3:
        if i in mentions:
            return i if not need_comma or any(t.text == "," for t in skipped) else None
        if doc[i].lower_ not in gap or "\n" in doc[i].text:
            return None
        skipped.append(doc[i])
        i += step
    return None


@Language.factory(
    "presslens_framing",
    assigns=["doc._.presslens_framing"],
    requires=["token.dep", "token.pos", "token.lemma", "token.is_sent_start", "doc._.presslens_quotes"],
    default_config={"scare_quote_max_words": 4, "max_span_tokens": 40},
)
def make_framing(nlp: Language, name: str, scare_quote_max_words: int, max_span_tokens: int) -> FramingFinder:
    """Build the framing finder (lexicons loaded and matchers compiled once).

    Args:
        scare_quote_max_words: the most words a quoted phrase may have to be a scare quote.
        max_span_tokens: the most tokens of an unattributed-claim or motive span.
    """
    return FramingFinder(nlp, name, scare_quote_max_words, max_span_tokens)
