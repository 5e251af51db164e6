"""/places and /places/{id}: where the articles and their events are, on maps drawn offline from packaged shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from presslens.errors import UsageError
from presslens.web.charts import svg_response
from presslens.web.db import Queries
from presslens.web.geo import Marker, atlas, map_svg, region_view, world_view
from presslens.web.listing import (
    MAX_LIMIT,
    ArticleMentions,
    Paging,
    Search,
    TypeCount,
    needle,
)
from presslens.web.pages import StoreReader, page

router = APIRouter()

PlaceId = Annotated[str, Path(min_length=1, max_length=200, description="place id, e.g. jerusalem")]
MAX_EVENTS = 100
# One row per place id; its name, country and coordinates are the most frequent the articles gave.
PLACES = """
WITH p AS (
    SELECT id, mode(name) AS name, mode(country) AS country, mode(lat) AS lat, mode(lon) AS lon,
           count(*) AS articles, sum(len(mentions)) AS mentions
    FROM places
    WHERE ($1::VARCHAR IS NULL OR contains(lower(name), $1) OR contains(id, $1)) AND ($2::VARCHAR IS NULL OR country = $2)
    GROUP BY id
), ev AS (
    SELECT place AS id, count(*) AS events FROM events WHERE place IS NOT NULL GROUP BY place
)
SELECT p.*, coalesce(ev.events, 0) AS events FROM p LEFT JOIN ev USING (id)
"""
PROFILE = """
SELECT mode(name) AS name, mode(country) AS country, mode(lat) AS lat, mode(lon) AS lon, mode(geonameid) AS geonameid,
       count(*) AS articles, coalesce(sum(len(mentions)), 0) AS mentions,
       (SELECT coalesce(list(alt ORDER BY n DESC, alt), []) FROM (
           SELECT alt, count(*) AS n FROM (SELECT unnest(alt_names) AS alt FROM places WHERE id = $1) GROUP BY alt)) AS alt_names,
       (SELECT count(*) FROM events WHERE place = $1) AS events
FROM places WHERE id = $1
"""
ARTICLES = """
SELECT a.id, a.title, a.outlet, a.published, len(p.mentions) AS mentions
FROM places p JOIN articles a ON a.id = p.article_id
WHERE p.id = ?
ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?
"""
EVENTS = """
SELECT e.article_id, e.id, e.type, e.cameo, e.source, s.name AS source_name, e.target, t.name AS target_name,
       e.negated, e.hypothetical, e.background, e.date,
       substring(a.text, e.sentence[1] + 1, e.sentence[2] - e.sentence[1]) AS sentence,
       a.title, a.outlet, a.published
