"""/: the corpus at a glance (counts, outlets, dates, top actors and event types, events over time, recent articles)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from presslens.web.actor_list import ActorRow, actor_rows
from presslens.web.charts import svg_response, timeline_svg
from presslens.web.db import Queries
from presslens.web.listing import PLOVER_TYPES, TypeCount, Window
from presslens.web.pages import StoreReader, page
from presslens.web.timeline import Timeline, events_over_time

router = APIRouter()

TOP = 10  # rows of each top list
COUNTS = """
SELECT
    (SELECT count(*) FROM articles) AS articles,
    (SELECT count(DISTINCT id) FROM actors) AS actors,
    (SELECT count(DISTINCT id) FROM places) AS places,
    (SELECT count(*) FROM events) AS events,
    (SELECT count(*) FROM quotes) AS quotes,
    (SELECT count(*) FROM framing) AS framing,
    (SELECT count(*) FROM quarantine) AS quarantined,
    (SELECT count(DISTINCT outlet) FROM articles) AS outlets,
    (SELECT min(published) FROM articles) AS first,
    (SELECT max(published) FROM articles) AS last,
    (SELECT count(*) FROM articles WHERE published IS NULL) AS undated
"""
OUTLETS = "SELECT outlet, count(*) AS articles FROM articles GROUP BY outlet ORDER BY articles DESC, outlet NULLS LAST LIMIT ?"
EVENT_TYPES = "SELECT type, count(*) AS events FROM events GROUP BY type ORDER BY events DESC, type LIMIT ?"
RECENT = "SELECT id, title, outlet, published FROM articles ORDER BY published DESC NULLS LAST, id LIMIT ?"
MAX_OUTLETS = 50


class Counts(BaseModel):
    """How much the store holds: articles, distinct actors and places, and rows of the other tables."""

    articles: int
    actors: int = Field(description="distinct actor ids")
    places: int = Field(description="distinct place ids")
    events: int
    quotes: int
    framing: int = Field(description="framing items")
    quarantined: int = Field(description="inputs in quarantine (not analyzed)")
    outlets: int = Field(description="distinct outlets named by articles")


class DateRange(BaseModel):
    """The first and last publication time, and how many articles have none."""

    first: datetime | None
    last: datetime | None
    undated: int


class OutletCount(BaseModel):
    """An outlet (None: articles that name none) and its articles."""

    outlet: str | None
    articles: int


class RecentArticle(BaseModel):
    """An article of the recent list."""

    id: str
    title: str | None
    outlet: str | None
    published: datetime | None


class Overview(BaseModel):
    """The corpus at a glance; ``counts.articles == 0`` is an empty store."""

    counts: Counts
    dates: DateRange
    outlets: list[OutletCount] = Field(description=f"the {MAX_OUTLETS} largest outlets")
    top_actors: list[ActorRow] = Field(description=f"the {TOP} actors in most articles (then most mentions)")
    event_types: list[TypeCount]
    timeline: Timeline = Field(description="events by the publication date of their article, per PLOVER type")
    recent: list[RecentArticle] = Field(description=f"the {TOP} latest articles")


@page(router, "/", "overview.html")
def overview(store: StoreReader) -> Overview:
    """Counts, outlets, date range, top actors and event types, events over time and the latest articles."""
    with store.session() as s:
        counts = s.one(COUNTS) or {}
        return Overview(
            counts=Counts.model_validate(counts),
            dates=DateRange.model_validate(counts),
            outlets=[OutletCount.model_validate(row) for row in s.rows(OUTLETS, [MAX_OUTLETS])],
            top_actors=actor_rows(s, None, None, Window(TOP, 0)),
            event_types=[TypeCount.model_validate(row) for row in s.rows(EVENT_TYPES, [len(PLOVER_TYPES)])],
            timeline=_timeline(s),
            recent=[RecentArticle.model_validate(row) for row in s.rows(RECENT, [TOP])],
        )


@router.get("/charts/events-over-time.svg", response_class=Response, name="overview_timeline_svg", include_in_schema=False)
def timeline_chart(store: StoreReader) -> Response:
    """The overview's events-over-time chart (SVG, for an ``<img>``)."""
    with store.session() as s:
        timeline = _timeline(s)
    return svg_response(timeline_svg(timeline, "Events by publication date of their article, per type"))


def _timeline(store: Queries) -> Timeline:
    """Every event, per period and PLOVER type."""
    return events_over_time(store, series="e.type", where="true")
