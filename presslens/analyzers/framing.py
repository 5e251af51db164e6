"""presslens_framing: labels, loaded terms, scare quotes, contested names, casualty words, claims and sourcing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import filter_spans

from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.analyzers.framing_casualties import CasualtyFinder
from presslens.analyzers.framing_claims import ClaimFinder, framing_item
from presslens.analyzers.framing_toponyms import Toponyms
from presslens.analyzers.metrics import span_prf
from presslens.analyzers.quotes.marks import is_title, paragraph_ranges, scan_paragraph
from presslens.knowledge.actors import state_names
from presslens.knowledge.framing import FramingKnowledge, Term, packaged_lexicon_data
from presslens.knowledge.places import packaged_toponyms
from presslens.nlp.outputs import ActorOut, FramingKind, FramingOut, QuoteOut, QuotesOut, SourceOut

_WORD = re.compile(r"\w+")
_SPEECH_KINDS = frozenset({"direct", "mixed"})
_ARTICLES = frozenset({"the", "a", "an"})
_APPOSITION_GAP = frozenset({",", "-", "\u2013", "\u2014", ":", "(", *_ARTICLES})
_NOT_A_SIDE = frozenset({"media", "population"})
# Kinds of word-choice framing that BASIL's lexical-bias spans are compared with (``presslens.framing_scorer.v1``).
BASIL_KINDS = frozenset({"label", "loaded_term", "scare_quote", "intensifier", "casualty_verb_asymmetry", "motive_speculation"})
Range = tuple[int, int]
Actors = dict[str, ActorOut]


def _actor_name(actors: Actors, actor_id: str, default: str) -> str:
    """The name of one of the article's actors, or ``default`` for an id it does not hold."""
    return actor.get("name", default) if (actor := actors.get(actor_id)) else default


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

    def inside(self, start: int, end: int) -> bool:
        """Whether a span lies inside scare quotes or a speaker's quotation."""
        return self.scared(start, end) or self.speaker(start, end)[0]


