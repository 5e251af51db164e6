"""/places and /places/{id} with their JSON twins and offline maps, the packaged shapes, and the script that builds them."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from presslens.record.models import Actor, ArticleRecord, Event, Place
from presslens.settings import Settings
from presslens.store import Store
from presslens.web import charts, geo
from presslens.web.app import create_app

from .conftest import ROOT
from .web_support import csp_offences, tags

VERSIONS = {"version": "0", "spacy_version": "3.8.0", "model_version": "3.8.1"}
HOSTILE = '<script>window.__pwned=1</script>"onload="x'
TEXT = "Troops raided Jenin. Talks went on in Cairo."
SVG = "{http://www.w3.org/2000/svg}"


def _event(event_id: str, type_: str, place: str | None, source: str | None = None, target: str | None = None) -> Event:
    return Event(id=event_id, type=type_, cameo="190", source=source, target=target, place=place, trigger=(7, 13), sentence=(0, 20), confidence=0.9)


def _jenin(alt: list[str], mentions: int) -> Place:
    return Place(id="jenin", name="Jenin", geonameid=283506, lat=32.46, lon=35.3, country="PSE", alt_names=alt, mentions=[(14, 19)] * mentions)


def records() -> list[ArticleRecord]:
    """Jenin in two articles with three events there, Cairo with one, a hostile place, and one without coordinates."""
    actors = [Actor(id="idf", name="Israel Defense Forces", kind="military", mentions=[(0, 6)]), Actor(id="hamas", name="Hamas", kind="armed_group")]
    return [
        ArticleRecord(
            id="a1", title="Raid", outlet="Meridian Wire", published="2026-03-02T10:00:00Z", text=TEXT, actors=actors,
            places=[_jenin(["Jenin"], 2), Place(id="cairo", name="Cairo", lat=30.06, lon=31.25, country="EGY", mentions=[(38, 43)])],
            events=[_event("e1", "ASSAULT", "jenin", "idf", "hamas"), _event("e2", "CONSULT", "cairo"), _event("e3", "ASSAULT", "jenin")],
        ),
        ArticleRecord(
            id="a2", title=f"Raid {HOSTILE}", outlet=HOSTILE, published="2026-03-05T10:00:00Z", text=TEXT,
            places=[_jenin(["Jenin", "Janin"], 1), Place(id="evil", name=HOSTILE, lat=10.0, lon=10.0, mentions=[(0, 1)])],
            events=[_event("e1", "ASSAULT", "jenin")],
        ),
        ArticleRecord(id="a3", title=None, text=TEXT, places=[Place(id="nowhere", name="Nowhere", mentions=[(0, 1)])]),
    ]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> TestClient:
    store = Store(tmp_path_factory.mktemp("places") / "p.duckdb")
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    store.upsert(records(), run, "cfg")
    return TestClient(base_url="http://127.0.0.1", app=create_app(store.path, settings))


def _fill(svg: ET.Element, name: str) -> str:
    """The fill of the country path named ``name`` (paths are drawn in the atlas's order)."""
    paths = [e for e in svg.iter(f"{SVG}path")]
    index = [c.name for c in geo.atlas().countries].index(name)
    return paths[index].attrib["fill"]


def test_web_places_list_counts_articles_and_events(client: TestClient) -> None:
    body = client.get("/api/places").json()
    assert (body["total"], body["countries"]) == (4, ["EGY", "PSE"])
    assert [(p["id"], p["country"], p["articles"], p["mentions"], p["events"]) for p in body["places"]] == [
        ("jenin", "PSE", 2, 3, 3), ("cairo", "EGY", 1, 1, 1), ("evil", None, 1, 1, 0), ("nowhere", None, 1, 1, 0)
    ]
    assert [p["id"] for p in client.get("/api/places?country=egy").json()["places"]] == ["cairo"]
    assert [p["id"] for p in client.get("/api/places?q=JEN&limit=1").json()["places"]] == ["jenin"]
    assert [p["id"] for p in client.get("/api/places?limit=2&offset=2").json()["places"]] == ["evil", "nowhere"]
    assert client.get("/api/places?country=EGYPT").json()["error"]["code"] == "PL225"


def test_web_places_page_lists_its_articles_and_events(client: TestClient) -> None:
    body = client.get("/api/places/jenin").json()
    assert {k: body[k] for k in ("id", "name", "country", "country_name", "lat", "lon", "geonameid", "alt_names", "mentions", "articles", "events")} == {
        "id": "jenin", "name": "Jenin", "country": "PSE", "country_name": "Palestine", "lat": 32.46, "lon": 35.3, "geonameid": 283506,
        "alt_names": ["Jenin", "Janin"], "mentions": 3, "articles": 2, "events": 3,
    }
    assert [(a["id"], a["mentions"]) for a in body["article_list"]] == [("a2", 1), ("a1", 2)]
    assert body["event_types"] == [{"type": "ASSAULT", "events": 3}]
    assert [(e["article_id"], e["id"], e["source_name"], e["target_name"], e["sentence"]) for e in body["event_list"]] == [
        ("a2", "e1", None, None, "Troops raided Jenin."),
        ("a1", "e1", "Israel Defense Forces", "Hamas", "Troops raided Jenin."),
        ("a1", "e3", None, None, "Troops raided Jenin."),
    ]


def test_web_places_unknown_place_is_a_coded_404(client: TestClient) -> None:
    for path in ("/api/places/atlantis", "/places/atlantis", "/charts/places/atlantis/map.svg"):
        response = client.get(path)
        assert response.status_code == 404 and "PL222" in response.text, path
    assert client.get("/api/places/atlantis").json()["error"] == {
        "code": "PL222", "message": "no place 'atlantis' in the store; place ids are listed at /api/places"
    }


def test_web_places_map_marks_the_place_and_shades_the_countries(client: TestClient) -> None:
    response = client.get("/charts/places/jenin/map.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert charts.checked_svg(response.text) == response.text and "<script" not in response.text
    svg = ET.fromstring(response.text)
    assert len(list(svg.iter(f"{SVG}path"))) == len(geo.atlas().countries)
    assert (_fill(svg, "Palestine"), _fill(svg, "Egypt"), _fill(svg, "France")) == (geo.HIGHLIGHT, geo.SHADED, geo.LAND)
    (marker,) = svg.iter(f"{SVG}circle")
    assert (float(marker.attrib["cx"]), float(marker.attrib["cy"])) == ((35.3 + 180) * geo.WORLD_SCALE, (90 - 32.46) * geo.WORLD_SCALE)
    region = ET.fromstring(client.get("/charts/places/jenin/map.svg?view=region").text)
    assert [c.find(f"{SVG}title").text for c in region.iter(f"{SVG}circle")] == ["Cairo", "Jenin"]  # type: ignore[union-attr]
    assert [t.text for t in region.iter(f"{SVG}text")] == ["Jenin"]
    assert region.attrib["viewBox"] == f"{round(25.3 * 100 + 18000)} {round((90 - 38.46) * 100)} 2000 1200"


def test_web_places_maps_escape_names_and_cope_without_coordinates(client: TestClient) -> None:
    text = client.get("/charts/places/evil/map.svg?view=region").text
    assert HOSTILE not in text and "&lt;script&gt;" in text and charts.checked_svg(text) == text
    assert {t.text for t in ET.fromstring(text).iter(f"{SVG}text")} == {HOSTILE}
    nowhere = ET.fromstring(client.get("/charts/places/nowhere/map.svg?view=region").text)
    assert list(nowhere.iter(f"{SVG}circle")) == [] and nowhere.attrib["width"] == str(geo.WORLD_PX)
    world = ET.fromstring(client.get("/charts/places.svg").text)
    assert sorted(c.find(f"{SVG}title").text for c in world.iter(f"{SVG}circle")) == sorted(["Jenin", "Cairo", HOSTILE])  # type: ignore[union-attr, type-var]


def test_web_places_pages_link_and_escape(client: TestClient) -> None:
    html = client.get("/places/jenin").text
    assert csp_offences(html) == [] and HOSTILE not in html
    found = tags(html)
    assert [attrs["src"] for tag, attrs in found if tag == "img"] == [
        "http://127.0.0.1/charts/places/jenin/map.svg", "http://127.0.0.1/charts/places/jenin/map.svg?view=region"
    ]
    hrefs = {attrs.get("href") for tag, attrs in found if tag == "a"}
    assert {"http://127.0.0.1/actors/idf", "http://127.0.0.1/actors/hamas", "http://127.0.0.1/articles/a1#event-e1", "http://127.0.0.1/articles/a2"} <= hrefs
    assert [attrs["src"] for tag, attrs in tags(client.get("/places/nowhere").text) if tag == "img"] == ["http://127.0.0.1/charts/places/nowhere/map.svg"]
    listing = client.get("/places").text
    assert csp_offences(listing) == [] and HOSTILE not in listing and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in listing
    assert "http://127.0.0.1/places/evil" in {attrs.get("href") for tag, attrs in tags(listing) if tag == "a"}


def test_web_places_packaged_shapes_are_small_complete_and_valid() -> None:
    path = Path(str(resources.files("presslens").joinpath(*geo.DATA)))
    assert path.stat().st_size < 300_000
    atlas = geo.atlas()
    assert len(atlas.countries) == 177 and "Natural Earth" in atlas.source
    names = atlas.names()
    assert (names["PSE"], names["ISR"], names["EGY"], names["XKX"], names["CYP"]) == ("Palestine", "Israel", "Egypt", "Kosovo", "Cyprus")
    with pytest.raises(ValidationError, match="end on its first point"):
        geo.Country(iso3="ABC", name="Open", rings=[[0, 0, 1, 0, 1, 1, 0, 1]])
    with pytest.raises(ValidationError, match="leaves the globe"):
        geo.Country(iso3="ABC", name="Far", rings=[[0, 0, 181, 0, 1, 1, 0, 0]])
    with pytest.raises(ValidationError):
        geo.Country(iso3="abc", name="Lower", rings=[[0, 0, 1, 0, 1, 1, 0, 0]])


def test_web_places_world_paths_never_cross_the_map() -> None:
    """Rings across the antimeridian (Russia, Fiji) and around the pole (Antarctica) draw no line across the world."""
    poles = (0, 180 * geo.WORLD_SCALE)  # y of 90°N and 90°S: a ring around a pole closes along it
    for country, d in zip(geo.atlas().countries, geo._paths(geo.WORLD_SCALE)):
        for start, steps in re.findall(r"M(-?\d+ -?\d+)l([^z]*)z", d):
            y = int(start.split()[1])
            numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
            for dx, dy in zip(numbers[0::2], numbers[1::2]):
                assert abs(dx) < 180 * geo.WORLD_SCALE or (y in poles and dy == 0), country.name
                y += dy


def test_web_places_region_view_stays_inside_the_map() -> None:
    assert geo.region_view(178.0, -17.0)[:4] == (160.0, -23.0, 180.0, -11.0)
    assert geo.region_view(0.0, 89.0)[:4] == (-10.0, 78.0, 10.0, 90.0)
    assert geo.world_view([geo.Marker(0.0, -75.0, "Base")])[1] == -78.0


@pytest.fixture(scope="module")
def build_script() -> ModuleType:
    """scripts/build_geo_data.py as a module."""
    spec = importlib.util.spec_from_file_location("build_geo_data", ROOT / "scripts" / "build_geo_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_web_places_build_script_decodes_topojson_arcs(build_script: ModuleType) -> None:
    topology = {"transform": {"scale": [0.5, 0.25], "translate": [-10, 20]}, "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]]]}
    arcs = build_script.decode_arcs(topology)
    assert arcs == [[(-10.0, 20.0), (-9.0, 20.0), (-9.0, 21.0)], [(-9.0, 21.0), (-10.0, 21.0), (-10.0, 20.0)]]
    assert build_script.ring(arcs, [0, 1]) == [-10.0, 20.0, -9.0, 20.0, -9.0, 21.0, -10.0, 21.0, -10.0, 20.0]
    assert build_script.ring(arcs, [~1, ~0]) == [-10.0, 20.0, -10.0, 21.0, -9.0, 21.0, -9.0, 20.0, -10.0, 20.0]
