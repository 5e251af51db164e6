"""/events and /api/events over a store ingested from the samples: filters, paging, and the CSV and Parquet downloads."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from presslens.pipeline import Pipeline
from presslens.record.models import Actor, ArticleRecord, Event
from presslens.run import ingest
from presslens.settings import Settings
from presslens.web.app import create_app
from presslens.web.routes.events import EventRow
from tests.conftest import SAMPLES, SEED

Key = tuple[str, str]  # (article id, event id)
Check = Callable[[ArticleRecord, Event], bool]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Path, list[ArticleRecord]]:
    """The samples and the seed article ingested into a fresh store, with their records."""
    db = tmp_path_factory.mktemp("events") / "events.duckdb"
    records: list[ArticleRecord] = []
    ingest([str(SAMPLES / "corpus"), str(SEED)], db, pipeline=pipeline, on_outcome=lambda o: records.append(o) if isinstance(o, ArticleRecord) else None)
    assert len(records) == 11
    return db, records


@pytest.fixture(scope="module")
def client(stored: tuple[Path, list[ArticleRecord]], settings: Settings) -> TestClient:
    return TestClient(base_url="http://127.0.0.1", app=create_app(stored[0], settings))


@pytest.fixture(scope="module")
def records(stored: tuple[Path, list[ArticleRecord]]) -> list[ArticleRecord]:
    return stored[1]


def _actor(record: ArticleRecord, actor_id: str | None) -> Actor | None:
    return next((a for a in record.actors if a.id == actor_id), None)


def _day(record: ArticleRecord, event: Event) -> date | None:
    """The event's date, else its article's publication day in UTC (as the store holds it)."""
    if event.date:
        return date.fromisoformat(event.date)
    if record.published is None:
        return None
    published = datetime.fromisoformat(str(record.published))
    return (published.astimezone(timezone.utc) if published.tzinfo else published).date()


def _expected(records: list[ArticleRecord], check: Check) -> set[Key]:
    return {(r.id, e.id) for r in records for e in r.events if check(r, e)}


def _keys(client: TestClient, query: dict[str, Any]) -> tuple[int, set[Key]]:
    page = client.get("/api/events", params={**query, "limit": 1000}).json()
    keys = {(row["article_id"], row["id"]) for row in page["events"]}
    assert len(keys) == len(page["events"]) == page["total"]
    return page["total"], keys


def _values(records: list[ArticleRecord]) -> dict[str, Any]:
    """Filter values that select some but not all events: the commonest of each in the samples."""

    def commonest(values: list[Any]) -> Any:
        return max(sorted(set(values), key=str), key=values.count)

    events = [(r, e) for r in records for e in r.events]
    countries = [a.country for r, e in events for a in (_actor(r, e.source), _actor(r, e.target)) if a and a.country]
    days = sorted(d for r, e in events if (d := _day(r, e)))
    return {
        "type": commonest([e.type for _, e in events]),
        "source": commonest([e.source for _, e in events if e.source]),
        "target": commonest([e.target for _, e in events if e.target]),
        "country": commonest(countries),
        "outlet": commonest([r.outlet for r, e in events if r.outlet]),
        "middle_day": days[len(days) // 2],
    }


def test_web_events_lists_every_stored_event(client: TestClient, records: list[ArticleRecord]) -> None:
    total, keys = _keys(client, {})
    assert keys == _expected(records, lambda r, e: True)
    assert total == sum(len(r.events) for r in records) > 50


def test_web_events_rows_carry_the_event_its_actors_and_article(client: TestClient, records: list[ArticleRecord]) -> None:
    rows = client.get("/api/events", params={"limit": 1000}).json()["events"]
    by_id = {r.id: r for r in records}
    for row in rows:
        record = by_id[row["article_id"]]
        event = next(e for e in record.events if e.id == row["id"])
        assert {k: row[k] for k in event.model_dump()} == event.model_dump(mode="json")
        assert row["trigger_text"] == record.text[event.trigger[0] : event.trigger[1]]
        assert row["sentence_text"] == record.text[event.sentence[0] : event.sentence[1]]
        assert (row["title"], row["outlet"], row["url"]) == (record.title, record.outlet, record.url)
        source = _actor(record, event.source)
        assert (row["source_name"], row["source_country"]) == ((source.name, source.country) if source else (None, None))


@pytest.mark.parametrize(
    "name",
    ["type", "cameo", "source", "target", "country", "from", "to", "outlet", "hide_hypothetical", "hide_background", "combined"],
)
def test_web_events_filters_narrow_to_exactly_the_matching_events(client: TestClient, records: list[ArticleRecord], name: str) -> None:
    v = _values(records)
    cases: dict[str, tuple[dict[str, Any], Check]] = {
        "type": ({"type": v["type"]}, lambda r, e: e.type == v["type"]),
        "cameo": ({"cameo": "1"}, lambda r, e: e.cameo.startswith("1")),
        "source": ({"source": v["source"]}, lambda r, e: e.source == v["source"]),
        "target": ({"target": v["target"]}, lambda r, e: e.target == v["target"]),
        "country": (
            {"country": v["country"].lower()},
            lambda r, e: v["country"] in {a.country for a in (_actor(r, e.source), _actor(r, e.target)) if a},
        ),
        "from": ({"from": v["middle_day"].isoformat()}, lambda r, e: (d := _day(r, e)) is not None and d >= v["middle_day"]),
        "to": ({"to": v["middle_day"].isoformat()}, lambda r, e: (d := _day(r, e)) is not None and d <= v["middle_day"]),
        "outlet": ({"outlet": v["outlet"]}, lambda r, e: r.outlet == v["outlet"]),
        "hide_hypothetical": ({"hide_hypothetical": "true"}, lambda r, e: not e.hypothetical),
        "hide_background": ({"hide_background": "true"}, lambda r, e: not e.background),
        "combined": (
            {"type": "ASSAULT", "hide_background": "true", "from": "2026-01-01", "to": "2026-12-31"},
            lambda r, e: e.type == "ASSAULT" and not e.background and (d := _day(r, e)) is not None and date(2026, 1, 1) <= d <= date(2026, 12, 31),
        ),
    }
    query, check = cases[name]
    expected = _expected(records, check)
    total, keys = _keys(client, query)
    assert keys == expected
    assert 0 < total < sum(len(r.events) for r in records)


def test_web_events_blank_form_fields_filter_nothing(client: TestClient) -> None:
    blank = {name: "" for name in ("type", "cameo", "source", "target", "country", "from", "to", "outlet")}
    assert _keys(client, blank) == _keys(client, {})


def test_web_events_filter_values_are_parameters(client: TestClient) -> None:
    for hostile in ("x' OR '1'='1", "'; DROP TABLE events; --"):
        assert client.get("/api/events", params={"source": hostile, "outlet": hostile}).json()["total"] == 0
    assert client.get("/api/events").json()["total"] > 0


def test_web_events_pages_cover_the_list_once_newest_first(client: TestClient, settings: Settings) -> None:
    full = client.get("/api/events", params={"limit": 1000}).json()["events"]
    pages = [client.get("/api/events", params={"limit": 7, "offset": offset}).json() for offset in range(0, len(full), 7)]
    assert [row for p in pages for row in p["events"]] == full
    assert all(p["limit"] == 7 and p["total"] == len(full) for p in pages)
    default = client.get("/api/events").json()
    assert default["limit"] == settings.web.page_size and len(default["events"]) == min(settings.web.page_size, len(full))
    days = [row["date"] or row["published"][:10] for row in full if row["date"] or row["published"]]
    assert days == sorted(days, reverse=True)


@pytest.mark.parametrize(
    "query",
    [{"type": "BOMB"}, {"cameo": "19x"}, {"country": "ISRAEL"}, {"from": "yesterday"}, {"limit": 1001}, {"limit": 0}, {"offset": -1}],
)
def test_web_events_bad_filters_are_coded_errors(client: TestClient, query: dict[str, Any]) -> None:
    response = client.get("/api/events", params=query)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "PL225"


def test_web_events_page_links_rows_to_their_article_and_downloads_to_the_filters(client: TestClient) -> None:
    query = {"type": "ASSAULT", "hide_background": "true"}
    page = client.get("/api/events", params=query).json()
    response = client.get("/events", params=query)
    assert response.status_code == 200
    html = response.text
    assert f'<strong class="total">{page["total"]}</strong>' in html
    for row in page["events"]:
        assert f'href="http://127.0.0.1/articles/{row["article_id"]}#event-{row["id"]}"' in html
    assert 'href="http://127.0.0.1/events.csv?type=ASSAULT&amp;hide_background=true"' in html
    assert 'href="http://127.0.0.1/events.parquet?type=ASSAULT&amp;hide_background=true"' in html
    assert '<option value="ASSAULT" selected>' in html and 'name="hide_background" value="true" checked' in html
    assert "style=" not in html and "<script>" not in html


def test_web_events_page_has_a_pager(client: TestClient) -> None:
    html = client.get("/events", params={"limit": 5, "offset": 5, "type": "ASSAULT"}).text
    assert 'rel="prev" href="http://127.0.0.1/events?type=ASSAULT&amp;limit=5&amp;offset=0"' in html
    assert 'rel="next" href="http://127.0.0.1/events?type=ASSAULT&amp;limit=5&amp;offset=10"' in html


@pytest.mark.parametrize("path", ["/events.csv", "/api/events.csv"])
def test_web_events_csv_holds_every_filtered_row(client: TestClient, path: str) -> None:
    query = {"type": "ASSAULT", "hide_background": "true"}
    page = client.get("/api/events", params={**query, "limit": 1000}).json()
    response = client.get(path, params={**query, "limit": 1})  # a download has no row limit
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="presslens-events.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(EventRow.model_fields)
    assert len(rows) == page["total"] > 1
    assert [(r["article_id"], r["id"]) for r in rows] == [(r["article_id"], r["id"]) for r in page["events"]]
    assert [r["sentence_text"] for r in rows] == [r["sentence_text"] for r in page["events"]]


@pytest.mark.parametrize("path", ["/events.parquet", "/api/events.parquet"])
def test_web_events_parquet_holds_every_filtered_row(client: TestClient, path: str) -> None:
    query = {"country": "ISR"}
    page = client.get("/api/events", params={**query, "limit": 1000}).json()
    response = client.get(path, params=query)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    assert response.headers["content-disposition"] == 'attachment; filename="presslens-events.parquet"'
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column_names == list(EventRow.model_fields)
    assert table.num_rows == page["total"] > 0
    assert list(zip(table.column("article_id").to_pylist(), table.column("id").to_pylist())) == [(r["article_id"], r["id"]) for r in page["events"]]
    assert table.column("trigger").to_pylist() == [r["trigger"] for r in page["events"]]


def test_web_events_downloads_are_not_cut_at_the_row_limit(stored: tuple[Path, list[ArticleRecord]], settings: Settings) -> None:
    few = dataclasses.replace(settings, query=settings.query.model_copy(update={"max_rows": 5}))
    client = TestClient(base_url="http://127.0.0.1", app=create_app(stored[0], few))
    total = sum(len(r.events) for r in stored[1])
    assert len(list(csv.DictReader(io.StringIO(client.get("/events.csv").text)))) == total
    assert pq.read_table(io.BytesIO(client.get("/events.parquet").content)).num_rows == total


def test_web_events_download_of_no_rows_has_the_header(client: TestClient) -> None:
    response = client.get("/events.csv", params={"source": "nobody"})
    assert response.text.splitlines() == [",".join(EventRow.model_fields)]
    assert pq.read_table(io.BytesIO(client.get("/events.parquet", params={"source": "nobody"}).content)).num_rows == 0
