"""The ``presslens_quotes`` factory: direct, mixed and indirect quotes with speaker, cue and relay, plus the sourcing profile."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.analyzers.quotes.context import Scan
from presslens.analyzers.quotes.cues import Cues
from presslens.analyzers.quotes.direct import DirectQuotes, Previous
from presslens.analyzers.quotes.indirect import IndirectSpeech
from presslens.analyzers.quotes.marks import Quotation, find_quotations, is_speech_like, paragraph_ranges
from presslens.analyzers.quotes.mentions import ActorIndex, Pronouns
from presslens.analyzers.quotes.scorer import make_quotes_scorer  # noqa: F401  (registers presslens.quotes_scorer.v1)
from presslens.analyzers.quotes.sourcing import sources
from presslens.analyzers.quotes.speakers import SpeakerFinder
from presslens.knowledge.quotes import QuoteKnowledge, load_quote_knowledge
from presslens.nlp.outputs import QuoteOut

SPAN_KEY = "presslens_quotes"


class QuoteFinder(PresslensComponent):
    """Find quotations and reported speech, attribute them to actors, note relayed sources, sum up who speaks."""

    direct: DirectQuotes
    indirect: IndirectSpeech
    knowledge: QuoteKnowledge
    pronouns: Pronouns
    cues: Cues

    def __init__(
        self, nlp: Language, name: str, *, min_words: int, min_words_uncued: int, max_climb: int, max_gap: int,
        scorer: Scorer | None,
    ) -> None:
        super().__init__(nlp, name, scorer)
        self.cfg = {"min_words": min_words, "min_words_uncued": min_words_uncued, "max_climb": max_climb, "max_gap": max_gap}

    def initialize(  # explicit, so spaCy validates [initialize.components.presslens_quotes]
        self, get_examples: Callable[[], Iterable[Example]] | None = None, *, nlp: Language | None = None,
        cues: dict[str, Any] | None = None,
    ) -> None:
        """Load the cue lexicon: ``cues`` (the format of ``data/quotes/cues.json``) or the packaged one."""
        self._load(cues=cues)

    def load_data(self, cues: dict[str, Any] | None = None, **_: Any) -> dict[str, Any]:
        """The cue lexicon as a msgpack-safe dict, validated."""
        knowledge = QuoteKnowledge.model_validate(cues) if cues is not None else load_quote_knowledge()
        return knowledge.model_dump(mode="json")

    def build(self) -> None:
        """The cue, speaker, direct-quote and indirect-speech finders from the lexicon in ``self.data``."""
        self.knowledge = QuoteKnowledge.model_validate(self.data)
        self.pronouns = Pronouns(frozenset(self.knowledge.person_pronouns), frozenset(self.knowledge.group_pronouns))
        self.cues = cues = Cues(self.knowledge)
        speakers = SpeakerFinder(self.cfg["max_climb"])
        self.direct = DirectQuotes(
            cues, speakers, **self.cfg, transcript_non_speakers=frozenset(self.knowledge.transcript_non_speakers)
        )
        self.indirect = IndirectSpeech(
            cues, speakers, frozenset(self.knowledge.relay_adverbs), frozenset(self.knowledge.relay_nouns)
        )

    def annotate(self, doc: Doc) -> Doc:
        """Set ``doc.spans["presslens_quotes"]`` and ``doc._.presslens_quotes`` (quotes sorted by start, and sources)."""
        text = doc.text  # Doc.text joins every token: read it once per call
        actors = ActorIndex(doc, self.pronouns)
        paragraphs = paragraph_ranges(text)
        quotations = [q for q in find_quotations(text) if is_speech_like(text, q, self.knowledge.title_words_max)]
        inside = [False] * len(doc)
        spans: list[tuple[Quotation, Span]] = []
        for quotation in quotations:
            span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            spans.append((quotation, span))
            for i in range(span.start, span.end):
                inside[i] = True
        scan = Scan(doc, text, inside, actors, [t for t in doc if not inside[t.i] and self.cues.is_cue(t)])
        relays = self.indirect.relay_sources(scan)
        records: list[QuoteOut] = []
        previous: Previous | None = None
        for quotation, span in spans:
            para = next(p for p in paragraphs if p[0] <= quotation.start < p[1])
            record = self.direct.quote(scan, quotation, span, para, previous)
            if record is None:
                continue
            record["attributed_via"] = self.indirect.relayed_via(scan, span, relays, record)
            records.append(record)
            previous = (record, para)
        records = self.indirect.add(scan, records, relays)
        records.sort(key=lambda r: (r["start"], r["end"]))
        doc._.presslens_quotes = {"quotes": records, "sources": sources(records, actors.actors)}
        spans_out = (doc.char_span(r["start"], r["end"], label=r["kind"], alignment_mode="expand") for r in records)
        doc.spans[SPAN_KEY] = [span for span in spans_out if span is not None]
        return doc


@Language.factory(
    "presslens_quotes",
    assigns=["doc.spans", "doc._.presslens_quotes"],
    requires=[
        "doc._.presslens_actors", "token._.presslens_actor",
        "token.dep", "token.tag", "token.lemma", "token.ent_type", "token.is_sent_start",
    ],
    default_config={
        "min_words": 2, "min_words_uncued": 6, "max_climb": 4, "max_gap": 400,
        "scorer": {"@scorers": "presslens.quotes_scorer.v1"},
    },
    default_score_weights={
        "quotes_f": 0.5, "quotes_speaker_acc": 0.5, "quotes_p": 0.0, "quotes_r": 0.0, "quotes_all_r": 0.0,
    },
)
def make_quotes(
    nlp: Language, name: str, min_words: int, min_words_uncued: int, max_climb: int, max_gap: int,
    scorer: Scorer | None,
) -> QuoteFinder:
    """Build the quote finder (its cue lexicon is loaded by ``initialize``).

    Args:
        min_words: words a quotation needs to be speech (fewer: a scare quote), unless it ends in
            punctuation or a speech verb's content holds it ('said it was "improper"').
        min_words_uncued: words a quotation with no cue anywhere near needs to be kept as a direct quote.
        max_climb: dependency steps from a quotation (or a cue) up to its cue (or subject).
        max_gap: characters after the previous quote within which an unattributed quote keeps its speaker.
        scorer: the scoring function ``nlp.evaluate`` calls (``presslens.quotes_scorer.v1``).
    """
    return QuoteFinder(
        nlp, name, min_words=min_words, min_words_uncued=min_words_uncued, max_climb=max_climb, max_gap=max_gap,
        scorer=scorer,
    )
