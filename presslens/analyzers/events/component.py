"""The presslens_events factory: the event coder plus its learned verifier (knowledge and weights saved with the pipeline)."""

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
from presslens.analyzers.events.roles import RoleModel, Roles, load_role_data
from presslens.analyzers.events.verifier import (Verifier, decide, hash_features, kept, load_verifier_data,
                                                 sentence_features, verify)
from presslens.knowledge.events import EventKnowledge, build_event_knowledge, event_data
from presslens.nlp.outputs import EventOut


class EventCoder(PresslensComponent):
    """Code events in each sentence, verify them and write them to ``doc._.presslens_events``."""

    def __init__(self, nlp: Language, name: str, min_confidence: float | None, retype_margin: float, verifier: bool,
                 roles: bool, paired_events: bool, block_fallback: bool, dyad_required: bool,
                 scorer: Scorer | None = None) -> None:
        super().__init__(nlp, name, scorer)
        self.configured_threshold, self.retype_margin, self.use_verifier = min_confidence, retype_margin, verifier
        self.use_roles = roles
        self.min_confidence = min_confidence or 0.0
        self.paired_events, self.block_fallback, self.dyad_required = paired_events, block_fallback, dyad_required

    def load_data(self, **additions: Any) -> dict[str, Any]:
        """The packaged event files (codes, curated entries, PETRARCH2 verbs, lexicon, agent nouns), verifier and role weights."""
        return {**event_data(), "verifier": load_verifier_data() if self.use_verifier else None,
                "roles": load_role_data() if self.use_roles else None}

    def build(self) -> None:
        """Validate the event files and the verifier, and index them."""
        assert self.data is not None
        self.k: EventKnowledge = build_event_knowledge(self.data)
        self.verbs = VerbCoder(self.k, self.block_fallback, self.dyad_required)
        self.verifier = Verifier(self.data["verifier"]) if self.use_verifier and self.data.get("verifier") else None
        self.roles = Roles(RoleModel(self.data["roles"]) if self.use_roles and self.data.get("roles") else None)
        recommended = self.data["verifier"]["card"].get("recommended_min_confidence") if self.verifier else None
        threshold = recommended if self.configured_threshold is None else self.configured_threshold
        self.min_confidence = float(threshold or 0.0)
        self.type_codes: dict[str, tuple[str, str | None]] = {}
        for kind, code in (self.verifier.type_codes if self.verifier else {}).items():
            if self.k.plover(code) != kind:
                raise ValueError(f"event verifier: CAMEO code {code!r} is not of type {kind}")
            self.type_codes[kind] = (code, self.k.codes[code].mode)

    def candidates(self, doc: Doc) -> list[EventOut]:
        """The coder's events before verification (heuristic confidence, duplicates merged per sentence, no threshold)."""
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
        for i, sent in enumerate(sents):
            ctx = Sentence(self.k, sent, tokens, lowers, actors, places, actor_spans[i], place_spans[i], dates[i], published)
            events.extend(code_sentence(ctx, self.verbs, self.roles, self.paired_events))
        return events

    def judge(self, event: EventOut, features: list[str]) -> tuple[str, float]:
        """The verifier's type and probability for one candidate (other types are scored only when re-typing is on)."""
        assert self.verifier is not None
        scores = self.verifier.scores(hash_features(features), event["type"], self.retype_margin < 1.0)
        return decide(scores, self.retype_margin)

    def annotate(self, doc: Doc) -> Doc:
        """Set ``doc._.presslens_events`` (an empty list when nothing is found)."""
        events = self.candidates(doc)
        if self.verifier is not None:
            features = sentence_features(doc, events, doc._.presslens_actors or {})
            decisions = [self.judge(e, f) for e, f in zip(events, features, strict=True)]
            events = _unique(verify(events, decisions, self.min_confidence, self.type_codes))
        else:
            events = [e for e in events if kept(e, e["confidence"], self.min_confidence)]
        for n, event in enumerate(events):
            event["id"] = f"e{n}"
        doc._.presslens_events = events
        return doc


def event_coder(nlp: Language) -> EventCoder:
    """The pipeline's ``presslens_events`` component.

    Raises:
        KeyError: the pipeline has no ``presslens_events``.
        TypeError: the component of that name is not the event coder.
    """
    coder = nlp.get_pipe("presslens_events")
    if not isinstance(coder, EventCoder):
        raise TypeError(f"presslens_events is a {type(coder).__name__}, not the event coder")
    return coder


def _unique(events: list[EventOut]) -> list[EventOut]:
    """The events without repeats of one (code, source, target, trigger), in their order (re-typing can make one)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for event in events:
        key = (event["cameo"], event["source"], event["target"], tuple(event["trigger"]))
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


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
    default_config={"min_confidence": None, "retype_margin": 1.0, "verifier": True, "roles": True, "paired_events": True,
                    "block_fallback": False, "dyad_required": False,
                    "scorer": {"@scorers": "presslens.events_scorer.v1"}},
    default_score_weights={"events_type_recall": 0.4, "events_type_f": 0.3, "events_dyad_f": 0.3},
)
def make_events(nlp: Language, name: str, min_confidence: float | None, retype_margin: float, verifier: bool,
                roles: bool, paired_events: bool, block_fallback: bool, dyad_required: bool,
                scorer: Scorer | None) -> EventCoder:
    """Build the event coder (a thin, typed constructor validated from its signature)."""
    return EventCoder(nlp, name, min_confidence, retype_margin, verifier, roles, paired_events, block_fallback,
                      dyad_required, scorer)
