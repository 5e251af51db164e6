"""The presslens_events factory: the event coder on the PresslensComponent base (knowledge saved with the pipeline)."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

import presslens.analyzers.events.scorer  # noqa: F401  (registers presslens.events_scorer.v1)
from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.analyzers.events.coding import code_sentence
from presslens.analyzers.events.context import Sentence
from presslens.analyzers.events.dates import parse_published
from presslens.analyzers.events.patterns import VerbCoder
from presslens.knowledge.events import EventKnowledge, build_event_knowledge, event_data
from presslens.nlp.outputs import EventOut


class EventCoder(PresslensComponent):
    """Code events in each sentence and write them to ``doc._.presslens_events``."""

    def __init__(self, nlp: Language, name: str, min_confidence: float, paired_events: bool, block_fallback: bool,
                 dyad_required: bool, scorer: Scorer | None = None) -> None:
        super().__init__(nlp, name, scorer)
        self.min_confidence, self.paired_events = min_confidence, paired_events
        self.block_fallback, self.dyad_required = block_fallback, dyad_required

    def load_data(self, **additions: Any) -> dict[str, Any]:
        """The packaged event files (codes, curated entries, PETRARCH2 verbs, lexicon, agent nouns)."""
        return event_data()

    def build(self) -> None:
        """Validate the event files and index them."""
        assert self.data is not None
        self.k: EventKnowledge = build_event_knowledge(self.data)
        self.verbs = VerbCoder(self.k, self.block_fallback, self.dyad_required)

    def annotate(self, doc: Doc) -> Doc:
        """Set ``doc._.presslens_events`` (an empty list when nothing is found)."""
        actors = doc._.presslens_actors or {}
        places = doc._.presslens_places or {}
        sents = list(doc.sents)
        tokens = list(doc)  # Token objects made once (doc[i] makes a new one each time)
        lowers = [t.lower_ for t in tokens]
        actor_spans = _by_sentence(list(doc.spans["presslens_actors"]) if "presslens_actors" in doc.spans else [], sents)
        place_spans = _by_sentence(list(doc.spans["presslens_places"]) if "presslens_places" in doc.spans else [], sents)
        dates = _by_sentence([e for e in doc.ents if e.label_ in {"DATE", "TIME"}], sents)
        published = parse_published(doc.user_data.get("published"))
        events: list[EventOut] = []
        seen: set[tuple[Any, ...]] = set()
        for i, sent in enumerate(sents):
            ctx = Sentence(self.k, sent, tokens, lowers, actors, places, actor_spans[i], place_spans[i], dates[i], published)
            for event in code_sentence(ctx, self.verbs, self.paired_events):
                key = (event["cameo"], event["source"], event["target"], tuple(event["trigger"]))
                if key not in seen and event["confidence"] >= self.min_confidence:
                    seen.add(key)
                    events.append(event)
        for n, event in enumerate(events):
            event["id"] = f"e{n}"
        doc._.presslens_events = events
        return doc


def _by_sentence(spans: list[Span], sents: list[Span]) -> list[list[Span]]:
    """The spans lying wholly inside each sentence, in their order (one list per sentence)."""
    starts = [s.start for s in sents]
    out: list[list[Span]] = [[] for _ in sents]
    for span in spans:
        i = bisect_right(starts, span.start) - 1
        if i >= 0 and span.end <= sents[i].end:
            out[i].append(span)
    return out


@Language.factory(
    "presslens_events",
    assigns=["doc._.presslens_events"],
    requires=["token.dep", "token.lemma", "token.tag", "doc.sents", "doc.ents", "doc._.presslens_actors",
              "doc._.presslens_places", "token._.presslens_actor", "token._.presslens_place"],
    default_config={"min_confidence": 0.0, "paired_events": True, "block_fallback": False, "dyad_required": False,
                    "scorer": {"@scorers": "presslens.events_scorer.v1"}},
    default_score_weights={"events_type_recall": 0.4, "events_type_f": 0.3, "events_dyad_f": 0.3},
)
def make_events(nlp: Language, name: str, min_confidence: float, paired_events: bool, block_fallback: bool,
                dyad_required: bool, scorer: Scorer | None) -> EventCoder:
    """Build the event coder (a thin, typed constructor validated from its signature)."""
    return EventCoder(nlp, name, min_confidence, paired_events, block_fallback, dyad_required, scorer)