class FramingFinder(PresslensComponent):
    """Fill ``doc._.presslens_framing`` with the word choices that frame the story, each with its evidence."""

    def __init__(self, nlp: Language, name: str, scare_quote_max_words: int, max_span_tokens: int, scorer: Scorer | None = None) -> None:
        super().__init__(nlp, name, scorer)
        self.nlp = nlp
        self.scare_quote_max_words = scare_quote_max_words
        self.max_span_tokens = max_span_tokens

    def load_data(self, **additions: Any) -> dict[str, Any]:
        """The framing lexicon, the curated places' names (contested toponyms) and the state actors' names by country."""
        return {"lexicon": packaged_lexicon_data(), "toponyms": packaged_toponyms(), "state_names": state_names()}

    def build(self) -> None:
        """Validate the lexicon and compile the phrase matchers of its lists once."""
        assert self.data is not None
        self.knowledge = FramingKnowledge.model_validate(self.data["lexicon"])
        self.toponyms = Toponyms(self.data["toponyms"], self.knowledge.neutral_place_users)
        self.state_names: dict[str, str] = self.data["state_names"]
        self.casualties = CasualtyFinder(self.nlp, self.knowledge)
        self.claims = ClaimFinder(self.nlp, self.knowledge, self.max_span_tokens)
        self.terms: dict[str, tuple[str, Term]] = {}
        self.lexical = PhraseMatcher(self.vocab, attr="LOWER")
        kinds = (("loaded_term", self.knowledge.loaded_terms.entries), ("hedge", self.knowledge.hedges.entries),
                 ("intensifier", self.knowledge.intensifiers.entries))
        for kind, entries in kinds:
            for entry in entries:
                self._add(kind, entry, [entry.term])
        for noun in self.knowledge.labels.nouns:
            self._add("label", noun, noun.forms())
        self.adjectives = PhraseMatcher(self.vocab, attr="LOWER")
        for adjective in self.knowledge.labels.adjectives:
            key = f"label_adjective:{adjective.term}"
            self.terms[key] = ("label_adjective", adjective)
            self.adjectives.add(key, [self.nlp.make_doc(adjective.term)])
        self.title_nouns = frozenset(self.knowledge.title_nouns)
        self.naming_verbs = frozenset(self.knowledge.naming_verbs)

    def _add(self, kind: str, entry: Term, forms: list[str]) -> None:
        """Add one lexicon entry to the phrase matcher under its own key."""
        key = f"{kind}:{entry.term}"
        self.terms[key] = (kind, entry)
        self.lexical.add(key, [self.nlp.make_doc(form) for form in forms])

    # ---- main -------------------------------------------------------------------------

    def annotate(self, doc: Doc) -> Doc:
        """Set ``doc._.presslens_framing``: items in text order, the article-level sourcing item last."""
        actors: Actors = doc._.presslens_actors or {}
        said: QuotesOut = doc._.presslens_quotes or QuotesOut(quotes=[], sources=[])
        text = doc.text  # Doc.text joins every token: read it once
        quoted = self._quoted(doc, text, said["quotes"])
        items = self._scare_quotes(text, quoted)
        items += self._lexical(doc, actors, quoted)
        items += self.toponyms.items(doc, quoted.inside)
        marked = quoted.scare + [r for r, _ in quoted.speech]
        items += self.casualties.asymmetries(self.casualties.mentions(doc, marked))
        items += self.claims(doc)
        for item in items:
            start, end = item["start"], item["end"]
            assert start is not None and end is not None
            inside, speaker = quoted.speaker(start, end)
            attributed = item["voice"] == "quoted"  # a label reported as someone else's naming
            item["voice"] = "quoted" if inside or attributed else "outlet"
            item["technique"] = item["technique"] or self.knowledge.technique(item["kind"])
            if inside and not attributed:
                who = _actor_name(actors, speaker, "a speaker") if speaker else "an unnamed speaker"
                if item["kind"] == "scare_quote":
                    item["note"] = f"{who} puts {item['text']} in scare quotes: the distance is the speaker's"
                else:
                    item["note"] = f"{item['note']} (inside {who}'s quotation: the framing belongs to the speaker)"
        casualty_spans = {(i["start"], i["end"]) for i in items if i["kind"] == "casualty_verb_asymmetry"}
        items = [i for i in items if not (i["kind"] == "loaded_term" and (i["start"], i["end"]) in casualty_spans)]
        items.sort(key=lambda i: (i["start"] or 0, i["end"] or 0, i["kind"]))
        sourcing = self._sourcing(said["quotes"], said["sources"], actors)
        doc._.presslens_framing = items + ([sourcing] if sourcing else [])
        return doc

    # ---- quotations -------------------------------------------------------------------

    def _quoted(self, doc: Doc, text: str, records: list[QuoteOut]) -> Quoted:
        """Speech quotations (the marks of direct and mixed quotes) and scare quotes of the text."""
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
        actors: Actors = doc._.presslens_actors or {}
        named = span is not None and any(
            (actor := actors.get(t._.presslens_actor)) is not None and actor.get("kind") == "media"
            for t in span if t._.presslens_actor is not None
        )
        return not named

    def _scare_quotes(self, text: str, quoted: Quoted) -> list[FramingOut]:
        """One item per scare quote, its marks included in the span."""
        items = []
        for lo, hi in quoted.scare:
            inner = text[lo + 1 : hi - 1]
            note = f"'{inner}' in quotation marks that quote no one: the writer distances themself from the word"
            items.append(framing_item("scare_quote", lo, hi, text[lo:hi], note))
        return items

    # ---- labels, loaded terms, hedges, intensifiers --------------------------------------

    def _lexical(self, doc: Doc, actors: Actors, quoted: Quoted) -> list[FramingOut]:
        """Lexicon matches, longest first; a label names its actor, and nothing inside scare quotes counts."""
        matches = [(doc[s:e], self.terms[doc.vocab.strings[key]]) for key, s, e in self.lexical(doc)]
        matches += [(doc[s : e + 1], self.terms[doc.vocab.strings[key]]) for key, s, e in self.adjectives(doc)
                    if e < len(doc) and doc[e].pos_ in ("NOUN", "PROPN")]  # the adjective and the noun it labels
        by_span = {(span.start, span.end): entry for span, entry in matches}
        items: list[FramingOut] = []
        for span in filter_spans([span for span, _ in matches]):
            kind, entry = by_span[(span.start, span.end)]
            if quoted.scared(span.start_char, span.end_char):
                continue
            if kind == "label" and not _names_someone(span):
                continue
            if kind in ("label", "label_adjective"):
                items += self._labels(span, kind, entry, actors)
            else:
                items.append(framing_item(_KINDS[kind], span.start_char, span.end_char, span.text, _NOTES[kind].format(span.text),
                                          technique=entry.technique))
        return items

    def _labels(self, span: Span, kind: str, entry: Term, actors: Actors) -> list[FramingOut]:
        """Label items, one per actor the label names; an adjective naming no actor is a loaded term."""
        stance = getattr(entry, "stance", "neutral")
        targets = _label_targets(span)
        if kind == "label_adjective" and not targets:
            word = span[:-1]
            return [framing_item("loaded_term", word.start_char, word.end_char, word.text, _NOTES["loaded_term"].format(word.text))]
        if not targets and stance == "neutral":
            return []
        named = [f"names {_actor_name(actors, t, t)}:" for t in targets] or ["is"]
        slots: list[str | None] = [*targets] or [None]  # one item without a target when the label names no actor
        items = [framing_item("label", span.start_char, span.end_char, span.text, f"'{span.text}' {who} a {stance} label",
                              target=t) for t, who in zip(slots, named)]
        if (designation := self._designation(span, actors)) is not None:
            verb, namer = designation
            for item in items:
                if namer is None:
                    item["note"] = f"{item['note']}, reported as a designation ('{verb}') by someone unnamed"
                else:
                    item["note"] = f"{item['note']}, applied by {namer} ('{verb}'), not by the outlet"
                    item["voice"] = "quoted"
        return items

    def _designation(self, span: Span, actors: Actors) -> tuple[str, str | None] | None:
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
        if namer._.presslens_actor is not None:
            return node.text, _actor_name(actors, namer._.presslens_actor, namer.text)
        return node.text, " ".join(t.text for t in namer.subtree)

    def _sourcing(self, quotes: list[QuoteOut], sources: list[SourceOut], actors: Actors) -> FramingOut | None:
        """The article's sourcing in words (from the quotes component's profile): who speaks, what is second-hand, who is never quoted."""
        if not quotes:
            return None
        speakers = ", ".join(f"{s['name']} {s['quotes']}" for s in sources)
        unattributed = sum(1 for q in quotes if q["speaker"] is None)
        parts = [f"{len(quotes)} quote{'s' if len(quotes) > 1 else ''}: {speakers or 'none attributed'}"
                 + (f", {unattributed} unattributed" if unattributed else "")]
        relayed = sum(1 for q in quotes if q["attributed_via"])
        if relayed:
            via = sorted({_actor_name(actors, via_id, via_id) for q in quotes if (via_id := q["attributed_via"])})
            parts.append(f"{relayed} of {len(quotes)} are second-hand (via {', '.join(via)})")
        direct = {q["speaker"] for q in quotes if q["kind"] in _SPEECH_KINDS and q["speaker"]}
        if len(direct) == 1:
            speaker = next(iter(direct))
            parts.append(f"all direct speech comes from {_actor_name(actors, speaker, speaker)}")
        quoted_countries = {s["country"] for s in sources}
        silent = {country: self.state_names.get(country, actor["name"]) for actor in actors.values()
                  if (country := actor.get("country")) and country not in quoted_countries
                  and actor.get("kind") not in _NOT_A_SIDE}
        if silent:
            parts.append(f"no voice is quoted from {', '.join(silent.values())}")
        return framing_item("sourcing", None, None, None, "; ".join(parts))