FROM events e JOIN articles a ON a.id = e.article_id
LEFT JOIN actors s ON s.article_id = e.article_id AND s.id = e.source
LEFT JOIN actors t ON t.article_id = e.article_id AND t.id = e.target
WHERE e.place = ?
ORDER BY a.published DESC NULLS LAST, e.article_id, e.idx LIMIT ?
"""
EVENT_TYPES = "SELECT type, count(*) AS events FROM events WHERE place = ? GROUP BY type ORDER BY events DESC, type"
COUNTRIES = "SELECT DISTINCT country FROM places WHERE country IS NOT NULL ORDER BY country"
# The places within a box, for the dots of a map (most articles first).
NEAR = """
SELECT id, mode(name) AS name, mode(lat) AS lat, mode(lon) AS lon, count(*) AS articles
FROM places WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?
GROUP BY id ORDER BY articles DESC, id LIMIT ?
"""


class PlaceRow(BaseModel):
    """A place of the list, with its articles, mentions and the events there."""

    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    articles: int
    mentions: int
    events: int


class PlaceList(BaseModel):
    """One page of the places, most articles first, and the countries the map shades."""

    q: str | None
    country: str | None
    total: int
    limit: int
    offset: int
    places: list[PlaceRow]
    countries: list[str] = Field(description="ISO alpha-3 codes of every place's country (shaded on the map)")


class PlaceEvent(BaseModel):
    """An event at the place, with its actors and evidence sentence."""

    article_id: str
    id: str
    type: str
    cameo: str
    source: str | None
    source_name: str | None
    target: str | None
    target_name: str | None
    negated: bool
    hypothetical: bool
    background: bool
    date: str | None
    sentence: str | None
    title: str | None
    outlet: str | None
    published: datetime | None


class PlacePage(BaseModel):
    """One place: where it is, the articles naming it and the events there."""

    id: str
    name: str
    country: str | None = Field(description="ISO alpha-3")
    country_name: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    alt_names: list[str] = Field(description="the names the articles use, most used first")
    mentions: int
    articles: int
    article_list: list[ArticleMentions]
    limit: int
    offset: int
    events: int
    event_types: list[TypeCount]
    event_list: list[PlaceEvent] = Field(description=f"the {MAX_EVENTS} latest events there")


@page(router, "/places", "places.html")
def places(
    store: StoreReader,
    paging: Paging,
    q: Search = None,
    country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$|^$", description="ISO 3166 alpha-3 country")] = None,
) -> PlaceList:
    """The places of the store, most articles first (then most events), filtered by name or id and by country."""
    match, code = needle(q), country.upper() if country else None
    with store.session() as s:
        total = s.count(f"SELECT count(*) FROM ({PLACES})", [match, code])
        rows = s.rows(f"{PLACES} ORDER BY articles DESC, events DESC, id LIMIT $3 OFFSET $4", [match, code, *paging])
        countries = _countries(s)
    return PlaceList(
        q=q,
        country=code,
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        places=[PlaceRow.model_validate(row) for row in rows],
        countries=countries,
    )


@page(router, "/places/{place_id}", "place.html")
def place(store: StoreReader, place_id: PlaceId, paging: Paging) -> PlacePage:
    """One place: its coordinates and names, the articles naming it, and the events there.

    Raises:
        UsageError: PL222 when no article has a place with this id.
    """
    with store.session() as s:
        profile = _profile(s, place_id)
        return PlacePage.model_validate(
            {
                **profile,
                "id": place_id,
                "country_name": atlas().names().get(profile["country"] or ""),
                "article_list": s.rows(ARTICLES, [place_id, *paging]),
                "limit": paging.limit,
                "offset": paging.offset,
                "event_types": s.rows(EVENT_TYPES, [place_id]),
                "event_list": s.rows(EVENTS, [place_id, MAX_EVENTS]),
            }
        )


@router.get("/charts/places.svg", response_class=Response, name="places_map_svg", include_in_schema=False)
def places_map(store: StoreReader) -> Response:
    """Every place with coordinates (the MAX_LIMIT in most articles) on a world map, their countries shaded (SVG)."""
    with store.session() as s:
        rows, countries = s.rows(NEAR, [-90, 90, -180, 180, MAX_LIMIT]), _countries(s)
    markers = [Marker(row["lon"], row["lat"], row["name"]) for row in rows]
    return svg_response(map_svg(world_view(markers), "Places of the store", shaded=countries, markers=markers))


@router.get("/charts/places/{place_id}/map.svg", response_class=Response, name="place_map_svg", include_in_schema=False)
def place_map(
    store: StoreReader,
    place_id: PlaceId,
    view: Annotated[Literal["world", "region"], Query(description="the whole world, or the region around the place")] = "world",
) -> Response:
    """The place marked on a world or regional map, the countries of the store's places shaded and its own darker (SVG)."""
    with store.session() as s:
        profile, countries = _profile(s, place_id), _countries(s)
        lat, lon = profile["lat"], profile["lon"]
        here = [Marker(lon, lat, profile["name"], main=True)] if lat is not None and lon is not None else []
        if view == "region" and here:
            box = region_view(lon, lat)
            rows = s.rows(NEAR, [box.south, box.north, box.west, box.east, MAX_LIMIT])
            near = [Marker(row["lon"], row["lat"], row["name"]) for row in rows if row["id"] != place_id]
        else:
            box, near = world_view(here), []
    title = f"{profile['name']} on the map"
    return svg_response(map_svg(box, title, shaded=countries, highlight=profile["country"], markers=near + here))


def _profile(store: Queries, place_id: str) -> dict[str, Any]:
    """The place's identity and counts, merged over its articles.

    Raises:
        UsageError: PL222 when no article has a place with this id.
    """
    row = store.one(PROFILE, [place_id])
    if row is None or row["articles"] == 0:
        raise UsageError("PL222", id=place_id)
    return row


def _countries(store: Queries) -> list[str]:
    """The countries of the store's places."""
    return [row["country"] for row in store.rows(COUNTRIES)]
