"""/events: the events of the store with their article and evidence, filtered, paged, and downloadable as CSV or Parquet."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from presslens.nlp.outputs import PloverType
from presslens.web.downloads import MEDIA_TYPES, Format, download
from presslens.web.listing import Choices, FormFilters, Paging, choices
from presslens.web.pages import StoreReader, page

router = APIRouter()

# The day an event is placed on: its own date, else its article's publication day.
DAY = "coalesce(try_cast(e.date AS DATE), CAST(a.published AS DATE))"
FROM = (
    "FROM events e JOIN articles a ON a.id = e.article_id "
    "LEFT JOIN actors s ON s.article_id = e.article_id AND s.id = e.source "
    "LEFT JOIN actors t ON t.article_id = e.article_id AND t.id = e.target"
)
COLUMNS = (
    "e.article_id, e.id, e.type, e.cameo, e.source, s.name AS source_name, s.country AS source_country, e.source_cameo, "
    "e.target, t.name AS target_name, t.country AS target_country, e.target_cameo, e.mode, e.negated, e.hypothetical, "
    "e.background, e.attributed_to, e.place, e.date, e.fatalities, e.confidence, e.trigger, e.sentence, "
    "substring(a.text, e.trigger[1] + 1, e.trigger[2] - e.trigger[1]) AS trigger_text, "
    "substring(a.text, e.sentence[1] + 1, e.sentence[2] - e.sentence[1]) AS sentence_text, "
    "a.title, a.outlet, a.published, a.url"
)
ORDER = f"ORDER BY {DAY} DESC NULLS LAST, a.published DESC NULLS LAST, e.article_id, e.idx"


class EventFilters(FormFilters):
    """Which events to list; every filter given must hold (blank form fields are no filter)."""

    type: PloverType | None = Field(None, description="PLOVER event type")
    cameo: str | None = Field(None, pattern=r"^\d{1,4}$", description="CAMEO code prefix, e.g. 19 or 042")
    source: str | None = Field(None, description="source actor id")
    target: str | None = Field(None, description="target actor id")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 country of the source or target actor")
    from_: date | None = Field(None, alias="from", description="first day (the event's date, else the article's)")
    to: date | None = Field(None, description="last day (the event's date, else the article's)")
    outlet: str | None = Field(None, description="the article's outlet, exactly")
    hide_hypothetical: bool = Field(False, description="leave out hypothetical events")
    hide_background: bool = Field(False, description="leave out background events (past context, not news)")

    def clauses(self) -> list[tuple[str, Any]]:
        """The filters as conditions on events ``e``, their articles ``a`` and actors ``s`` and ``t``."""
        return [
            ("e.type = ?", self.type),
            ("starts_with(e.cameo, ?)", self.cameo),
            ("e.source = ?", self.source),
            ("e.target = ?", self.target),
            ("? IN (s.country, t.country)", self.country.upper() if self.country else None),
            (f"{DAY} >= ?", self.from_),
            (f"{DAY} <= ?", self.to),
            ("a.outlet = ?", self.outlet),
            ("NOT e.hypothetical", self.hide_hypothetical),
            ("NOT e.background", self.hide_background),
        ]


class EventRow(BaseModel):
    """One event with its actors' names and countries, its evidence text and its article."""

    article_id: str
    id: str
    type: str
    cameo: str
    source: str | None
    source_name: str | None
    source_country: str | None
    source_cameo: str | None
    target: str | None
    target_name: str | None
    target_country: str | None
    target_cameo: str | None
    mode: str | None
    negated: bool
    hypothetical: bool
    background: bool
    attributed_to: str | None
    place: str | None
    date: str | None
    fatalities: int | None
    confidence: float
    trigger: list[int]
    sentence: list[int]
    trigger_text: str | None
    sentence_text: str | None
    title: str | None
    outlet: str | None
    published: datetime | None
    url: str | None


class EventsPage(BaseModel):
    """One page of the filtered events, their total, and the filters as a query string."""

    filters: EventFilters
    query: str = Field(description="the filters as a URL query string, for the downloads /api/events.csv?... and .parquet?...")
    total: int
    limit: int
    offset: int
    events: list[EventRow]
    choices: Choices


Filters = Annotated[EventFilters, Query()]


@page(router, "/events", "events.html")
def events(
    filters: Filters,
    store: StoreReader,
    paging: Paging,
) -> EventsPage:
    """Events with their article, newest first, filtered by type, CAMEO prefix, actors, country, days and outlet."""
    where, params = filters.where()
    with store.session() as session:
        total = session.count(f"SELECT count(*) {FROM} {where}", params)
        rows = session.rows(f"SELECT {COLUMNS} {FROM} {where} {ORDER} LIMIT ? OFFSET ?", [*params, paging.limit, paging.offset])
        options = choices(session)
    return EventsPage(
        filters=filters,
        query=filters.query(),
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        events=[EventRow.model_validate(row) for row in rows],
        choices=options,
    )


def _serve_download(fmt: Format) -> None:
    """Serve every filtered event (no row limit) as one file at /events.FMT and /api/events.FMT (documented in the API)."""

    def download_events(filters: Filters, store: StoreReader) -> StreamingResponse:
        where, params = filters.where()
        return download(store, f"SELECT {COLUMNS} {FROM} {where} {ORDER}", params, fmt, f"presslens-events.{fmt}")

    media = MEDIA_TYPES[fmt].split(";")[0]
    router.add_api_route(
        f"/api/events.{fmt}",
        download_events,
        methods=["GET"],
        response_class=StreamingResponse,
        name=f"api_events_{fmt}",
        summary=f"Events as {fmt.upper()}",
        description=f"Every event that the filters of /api/events select, as one {fmt.upper()} file with the columns of its rows.",
        responses={200: {"content": {media: {}}, "description": f"a {fmt.upper()} attachment"}},
    )
    router.add_api_route(f"/events.{fmt}", download_events, methods=["GET"], response_class=StreamingResponse, name=f"events_{fmt}", include_in_schema=False)


_serve_download("csv")
_serve_download("parquet")