_KINDS: dict[str, FramingKind] = {"loaded_term": "loaded_term", "hedge": "hedge", "intensifier": "intensifier"}
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


def _label_targets(span: Span) -> list[str]:
    """Actor ids a label names: a mention it is part of, an apposition, names right beside it, a copula subject."""
    doc = span.doc
    for token in span:
        if token._.presslens_actor is not None:
            return [token._.presslens_actor]
    head = span[-1]
    for child in head.lefts:  # 'Hamas terrorists', "Hezbollah's fighters"
        if child.dep_ in ("compound", "poss", "nmod") and child._.presslens_actor is not None:
            return [child._.presslens_actor]
    for child in head.children:
        if child.dep_ == "appos":
            named = [t._.presslens_actor for t in child.subtree if t._.presslens_actor is not None]
            if named:
                return [named[0]]
    if head.dep_ == "appos" and head.head._.presslens_actor is not None:
        return [head.head._.presslens_actor]
    after = _adjacent(doc, span.end, +1, gap=_APPOSITION_GAP | {"of"})
    if after is not None:
        first = _mention_from(doc, after)
        conj = [c._.presslens_actor for c in first.root.children if c.dep_ == "conj" and c._.presslens_actor is not None]
        return list(dict.fromkeys([doc[after]._.presslens_actor, *conj]))
    before = _adjacent(doc, span.start - 1, -1, need_comma=True)
    if before is not None:
        return [doc[before]._.presslens_actor]
    if head.dep_ == "attr" and head.head.lemma_ == "be":
        subject = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject._.presslens_actor is not None:
            return [subject._.presslens_actor]
    return []


