"""Pydantic models of the output contract in DESIGN.md; offsets index the cleaned ``text``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from presslens.nlp.outputs import FramingKind, PloverType

Span = tuple[int, int]


class Timestamp:
    """Field marker: an ISO 8601 string in the record, a TIMESTAMP (UTC) in the database."""


IsoTimestamp = Annotated[str, Timestamp]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Entity(_Model):
    """A named-entity mention, linked to a canonical actor or place when resolved."""

    start: int
    end: int
    text: str
    label: str
    sentence: int | None = Field(None, description="index into ``sentences`` of the sentence it came from")
    actor_id: str | None = None
    place_id: str | None = None


class Actor(_Model):
    """A canonical actor with its CAMEO code and every mention in the text."""

    id: str
    name: str
    kind: str
    country: str | None = Field(None, description="ISO 3166 alpha-3")
    cameo: str | None = Field(None, description='CAMEO actor code, e.g. "PSEREB"')
    role: str | None = Field(None, description='for persons: the office held, e.g. "head of the Political Bureau"')
    affiliation: str | None = Field(None, description="for persons: the actor id of their organisation or state")
    aliases: list[str] = []
    mentions: list[Span] = []


class Place(_Model):
    """A geocoded place with the names the article uses for it."""

    id: str
    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    alt_names: list[str] = []
    mentions: list[Span] = []


class Event(_Model):
    """Who did what to whom, coded in PLOVER and CAMEO, with its evidence spans."""

    id: str
    type: PloverType = Field(description="one of the 16 PLOVER types")
    cameo: str = Field(description='CAMEO event code with leading zeros, e.g. "042"')
    source: str | None = None
    target: str | None = None
    source_cameo: str | None = None
    target_cameo: str | None = None
    mode: str | None = None
    negated: bool = False
    hypothetical: bool = False
    background: bool = Field(default=False, description="dated clearly before the article or told as past context: not news")
    attributed_to: str | None = None
    place: str | None = None
    date: str | None = None
    fatalities: int | None = None
    trigger: Span
    sentence: Span
    confidence: float = Field(ge=0.0, le=1.0)


class Quote(_Model):
    """A quotation or reported speech with its speaker and cue."""

    start: int
    end: int
    text: str
    kind: Literal["direct", "indirect", "mixed"]
    speaker: str | None = None
    speaker_span: Span | None = None
    cue: str | None = None
    attributed_via: str | None = None


class Source(_Model):
    """One speaker of an article's sourcing profile: how much they are quoted, and how."""

    speaker: str = Field(description="actor id")
    name: str
    country: str | None = None
    quotes: int
    words: int = Field(description="words quoted from this speaker")
    direct: int = Field(description="direct or mixed quotes")
    relayed: int = Field(description="quotes relayed through another source")
    second_hand_only: bool = Field(description="every quote of this speaker is relayed")


class Framing(_Model):
    """One framing signal: a word choice of the outlet (or of a quoted speaker)."""

    kind: FramingKind
    start: int | None = None
    end: int | None = None
    text: str | None = None
    target: str | None = None
    voice: Literal["outlet", "quoted"] = "outlet"
    note: str | None = None
    technique: str | None = None


class Sentence(_Model):
    """A sentence span and, once the framing analyzer runs, its bias probability."""

    start: int
    end: int
    bias: float | None = Field(None, ge=0.0, le=1.0)


class ArticleRecord(_Model):
    """Everything presslens knows about one article."""

    id: str = Field(description="sha256 of the cleaned text (hex)")
    source: str | None = Field(None, description="where the record was read from (path, path:line, or -)")
    source_id: str | None = Field(None, description="the input record's own id, kept for joins")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: IsoTimestamp | None = Field(None, description="ISO 8601")
    lang: str | None = None
    text: str
    entities: list[Entity] = []
    actors: list[Actor] = []
    places: list[Place] = []
    events: list[Event] = []
    quotes: list[Quote] = []
    sources: list[Source] = []
    framing: list[Framing] = []
    sentences: list[Sentence] = []
    warnings: list[str] = []
