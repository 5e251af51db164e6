"""/actors and /actors/{id}: who the store knows, and for one actor its articles, events, counterparts and labels."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from presslens.errors import UsageError
from presslens.web.actor_list import ActorRow, actor_rows, actor_total
from presslens.web.charts import svg_response, timeline_svg
from presslens.web.db import Queries
from presslens.web.listing import (
    MAX_LIMIT,
    ArticleMentions,
    Paging,
    Search,
    TypeCount,
    needle,
)
from presslens.web.network import Link, network_svg
from presslens.web.pages import StoreReader, page
from presslens.web.timeline import Timeline, events_over_time

router = APIRouter()

ActorId = Annotated[str, Path(min_length=1, max_length=200, description="actor id, e.g. united-nations")]
TOP_COUNTERPARTS = 20
MAX_LABELS = 200
PROFILE = """
SELECT mode(name) AS name, mode(kind) AS kind,
       coalesce(list(DISTINCT kind ORDER BY kind), []) AS kinds,
       coalesce(list(DISTINCT country ORDER BY country) FILTER (WHERE country IS NOT NULL), []) AS countries,
       coalesce(list(DISTINCT cameo ORDER BY cameo) FILTER (WHERE cameo IS NOT NULL), []) AS cameo,
       coalesce(list(DISTINCT role ORDER BY role) FILTER (WHERE role IS NOT NULL), []) AS roles,
       coalesce(list(DISTINCT affiliation ORDER BY affiliation) FILTER (WHERE affiliation IS NOT NULL), []) AS affiliations,
       count(*) AS articles, coalesce(sum(len(mentions)), 0) AS mentions,
       (SELECT coalesce(list(alias ORDER BY n DESC, alias), []) FROM (
           SELECT alias, count(*) AS n FROM (SELECT unnest(aliases) AS alias FROM actors WHERE id = $1) GROUP BY alias)) AS aliases,
       (SELECT count(*) FROM events WHERE source = $1) AS as_source,
       (SELECT count(*) FROM events WHERE target = $1) AS as_target,
       (SELECT count(*) FROM quotes WHERE speaker = $1) AS quotes
FROM actors WHERE id = $1
"""
ARTICLES = """
SELECT a.id, a.title, a.outlet, a.published, len(x.mentions) AS mentions
FROM actors x JOIN articles a ON a.id = x.article_id
WHERE x.id = ?
ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?
"""
# Events between the actor and another: "out" the actor did to the counterpart, "in" the counterpart did to the actor.
DYADS = """
WITH d AS (
    SELECT CASE WHEN source = $1 THEN target ELSE source END AS counterpart,
           CASE WHEN source = $1 THEN 'out' ELSE 'in' END AS direction, type
    FROM events
    WHERE (source = $1 AND target IS NOT NULL AND target <> $1) OR (target = $1 AND source IS NOT NULL AND source <> $1)
), typed AS (
    SELECT counterpart, direction, type, count(*) AS n FROM d GROUP BY ALL
), top AS (
    SELECT counterpart, direction, sum(n) AS events, list({'type': type, 'events': n} ORDER BY n DESC, type) AS types
    FROM typed GROUP BY ALL ORDER BY events DESC, counterpart, direction LIMIT $2
), names AS (
    SELECT id, mode(name) AS name FROM actors WHERE id IN (SELECT counterpart FROM top) GROUP BY id
)
SELECT top.counterpart, coalesce(names.name, top.counterpart) AS name, top.direction, top.events, top.types
FROM top LEFT JOIN names ON names.id = top.counterpart
ORDER BY top.events DESC, top.counterpart, top.direction
"""
# The words that framing items aim at the actor, per outlet (None: articles that name no outlet).
LABELS = """
SELECT a.outlet, f.kind, lower(f.text) AS text, f.voice, count(*) AS uses, count(DISTINCT f.article_id) AS articles
FROM framing f JOIN articles a ON a.id = f.article_id
WHERE f.target = ? AND f.text IS NOT NULL
GROUP BY ALL ORDER BY a.outlet NULLS LAST, uses DESC, text, f.kind, f.voice LIMIT ?
"""


class ActorList(BaseModel):
    """One page of the actors, most articles first."""

    q: str | None
    kind: str | None
    total: int
    limit: int
    offset: int
    actors: list[ActorRow]


class Dyad(BaseModel):
    """Events between the actor and one counterpart in one direction."""

    counterpart: str = Field(description="actor id")
    name: str
    direction: Literal["out", "in"] = Field(description="out: the actor is the source; in: the counterpart is")
    events: int
    types: list[TypeCount]


class Label(BaseModel):
    """A word a framing item aims at the actor, how often, and whose voice (the outlet's, or a quoted speaker's)."""

    kind: str
    text: str
    voice: str
    uses: int
    articles: int


class OutletLabels(BaseModel):
    """The labels one outlet's articles use for the actor (outlet None: articles that name no outlet)."""

    outlet: str | None
    labels: list[Label]