def _mention_from(doc: Doc, i: int) -> Span:
    """The actor mention that starts at token ``i``: the run of tokens with its actor id."""
    actor = doc[i]._.presslens_actor
    end = i + 1
    while end < len(doc) and doc[end]._.presslens_actor == actor:
        end += 1
    return doc[i:end]


def _adjacent(doc: Doc, i: int, step: int, need_comma: bool = False, gap: frozenset[str] = _APPOSITION_GAP) -> int | None:
    """The first token of an actor mention from ``i`` on, past at most three ``gap`` words (punctuation, articles)."""
    skipped: list[Token] = []
    while 0 <= i < len(doc) and len(skipped) <= 3:
        if doc[i]._.presslens_actor is not None:
            return i if not need_comma or any(t.text == "," for t in skipped) else None
        if doc[i].lower_ not in gap or "\n" in doc[i].text:
            return None
        skipped.append(doc[i])
        i += step
    return None


def score_framing(examples: Iterable[Example]) -> dict[str, Any]:
    """BASIL-style scores: partial-credit span P/R/F1 of the word-choice items (``BASIL_KINDS``) against the gold items.

    The gold is ``example.reference._.presslens_framing`` (items with a character span; their kind is not compared,
    as BASIL marks lexical bias, not presslens's kinds).
    """
    predicted, gold, kinds = [], [], Counter[str]()
    for example in examples:
        found = [f for f in example.predicted._.presslens_framing or [] if f["kind"] in BASIL_KINDS and f["start"] is not None]
        marked = example.reference._.presslens_framing or []
        kinds.update(f["kind"] for f in found)
        predicted.append([(f["start"], f["end"]) for f in found])
        gold.append([(f["start"], f["end"]) for f in marked if f["start"] is not None])
    scores = span_prf(predicted, gold)
    return {"framing_p": scores["precision"], "framing_r": scores["recall"], "framing_f": scores["f1"],
            "framing_predicted": scores["predicted"], "framing_gold": scores["gold"], "framing_per_kind": dict(kinds)}


@spacy.registry.scorers("presslens.framing_scorer.v1")
def make_framing_scorer() -> Scorer:
    """The registered scorer of ``presslens_framing`` (``score_framing``)."""
    return score_framing


@Language.factory(
    "presslens_framing",
    assigns=["doc._.presslens_framing"],
    requires=["token.dep", "token.tag", "token.lemma", "token.is_sent_start", "token.ent_type", "doc._.presslens_quotes",
              "doc._.presslens_actors", "token._.presslens_actor", "doc._.presslens_places"],
    default_config={"scare_quote_max_words": 4, "max_span_tokens": 40, "scorer": {"@scorers": "presslens.framing_scorer.v1"}},
    default_score_weights={"framing_f": 1.0, "framing_p": 0.0, "framing_r": 0.0, "framing_predicted": None, "framing_gold": None,
                           "framing_per_kind": None},
)
def make_framing(nlp: Language, name: str, scare_quote_max_words: int, max_span_tokens: int, scorer: Scorer | None) -> FramingFinder:
    """Build the framing finder (its lexicons are loaded and its matchers compiled by ``initialize``).

    Args:
        scare_quote_max_words: the most words a quoted phrase may have to be a scare quote.
        max_span_tokens: the most tokens of an unattributed-claim or motive span.
        scorer: The scorer ``nlp.evaluate`` calls (``presslens.framing_scorer.v1``).
    """
    return FramingFinder(nlp, name, scare_quote_max_words, max_span_tokens, scorer)
