"""What the article page shows of one record: the text with every layer highlighted, and the panels' items.

Every highlighted or listed item has the id ``<layer>-<index>`` (``event-3`` is ``record.events[3]``):
the text's spans and the panel entry of one item share it as ``data-item``, which is how the page's
script finds an item's evidence and its details.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup

from presslens.record.models import (
    Actor,
    ArticleRecord,
    Event,
    Framing,
    Place,
    Quote,
    Sentence,
    Span,
)
from presslens.web.highlight import Mark, render

# (layer, its toggle's id suffix and label): the legend, in its order
LAYERS: tuple[tuple[str, str], ...] = (("actor", "actors"), ("place", "places"), ("event", "events"), ("quote", "quotes"), ("framing", "framing"))
# Nesting order in the text: sentences outermost, then quotes, framing, events, places, actors innermost.
RANK = {"sentence": 0, "quote": 1, "framing": 2, "event": 3, "place": 4, "actor": 5}
WEB_SCHEMES = {"http", "https"}


@dataclass(frozen=True)
class ActorItem:
    """An actor of the article and how often it is mentioned."""

    item: str
    actor: Actor
    mentions: int


@dataclass(frozen=True)
class PlaceItem:
    """A place of the article and how often it is mentioned."""

    item: str
    place: Place
    mentions: int


@dataclass(frozen=True)
class EventItem:
    """An event with its actors' and place's names, its evidence text and the sentences it lies in."""

    item: str
    event: Event
    source: str | None
    target: str | None
    place: str | None
    attributed_to: str | None
    trigger: str
    sentence: str
    sentences: str  # indices into record.sentences, space-separated (the entry's data-sentences)


@dataclass(frozen=True)
class QuoteItem:
    """A quote with its speaker's name."""

    item: str
    quote: Quote
    speaker: str | None
    via: str | None


@dataclass(frozen=True)
class SpeakerQuotes:
    """The quotes of one speaker (``speaker`` None: unattributed)."""

    speaker: str | None
    name: str
    quotes: list[QuoteItem]


@dataclass(frozen=True)
class FramingItem:
    """A framing signal; ``placed`` when it has a span in the text."""

    item: str
    framing: Framing
    placed: bool
    target: str | None


@dataclass(frozen=True)
class SentenceItem:
    """A sentence of the heat strip: its position and its bias shade (``b0``..``b9``, ``bn`` without a bias)."""

    item: str
    index: int
    sentence: Sentence
    shade: str


@dataclass(frozen=True)
class ArticleView:
    """The article page's content computed from one record."""

    text: Markup
    link: str | None
    counts: dict[str, int]
    actors: list[ActorItem]
    places: list[PlaceItem]
    events: list[EventItem]
    speakers: list[SpeakerQuotes]
    framing: list[FramingItem]
    sentences: list[SentenceItem]


def article_view(record: ArticleRecord) -> ArticleView:
    """The highlighted text and the panels of one record (a Jinja global of the article page)."""
    names = {a.id: a.name for a in record.actors}
    places = {p.id: p.name for p in record.places}
    events = [_event(i, e, record, names, places) for i, e in enumerate(record.events)]
    framing = [
        FramingItem(f"framing-{i}", f, _span(f.start, f.end) is not None, names.get(f.target, f.target) if f.target else None)
        for i, f in enumerate(record.framing)
    ]
    counts = {
        "actor": sum(len(a.mentions) for a in record.actors),
        "place": sum(len(p.mentions) for p in record.places),
        "event": len(record.events),
        "quote": len(record.quotes),
        "framing": sum(f.placed for f in framing),
    }
    return ArticleView(
        text=render(record.text, list(_marks(record, events))),
        link=web_link(record.url),
        counts=counts,
        actors=[ActorItem(f"actor-{i}", a, len(a.mentions)) for i, a in enumerate(record.actors)],
        places=[PlaceItem(f"place-{i}", p, len(p.mentions)) for i, p in enumerate(record.places)],
        events=events,
        speakers=_speakers(record, names),
        framing=framing,
        sentences=[SentenceItem(f"sentence-{i}", i, s, shade(s.bias)) for i, s in enumerate(record.sentences)],
    )