class ActorPage(BaseModel):
    """One actor: identity, mentions and articles, events as source and as target, counterparts, labels by outlet."""

    id: str
    name: str
    kind: str = Field(description="the most frequent kind; kinds lists all the articles gave")
    kinds: list[str]
    countries: list[str]
    cameo: list[str] = Field(description="CAMEO actor codes")
    roles: list[str]
    affiliations: list[str] = Field(description="actor ids")
    aliases: list[str] = Field(description="most used first")
    mentions: int
    quotes: int = Field(description="quotes with this actor as speaker")
    articles: int
    article_list: list[ArticleMentions]
    limit: int
    offset: int
    as_source: int = Field(description="events with the actor as source")
    as_target: int = Field(description="events with the actor as target")
    timeline: Timeline = Field(description="events as source and as target by their article's publication date")
    dyads: list[Dyad] = Field(description=f"the {TOP_COUNTERPARTS} largest dyads")
    labels: list[OutletLabels]


@page(router, "/actors", "actors.html")
def actors(
    store: StoreReader,
    paging: Paging,
    q: Search = None,
    kind: Annotated[str | None, Query(max_length=40, description="actor kind, e.g. person, state, igo")] = None,
) -> ActorList:
    """The actors of the store, most articles first (then most mentions), filtered by name or id and by kind."""
    match, kind = needle(q), kind or None
    with store.session() as s:
        total, rows = actor_total(s, match, kind), actor_rows(s, match, kind, paging)
    return ActorList(q=q, kind=kind, total=total, limit=paging.limit, offset=paging.offset, actors=rows)


@page(router, "/actors/{actor_id}", "actor.html")
def actor(store: StoreReader, actor_id: ActorId, paging: Paging) -> ActorPage:
    """One actor: who it is, where it is mentioned, what it did and had done to it, with whom, and what outlets call it.

    Raises:
        UsageError: PL221 when no article has an actor with this id.
    """
    with store.session() as s:
        profile = _profile(s, actor_id)
        return ActorPage.model_validate(
            {
                **profile,
                "id": actor_id,
                "article_list": s.rows(ARTICLES, [actor_id, *paging]),
                "limit": paging.limit,
                "offset": paging.offset,
                "timeline": _timeline(s, actor_id),
                "dyads": _dyads(s, actor_id, TOP_COUNTERPARTS),
                "labels": _labels(s, actor_id),
            }
        )


@router.get("/charts/actors/{actor_id}/events-over-time.svg", response_class=Response, name="actor_timeline_svg", include_in_schema=False)
def timeline_chart(store: StoreReader, actor_id: ActorId) -> Response:
    """The actor's events as source and as target over time (SVG, for an ``<img>``)."""
    with store.session() as s:
        name, timeline = _profile(s, actor_id)["name"], _timeline(s, actor_id)
    return svg_response(timeline_svg(timeline, f"Events of {name}, by publication date of their article"))


@router.get("/charts/actors/{actor_id}/network.svg", response_class=Response, name="actor_network_svg", include_in_schema=False)
def network_chart(store: StoreReader, actor_id: ActorId) -> Response:
    """The actor among its counterparts (SVG, for an ``<img>``)."""
    with store.session() as s:
        name, dyads = _profile(s, actor_id)["name"], _dyads(s, actor_id, MAX_LIMIT)
    links: dict[str, Link] = {}
    for dyad in dyads:
        link = links.get(dyad.counterpart, Link(dyad.name, 0, 0))
        links[dyad.counterpart] = link._replace(outgoing=dyad.events) if dyad.direction == "out" else link._replace(incoming=dyad.events)
    return svg_response(network_svg(name, list(links.values())))


def _profile(store: Queries, actor_id: str) -> dict[str, Any]:
    """The actor's identity and counts, merged over its articles.

    Raises:
        UsageError: PL221 when no article has an actor with this id.
    """
    row = store.one(PROFILE, [actor_id])
    if row is None or row["articles"] == 0:
        raise UsageError("PL221", id=actor_id)
    return row


def _timeline(store: Queries, actor_id: str) -> Timeline:
    """The actor's events per period, as source and as target (an event with the actor on both sides counts as source)."""
    return events_over_time(store, "CASE WHEN e.source = $1 THEN 'as source' ELSE 'as target' END", "e.source = $1 OR e.target = $1", [actor_id])


def _dyads(store: Queries, actor_id: str, top: int) -> list[Dyad]:
    """The ``top`` largest dyads of the actor, most events first."""
    return [Dyad.model_validate(row) for row in store.rows(DYADS, [actor_id, top])]


def _labels(store: Queries, actor_id: str) -> list[OutletLabels]:
    """The labels aimed at the actor, grouped by outlet (outlets in name order, no outlet last)."""
    grouped: dict[str | None, list[Label]] = {}
    for row in store.rows(LABELS, [actor_id, MAX_LABELS]):
        grouped.setdefault(row.pop("outlet"), []).append(Label.model_validate(row))
    return [OutletLabels(outlet=outlet, labels=labels) for outlet, labels in grouped.items()]
