"""/actors and /actors/{id} with their JSON twins and charts, over a store of hand-made records and one of the samples."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from presslens.record.models import Actor, ArticleRecord, Event, Framing, Quote
from presslens.settings import Settings
from presslens.store import Store
from presslens.web import charts
from presslens.web.app import create_app

from .web_support import csp_offences, tags, web_db  # noqa: F401 (fixture)

VERSIONS = {"version": "0", "spacy_version": "3.8.0", "model_version": "3.8.1"}
HOSTILE = '<script>window.__pwned=1</script>"onload="x'
TEXT = "Hamas threatened the Government of Israel. Egypt hosted talks. Hamas refused."
SVG = "{http://www.w3.org/2000/svg}"


def _event(event_id: str, type_: str, cameo: str, source: str | None, target: str | None = None) -> Event:
    return Event(id=event_id, type=type_, cameo=cameo, source=source, target=target, trigger=(6, 16), sentence=(0, 42), confidence=0.9)


def _hamas(kind: str, mentions: int, aliases: list[str]) -> Actor:
    return Actor(id="hamas", name="Hamas", kind=kind, country="PSE", cameo="PSEREB", aliases=aliases, mentions=[(0, 5)] * mentions)


def records() -> list[ArticleRecord]:
    """Hamas in three articles (two outlets and none, two dated), with counterparts both ways and labels aimed at it."""
    israel = Actor(id="israel-gov", name="Government of Israel", kind="government", country="ISR", role="cabinet", mentions=[(21, 41)] * 3)
    return [
        ArticleRecord(
            id="a1", title="Threats", outlet="Meridian Wire", published="2026-03-02T10:00:00Z", text=TEXT,
            actors=[_hamas("armed_group", 2, ["Hamas", "the movement"]), israel, Actor(id="evil", name=HOSTILE, kind="person", mentions=[(0, 1)])],
            events=[
                _event("e1", "THREATEN", "138", "hamas", "israel-gov"),
                _event("e2", "ACCUSE", "112", "hamas", "israel-gov"),
                _event("e3", "ASSAULT", "190", "israel-gov", "hamas"),
                _event("e4", "REQUEST", "020", "evil", "hamas"),
            ],
            quotes=[Quote(start=0, end=5, text="Hamas", kind="direct", speaker="hamas")] * 2,
            framing=[
                Framing(kind="label", start=0, end=5, text="terrorists", target="hamas"),
                Framing(kind="label", start=0, end=5, text="Terrorists", target="hamas", voice="quoted"),
                Framing(kind="loaded_term", start=6, end=16, text="threatened"),
            ],
        ),
        ArticleRecord(
            id="a2", title="Talks", outlet="Lisvania Today", published="2026-03-20T10:00:00Z", text=TEXT,
            actors=[_hamas("organization", 1, ["Hamas"]), Actor(id="egypt", name="Egypt", kind="state", country="EGY", mentions=[(43, 48)] * 2)],
            events=[_event("e1", "CONSULT", "040", "hamas", "egypt"), _event("e2", "REJECT", "120", "hamas")],
            framing=[Framing(kind="label", start=0, end=5, text="freedom fighters", target="hamas")],
        ),
        ArticleRecord(
            id="a3", title=None, text=TEXT,
            actors=[_hamas("armed_group", 1, ["Hamas"]), Actor(id="egypt", name="Egypt", kind="state", country="EGY", mentions=[])],
            events=[_event("e1", "REQUEST", "020", "egypt", "hamas")],
            framing=[Framing(kind="label", start=0, end=5, text="terrorists", target="hamas")],
        ),
    ]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> TestClient:
    store = Store(tmp_path_factory.mktemp("actors") / "a.duckdb")
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    store.upsert(records(), run, "cfg")
    return TestClient(base_url="http://127.0.0.1", app=create_app(store.path, settings))


def test_web_actors_list_counts_articles_and_mentions_most_first(client: TestClient) -> None:
    body = client.get("/api/actors").json()
    assert (body["total"], body["limit"], body["offset"]) == (4, 50, 0)
    assert [(a["id"], a["name"], a["kind"], a["country"], a["articles"], a["mentions"]) for a in body["actors"]] == [
        ("hamas", "Hamas", "armed_group", "PSE", 3, 4),
        ("egypt", "Egypt", "state", "EGY", 2, 2),
        ("israel-gov", "Government of Israel", "government", "ISR", 1, 3),
        ("evil", HOSTILE, "person", None, 1, 1),
    ]


def test_web_actors_list_pages_and_filters(client: TestClient) -> None:
    assert [a["id"] for a in client.get("/api/actors?limit=2&offset=1").json()["actors"]] == ["egypt", "israel-gov"]
    page = client.get("/api/actors?q=%20GOV%20").json()
    assert (page["total"], [a["id"] for a in page["actors"]]) == (1, ["israel-gov"])
    assert [a["id"] for a in client.get("/api/actors?kind=state").json()["actors"]] == ["egypt"]
    assert client.get("/api/actors?q=nobody").json()["total"] == 0
    assert client.get("/api/actors?limit=0").json()["error"]["code"] == "PL225"
    assert client.get("/api/actors?offset=99999999999999999999").json()["error"]["code"] == "PL225"


def test_web_actors_page_is_the_merged_profile(client: TestClient) -> None:
    body = client.get("/api/actors/hamas").json()
    assert {k: body[k] for k in ("id", "name", "kind", "kinds", "countries", "cameo", "roles", "affiliations", "aliases")} == {
        "id": "hamas", "name": "Hamas", "kind": "armed_group", "kinds": ["armed_group", "organization"], "countries": ["PSE"],
        "cameo": ["PSEREB"], "roles": [], "affiliations": [], "aliases": ["Hamas", "the movement"],
    }
    assert {k: body[k] for k in ("mentions", "articles", "quotes", "as_source", "as_target")} == {
        "mentions": 4, "articles": 3, "quotes": 2, "as_source": 4, "as_target": 3
    }
    assert [(a["id"], a["mentions"]) for a in body["article_list"]] == [("a2", 1), ("a1", 2), ("a3", 1)]
    assert client.get("/api/actors/israel-gov").json()["roles"] == ["cabinet"]


def test_web_actors_page_lists_each_counterpart_by_direction(client: TestClient) -> None:
    dyads = client.get("/api/actors/hamas").json()["dyads"]
    assert [(d["counterpart"], d["name"], d["direction"], d["events"], [(t["type"], t["events"]) for t in d["types"]]) for d in dyads] == [
        ("israel-gov", "Government of Israel", "out", 2, [("ACCUSE", 1), ("THREATEN", 1)]),
        ("egypt", "Egypt", "in", 1, [("REQUEST", 1)]),
        ("egypt", "Egypt", "out", 1, [("CONSULT", 1)]),
        ("evil", HOSTILE, "in", 1, [("REQUEST", 1)]),
        ("israel-gov", "Government of Israel", "in", 1, [("ASSAULT", 1)]),
    ]


def test_web_actors_page_groups_the_labels_by_outlet(client: TestClient) -> None:
    labels = client.get("/api/actors/hamas").json()["labels"]
    assert labels == [
        {"outlet": "Lisvania Today", "labels": [{"kind": "label", "text": "freedom fighters", "voice": "outlet", "uses": 1, "articles": 1}]},
        {"outlet": "Meridian Wire", "labels": [
            {"kind": "label", "text": "terrorists", "voice": "outlet", "uses": 1, "articles": 1},
            {"kind": "label", "text": "terrorists", "voice": "quoted", "uses": 1, "articles": 1},
        ]},
        {"outlet": None, "labels": [{"kind": "label", "text": "terrorists", "voice": "outlet", "uses": 1, "articles": 1}]},
    ]
    assert client.get("/api/actors/egypt").json()["labels"] == []


def test_web_actors_timeline_splits_source_and_target(client: TestClient) -> None:
    timeline = client.get("/api/actors/hamas").json()["timeline"]
    assert (timeline["unit"], timeline["series"], timeline["undated"]) == ("day", ["as source", "as target"], 1)
    points = timeline["points"]
    assert len(points) == 19 * 2 and (points[0]["period"], points[-1]["period"]) == ("2026-03-02", "2026-03-20")
    nonzero = [(p["period"], p["series"], p["events"]) for p in points if p["events"]]
    assert nonzero == [("2026-03-02", "as source", 2), ("2026-03-02", "as target", 2), ("2026-03-20", "as source", 2)]


def test_web_actors_unknown_actor_is_a_coded_404(client: TestClient) -> None:
    for path in ("/api/actors/nobody", "/actors/nobody", "/charts/actors/nobody/network.svg", "/charts/actors/nobody/events-over-time.svg"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "PL221" in response.text and "nobody" in response.text, path
    assert client.get("/api/actors/nobody").json() == {
        "error": {"code": "PL221", "message": "no actor 'nobody' in the store; actor ids are listed at /api/actors"}
    }


def test_web_actors_page_links_counterparts_and_escapes_names(client: TestClient) -> None:
    html = client.get("/actors/hamas").text
    assert csp_offences(html) == [] and HOSTILE not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;&#34;onload=&#34;x" in html
    found = tags(html)
    hrefs = {attrs.get("href") for tag, attrs in found if tag == "a"}
    assert {"http://127.0.0.1/actors/israel-gov", "http://127.0.0.1/actors/egypt", "http://127.0.0.1/actors/evil"} <= hrefs
    assert {"http://127.0.0.1/articles/a1", "http://127.0.0.1/articles/a2", "http://127.0.0.1/articles/a3"} <= hrefs
    assert "http://127.0.0.1/events?source=hamas&target=israel-gov" in hrefs and "http://127.0.0.1/events?source=evil&target=hamas" in hrefs
    assert [attrs["src"] for tag, attrs in found if tag == "img"] == [
        "http://127.0.0.1/charts/actors/hamas/events-over-time.svg", "http://127.0.0.1/charts/actors/hamas/network.svg"
    ]
    listing = client.get("/actors").text
    assert csp_offences(listing) == [] and HOSTILE not in listing and "http://127.0.0.1/actors/evil" in listing


def test_web_actors_charts_are_svg_images_with_escaped_names(client: TestClient) -> None:
    for path in ("/charts/actors/hamas/network.svg", "/charts/actors/hamas/events-over-time.svg", "/charts/actors/evil/network.svg"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml", path
        assert "<script" not in response.text and charts.checked_svg(response.text) == response.text
    network = ET.fromstring(client.get("/charts/actors/hamas/network.svg").text)
    assert {t.text for t in network.iter(f"{SVG}text")} >= {"Hamas", "Government of Israel", "Egypt", HOSTILE[:27] + "…", "2 out / 1 in"}
    assert len(list(network.iter(f"{SVG}line"))) == 3  # one line per counterpart, arrowheads for each direction
    evil = ET.fromstring(client.get("/charts/actors/evil/network.svg").text)
    assert evil.find(f"{SVG}title").text == f"Counterparts of {HOSTILE}"  # type: ignore[union-attr]


def test_web_actors_sample_store_dyads_are_the_events(web_db: Path, settings: Settings) -> None:  # noqa: F811
    """On the analysed samples: every actor's dyads add up to its events with another actor, both ways."""
    with duckdb.connect(str(web_db), read_only=True) as con:
        events = con.execute("SELECT source, target, type FROM events WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target").fetchall()
    assert events, "the samples have events between two actors"
    client = TestClient(base_url="http://127.0.0.1", app=create_app(web_db, settings))
    for actor in sorted({source for source, _, _ in events} | {target for _, target, _ in events}):
        expected = Counter()
        for source, target, type_ in events:
            if actor in (source, target):
                expected[(target if source == actor else source, "out" if source == actor else "in", type_)] += 1
        dyads = client.get(f"/api/actors/{actor}").json()["dyads"]
        found = Counter({(d["counterpart"], d["direction"], t["type"]): t["events"] for d in dyads for t in d["types"]})
        assert found == expected, actor