def web_link(url: str | None) -> str | None:
    """The URL when it is a web address (http or https with a host) that a link may point to, else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else None


def shade(bias: float | None) -> str:
    """The heat strip's class for a sentence's bias: ``b0`` (below 0.1) to ``b9`` (0.9 and above); ``bn`` for none."""
    return "bn" if bias is None else f"b{min(9, max(0, int(bias * 10)))}"


def _event(index: int, event: Event, record: ArticleRecord, names: dict[str, str], places: dict[str, str]) -> EventItem:
    """The panel entry of one event."""
    start, end = event.sentence
    inside = [str(i) for i, s in enumerate(record.sentences) if s.start < end and start < s.end]
    return EventItem(
        item=f"event-{index}",
        event=event,
        source=_name(event.source, names),
        target=_name(event.target, names),
        place=_name(event.place, places),
        attributed_to=_name(event.attributed_to, names),
        trigger=_slice(record.text, event.trigger),
        sentence=_slice(record.text, event.sentence),
        sentences=" ".join(inside),
    )


def _speakers(record: ArticleRecord, names: dict[str, str]) -> list[SpeakerQuotes]:
    """The quotes grouped by speaker, in the order speakers are first quoted; unattributed quotes last."""
    groups: dict[str | None, list[QuoteItem]] = {}
    for i, q in enumerate(record.quotes):
        groups.setdefault(q.speaker, []).append(QuoteItem(f"quote-{i}", q, _name(q.speaker, names), _name(q.attributed_via, names)))
    listed = [SpeakerQuotes(s, _name(s, names) or "", quotes) for s, quotes in groups.items() if s is not None]
    return listed + ([SpeakerQuotes(None, "unattributed", groups[None])] if None in groups else [])


def _marks(record: ArticleRecord, events: list[EventItem]) -> Iterator[Mark]:
    """Every highlight of the text: sentences (outermost), quotes, framing, event triggers, places and actors."""
    with_events: dict[int, list[str]] = {}
    for entry in events:
        for index in entry.sentences.split():
            with_events.setdefault(int(index), []).append(entry.item)
    for i, s in enumerate(record.sentences):
        classes = "sent has-event" if i in with_events else "sent"
        yield Mark(s.start, s.end, RANK["sentence"], (("class", classes), ("data-sentence", str(i))), anchor=f"sentence-{i}")
    for i, q in enumerate(record.quotes):
        yield _mark("quote", f"quote-{i}", (q.start, q.end), f"hl hl-quote q-{q.kind}")
    for i, f in enumerate(record.framing):
        span = _span(f.start, f.end)
        if span is not None:
            yield _mark("framing", f"framing-{i}", span, f"hl hl-framing v-{f.voice}")
    for entry in events:
        yield _mark("event", entry.item, entry.event.trigger, "hl hl-event")
    for i, p in enumerate(record.places):
        for span in _spans(p.mentions, record, "place_id", p.id):
            yield _mark("place", f"place-{i}", span, "hl hl-place")
    for i, a in enumerate(record.actors):
        for span in _spans(a.mentions, record, "actor_id", a.id):
            yield _mark("actor", f"actor-{i}", span, "hl hl-actor")


def _mark(layer: str, item: str, span: Span, classes: str) -> Mark:
    """The highlight of one item's span."""
    return Mark(span[0], span[1], RANK[layer], (("class", classes), ("data-item", item)))


def _spans(mentions: list[Span], record: ArticleRecord, link: str, key: str) -> list[Span]:
    """An actor's or place's mentions, and the spans of the entities linked to it that are not among them."""
    linked = [(e.start, e.end) for e in record.entities if getattr(e, link) == key]
    return list(dict.fromkeys([*mentions, *linked]))


def _span(start: int | None, end: int | None) -> Span | None:
    """A span when both ends are given."""
    return (start, end) if start is not None and end is not None else None


def _slice(text: str, span: Span) -> str:
    """The text of a span (empty when the span lies outside the text)."""
    return text[max(0, span[0]) : max(0, span[1])]


def _name(key: str | None, names: dict[str, str]) -> str | None:
    """The name of an actor or place id (the id itself when the record has no such actor or place)."""
    return names.get(key, key) if key else None
