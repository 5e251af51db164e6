"""/ and /api/overview over real stores (hand-made records, an empty store, none), and the server-side charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from presslens.ingest.raw import Quarantined
from presslens.record.models import Actor, ArticleRecord, Event, Framing, Place, Quote
from presslens.settings import Settings
from presslens.store import Store
from presslens.web import charts
from presslens.web.app import create_app
from presslens.web.timeline import Timeline, TimePoint

from .web_support import csp_offences, tags

VERSIONS = {"version": "0", "spacy_version": "3.8.0", "model_version": "3.8.1"}
HOSTILE_OUTLET = '<img src=x onerror="window.__pwned=1">'
HOSTILE_ACTOR = "<script>window.__pwned=2</script>"
TEXT = "The United Nations agreed with Hamas in Cairo. Hamas attacked. The UN refused."


def _event(event_id: str, type_: str, cameo: str, source: str | None, target: str | None = None) -> Event:
    return Event(id=event_id, type=type_, cameo=cameo, source=source, target=target, trigger=(23, 29), sentence=(0, 46), confidence=0.9)


def records() -> list[ArticleRecord]:
    """Three articles: two dated two days apart (one from a hostile outlet, with a hostile actor name), one with no date or outlet."""
    un = Actor(id="united-nations", name="United Nations", kind="igo", cameo="IGOUNO", aliases=["The United Nations"], mentions=[(4, 18), (63, 65)])
    return [
        ArticleRecord(
            id="a1", title="UN and Hamas agree", outlet="Meridian Wire", published="2026-03-02T10:00:00Z", text=TEXT,
            actors=[un, Actor(id="hamas", name="Hamas", kind="armed_group", mentions=[(35, 40)])],
            places=[Place(id="cairo", name="Cairo", lat=30.06, lon=31.25, country="EGY", mentions=[(41, 46)])],
            events=[_event("e1", "AGREE", "030", "united-nations", "hamas"), _event("e2", "ASSAULT", "190", "hamas")],
            quotes=[Quote(start=0, end=10, text="The United", kind="direct", speaker="united-nations")],
            framing=[Framing(kind="sourcing", note="one source"), Framing(kind="label", start=0, end=5, text="regime", target="hamas")],
        ),
        ArticleRecord(
            id="a2", title=f"Attack {HOSTILE_ACTOR}", outlet=HOSTILE_OUTLET, published="2026-03-04T08:00:00Z", text=TEXT,
            actors=[un.model_copy(update={"mentions": [(4, 18)]}), Actor(id="evil", name=HOSTILE_ACTOR, kind="person", mentions=[(0, 3)])],
            events=[_event("e1", "ASSAULT", "190", "evil", "united-nations")],
        ),
        ArticleRecord(
            id="a3", title=None, text=TEXT,
            actors=[un.model_copy(update={"mentions": [(4, 18)]})],
            events=[_event("e1", "REJECT", "120", "united-nations")],
        ),
    ]


def build(db: Path, articles: list[ArticleRecord], quarantined: int = 0) -> Path:
    """Write the records (and some quarantine entries) through the store, as an ingest does."""
    store = Store(db)
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    store.upsert(articles, run, "cfg")
    store.quarantine([Quarantined(source=f"bad-{i}.txt", code="PL101", reason="empty input") for i in range(quarantined)], run)
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("overview") / "o.duckdb", records(), quarantined=1)


@pytest.fixture(scope="module")
def client(db: Path, settings: Settings) -> TestClient:
    return TestClient(base_url="http://127.0.0.1", app=create_app(db, settings))


def _sql(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return int(con.execute(sql).fetchone()[0])  # type: ignore[index]


def test_web_overview_counts_equal_the_store(client: TestClient, db: Path) -> None:
    counts = client.get("/api/overview").json()["counts"]
    assert counts == {
        "articles": _sql(db, "SELECT count(*) FROM articles"),
        "actors": _sql(db, "SELECT count(DISTINCT id) FROM actors"),
        "places": _sql(db, "SELECT count(DISTINCT id) FROM places"),
        "events": _sql(db, "SELECT count(*) FROM events"),
        "quotes": _sql(db, "SELECT count(*) FROM quotes"),
        "framing": _sql(db, "SELECT count(*) FROM framing"),
        "quarantined": _sql(db, "SELECT count(*) FROM quarantine"),
        "outlets": _sql(db, "SELECT count(DISTINCT outlet) FROM articles"),
    }
    assert counts == {"articles": 3, "actors": 3, "places": 1, "events": 4, "quotes": 1, "framing": 2, "quarantined": 1, "outlets": 2}


def test_web_overview_lists_outlets_dates_actors_types_and_recent(client: TestClient) -> None:
    body = client.get("/api/overview").json()
    assert body["dates"] == {"first": "2026-03-02T10:00:00", "last": "2026-03-04T08:00:00", "undated": 1}
    assert body["outlets"] == [{"outlet": HOSTILE_OUTLET, "articles": 1}, {"outlet": "Meridian Wire", "articles": 1}, {"outlet": None, "articles": 1}]
    assert [(a["id"], a["name"], a["articles"], a["mentions"]) for a in body["top_actors"]] == [
        ("united-nations", "United Nations", 3, 4), ("evil", HOSTILE_ACTOR, 1, 1), ("hamas", "Hamas", 1, 1)
    ]
    assert body["event_types"] == [{"type": "ASSAULT", "events": 2}, {"type": "AGREE", "events": 1}, {"type": "REJECT", "events": 1}]
    assert [a["id"] for a in body["recent"]] == ["a2", "a1", "a3"]


def test_web_overview_timeline_counts_each_day_and_fills_the_gaps(client: TestClient) -> None:
    timeline = client.get("/api/overview").json()["timeline"]
    assert timeline["unit"] == "day" and timeline["series"] == ["AGREE", "ASSAULT"] and timeline["undated"] == 1
    assert [(p["period"], p["series"], p["events"]) for p in timeline["points"]] == [
        ("2026-03-02", "AGREE", 1), ("2026-03-02", "ASSAULT", 1),
        ("2026-03-03", "AGREE", 0), ("2026-03-03", "ASSAULT", 0),
        ("2026-03-04", "AGREE", 0), ("2026-03-04", "ASSAULT", 1),
    ]
    assert timeline["points"][0]["label"] == "2 Mar 2026"


def test_web_overview_page_links_actors_articles_events_and_searches(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    found = tags(response.text)
    hrefs = [attrs.get("href", "") for tag, attrs in found if tag == "a"]
    assert {"http://127.0.0.1/actors/united-nations", "http://127.0.0.1/actors/evil", "http://127.0.0.1/actors/hamas"} <= set(hrefs)
    assert {"http://127.0.0.1/articles/a1", "http://127.0.0.1/articles/a2", "http://127.0.0.1/articles/a3"} <= set(hrefs)
    assert "http://127.0.0.1/events?type=ASSAULT" in hrefs
    assert "http://127.0.0.1/articles?outlet=Meridian%20Wire" in hrefs
    forms = [attrs for tag, attrs in found if tag == "form" and "big-search" in attrs.get("class", "")]
    assert forms == [{"class": "big-search", "action": "http://127.0.0.1/articles", "method": "get", "role": "search"}]
    assert ("input", {"type": "search", "name": "q", "placeholder": "Search the articles: words, names, actors", "aria-label": "Search the articles"}) in found
    assert [attrs["src"] for tag, attrs in found if tag == "img"] == ["http://127.0.0.1/charts/events-over-time.svg"]


def test_web_overview_page_escapes_hostile_outlets_and_actor_names(client: TestClient) -> None:
    html = client.get("/").text
    assert csp_offences(html) == []
    assert HOSTILE_OUTLET not in html and HOSTILE_ACTOR not in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html
    assert "&lt;script&gt;window.__pwned=2&lt;/script&gt;" in html
    assert [attrs.get("src") for tag, attrs in tags(html) if tag == "script"] == ["http://127.0.0.1/static/presslens.js"]


def test_web_overview_chart_is_an_svg_image_without_script(client: TestClient) -> None:
    response = client.get("/charts/events-over-time.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(response.text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in response.text.lower() and charts.checked_svg(response.text) == response.text
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"AGREE", "ASSAULT", "2 Mar 2026"} <= set(texts)


def test_web_overview_chart_escapes_hostile_labels() -> None:
    hostile = ['<script>alert(1)</script>', '"onload="alert(2)', "</text><script>alert(3)</script>"]
    points = [TimePoint(period="2026-03-02", label=label, series=label, events=1) for label in hostile]
    svg = charts.timeline_svg(Timeline(unit="day", series=sorted(hostile), points=points, undated=0), title=hostile[0])
    root = ET.fromstring(svg)  # still one well-formed document: no label closed a tag
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "script"]
    assert not [name for e in root.iter() for name in e.attrib if name.lower().startswith("on")]
    assert set(hostile) <= {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a x:href="javascript:alert(1)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:red"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://example.com/x)"/></svg>',
        '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>',
        "<svg",
    ],
)
def test_web_overview_svg_check_refuses_anything_but_drawing(svg: str) -> None:
    with pytest.raises(charts.UnsafeSvg):
        charts.checked_svg(svg)


def test_web_overview_empty_store_is_a_helpful_page(tmp_path: Path, settings: Settings) -> None:
    client = TestClient(base_url="http://127.0.0.1", app=create_app(build(tmp_path / "empty.duckdb", []), settings))
    body = client.get("/api/overview").json()
    assert body["counts"] == {"articles": 0, "actors": 0, "places": 0, "events": 0, "quotes": 0, "framing": 0, "quarantined": 0, "outlets": 0}
    assert body["timeline"] == {"unit": None, "series": [], "points": [], "undated": 0, "earlier": 0} and body["recent"] == []
    page = client.get("/")
    assert page.status_code == 200
    assert "This store has no articles yet" in page.text and "presslens ingest" in page.text
    assert client.get("/charts/events-over-time.svg").headers["content-type"] == "image/svg+xml"


def test_web_overview_missing_store_tells_how_to_ingest(tmp_path: Path, settings: Settings) -> None:
    client = TestClient(base_url="http://127.0.0.1", app=create_app(tmp_path / "none.duckdb", settings))
    error = client.get("/api/overview")
    assert error.status_code == 503 and error.json()["error"]["code"] == "PL207"
    assert "presslens ingest" in error.json()["error"]["message"]
    page = client.get("/")
    assert page.status_code == 503 and "PL207" in page.text and "presslens ingest" in page.text


def test_web_overview_timeline_draws_the_latest_periods_of_a_stray_date(tmp_path: Path, settings: Settings) -> None:
    """An article dated 0001-01-01 does not make a chart of 2,026 years: the latest MAX_PERIODS are drawn, the rest counted."""
    stray = [records()[0].model_copy(update={"id": "old", "published": "0001-01-01"}), records()[0]]
    client = TestClient(base_url="http://127.0.0.1", app=create_app(build(tmp_path / "stray.duckdb", stray), settings))
    timeline = client.get("/api/overview").json()["timeline"]
    periods = [p["period"] for p in timeline["points"] if p["series"] == "AGREE"]
    assert timeline["unit"] == "year" and len(periods) == 200 and periods[-1] == "2026-01-01" and periods[0] == "1827-01-01"
    assert timeline["earlier"] == 2  # the stray article's AGREE and ASSAULT
    chart = client.get("/charts/events-over-time.svg")
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")


def test_web_overview_chart_labels_may_say_url(tmp_path: Path, settings: Settings) -> None:
    """A name holding "url(" is text on the chart, not a reason to refuse it (only presentation attributes may not link)."""
    article = records()[0]
    hamas = article.actors[1].model_copy(update={"name": "Evil url(http://x) Front"})
    named = article.model_copy(update={"actors": [article.actors[0], hamas]})
    client = TestClient(base_url="http://127.0.0.1", app=create_app(build(tmp_path / "url.duckdb", [named]), settings))
    for chart in ("/charts/actors/hamas/network.svg", "/charts/actors/hamas/events-over-time.svg", "/charts/actors/united-nations/network.svg"):
        response = client.get(chart)
        assert response.status_code == 200 and "Evil url(http://x) Front" in response.text, chart
    assert charts.checked_svg('<svg xmlns="http://www.w3.org/2000/svg"><text aria-label="Evil url(http://x)">Evil url(http://x)</text></svg>')
    with pytest.raises(charts.UnsafeSvg):
        charts.checked_svg('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://x/p.svg#a)"/></svg>')
