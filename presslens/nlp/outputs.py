"""Typed shapes of what each presslens component writes to its ``Doc._`` extension.

Values stay msgpack-safe (dicts, lists, strings, numbers; spans as ``[start, end]`` lists) so
Docs survive ``nlp.pipe(n_process>1)``. ``record.convert`` turns them into the pydantic models
of the output contract; the field names are the contract's.
"""

from __future__ import annotations

from typing import Literal, TypedDict

# The contract's closed vocabularies (DESIGN.md): the 16 PLOVER event types and the framing kinds.
PloverType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
FramingKind = Literal[
    "label", "loaded_term", "scare_quote", "contested_toponym", "casualty_verb_asymmetry",
    "unattributed_claim", "motive_speculation", "hedge", "intensifier", "sourcing",
]
QuoteKind = Literal["direct", "indirect", "mixed"]
Voice = Literal["outlet", "quoted"]
CharSpan = list[int]  # [start, end): lists, since msgpack (n_process > 1, to_bytes) turns tuples into lists


class TextWarning(TypedDict):
    """A problem found in the text (``doc._.presslens_warnings``)."""

    message: str
    start: int | None
    end: int | None


class ActorOut(TypedDict):
    """One canonical actor (``doc._.presslens_actors`` maps actor id to these)."""

    id: str
    name: str
    kind: str
    country: str | None
    cameo: str | None
    role: str | None
    affiliation: str | None
    aliases: list[str]
    mentions: list[CharSpan]


class PlaceOut(TypedDict):
    """One geocoded place (``doc._.presslens_places`` maps place id to these)."""

    id: str
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    alt_names: list[str]
    mentions: list[CharSpan]


class EventOut(TypedDict):
    """One coded event (``doc._.presslens_events`` is a list of these)."""

    id: str
    type: PloverType
    cameo: str
    source: str | None
    target: str | None
    source_cameo: str | None
    target_cameo: str | None
    mode: str | None
    negated: bool
    hypothetical: bool
    background: bool
    attributed_to: str | None
    place: str | None
    date: str | None
    fatalities: int | None
    trigger: CharSpan
    sentence: CharSpan
    confidence: float


class QuoteOut(TypedDict):
    """One quotation or reported speech (``doc._.presslens_quotes`` is a list of these)."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None
    speaker_span: CharSpan | None
    cue: str | None
    attributed_via: str | None


class SourceOut(TypedDict):
    """One speaker of the sourcing profile (``doc._.presslens_sources`` is a list of these)."""

    speaker: str
    name: str
    country: str | None
    quotes: int
    words: int
    direct: int
    relayed: int
    second_hand_only: bool


class FramingOut(TypedDict):
    """One framing signal (``doc._.presslens_framing`` is a list of these)."""

    kind: FramingKind
    start: int | None
    end: int | None
    text: str | None
    target: str | None
    voice: Voice
    note: str | None
    technique: str | None


class QuotesOut(TypedDict):
    """The quotations and the sourcing profile computed from them (``doc._.presslens_quotes``)."""

    quotes: list[QuoteOut]
    sources: list[SourceOut]


class TechniqueOut(TypedDict):
    """A Propaganda Techniques Corpus label for one framing item (``doc._.presslens_techniques``)."""

    framing: int  # index into doc._.presslens_framing
    technique: str
