from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from presslens.pipeline import Pipeline
from presslens.record.models import Actor, ArticleRecord, Entity, Event, Framing, Place, Quote, Sentence, Source
from presslens.run import ingest
from presslens.store import Store
from presslens.web.app import create_app
from presslens.web.article_view import shade, web_link
from presslens.web.highlight import Mark, render

from .conftest import SAMPLES, SEED

PATHS = [str(SEED), str(SAMPLES / "corpus" / "wire.jsonl"), str(SAMPLES / "corpus" / "kessel-pass-clash--morland-standard.html")]
LAYERS = ("actor", "place", "event", "quote", "framing")
HOSTILE_TEXT = 'Intro <img src=x onerror=alert(1)> said "</textarea><script>alert(2)</script>" in <b>Cairo</b>.'


@pytest.fixture(scope="module")
def records(pipeline: Pipeline) -> list[ArticleRecord]:
    """What the pipeline gives for the stored files: the seed article first."""
    found = [o for o in pipeline.analyze(pipeline.read(PATHS)) if isinstance(o, ArticleRecord)]
    assert len(found) == 5 and found[0].source == str(SEED)
    return found


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline, records: list[ArticleRecord]) -> TestClient:
    """The app over a store that `presslens ingest` filled with the seed article, the wire and one HTML page."""
    db = tmp_path_factory.mktemp("articles") / "p.duckdb"
    assert ingest(PATHS, db, pipeline=pipeline).counts["stored"] == 5
    return TestClient(base_url="http://127.0.0.1", app=create_app(db))


def _ids(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/articles", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["articles"])  # every test store fits one page
    return [row["id"] for row in body["articles"]]


def _published(record: ArticleRecord) -> datetime | None:
    """The stored publication time (UTC, naive), as the store orders by it."""
    if record.published is None:
        return None
    moment = datetime.fromisoformat(record.published)
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def _ranked(records: list[ArticleRecord], q: str) -> list[str]:
    """The ids search should give for q: every word in the title, text or actors; by title, actor then text hits."""
    words = list(dict.fromkeys(q.lower().split()))
    found = []
    for r in records:
        title, text = (r.title or "").lower(), r.text.lower()
        names = "\n".join(n.lower() for a in r.actors for n in [a.name, *a.aliases])
        if all(w in title or w in text or w in names for w in words):
            hits = (sum(w in title for w in words), sum(w in names for w in words), sum(text.count(w) for w in words))
            found.append((tuple(-h for h in hits), r))
    found.sort(key=lambda pair: pair[1].id)
    found.sort(key=lambda pair: _published(pair[1]) or datetime.min, reverse=True)  # stable: newest first, then by id
    return [r.id for _, r in sorted(found, key=lambda pair: pair[0])]


def test_web_articles_search_finds_the_seed_by_a_word_with_a_snippet(client: TestClient, records: list[ArticleRecord]) -> None:
    body = client.get("/api/articles", params={"q": "Cooling"}).json()
    assert [row["id"] for row in body["articles"]] == [records[0].id] and body["total"] == 1
    assert body["limit"] == 50 and body["offset"] == 0
    assert "cooling" in body["articles"][0]["snippet"].lower() and len(body["articles"][0]["snippet"]) <= 250


def test_web_articles_search_finds_the_seed_by_an_actor_name_not_in_its_text(client: TestClient, records: list[ArticleRecord]) -> None:
    seed = records[0]
    assert "directorate" not in seed.text.lower() and any("Directorate" in a.name for a in seed.actors)
    assert _ids(client, q="directorate") == [seed.id]
    assert _ids(client, q="directorate cairo") == [seed.id]
    assert _ids(client, q="directorate morland") == []  # every word must match


@pytest.mark.parametrize("q", ["morland", "aid", "Hamas Cairo", "soldiers border", "the", "a_b", "%"])
def test_web_articles_search_ranks_title_then_actor_then_text_hits(client: TestClient, records: list[ArticleRecord], q: str) -> None:
    assert _ids(client, q=q) == _ranked(records, q)


def test_web_articles_without_q_lists_the_newest_first(client: TestClient, records: list[ArticleRecord]) -> None:
    assert _ids(client) == _ranked(records, "")
    assert _ids(client, q="  ") == _ranked(records, "")


def test_web_articles_filters_by_outlet_days_actor_and_event_type(client: TestClient, records: list[ArticleRecord]) -> None:
    def expect(keep: Callable[[ArticleRecord], bool]) -> list[str]:
        return [i for i in _ranked(records, "") if keep(next(r for r in records if r.id == i))]

    def day(record: ArticleRecord) -> date:
        moment = _published(record)
        return moment.date() if moment else date.min

    wire = expect(lambda r: r.outlet == "Meridian Wire")
    assert _ids(client, outlet="Meridian Wire") == wire and len(wire) == 2
    assert _ids(client, **{"from": "2026-05-01"}) == expect(lambda r: day(r) >= date(2026, 5, 1))
    assert _ids(client, to="2026-03-11") == expect(lambda r: date.min < day(r) <= date(2026, 3, 11))
    assert _ids(client, **{"from": "2026-03-11", "to": "2026-03-11", "outlet": "The Morland Standard"}) == [records[4].id]
    assert _ids(client, actor="hamas") == expect(lambda r: any(a.id == "hamas" for a in r.actors))
    for kind in {e.type for r in records for e in r.events}:
        assert _ids(client, type=kind) == expect(lambda r: any(e.type == kind for e in r.events)), kind
    assert _ids(client, q="hamas", outlet="", type="", actor="") == _ranked(records, "hamas")  # blank fields: no filter


def test_web_articles_pages_and_refuses_bad_parameters(client: TestClient, records: list[ArticleRecord]) -> None:
    newest = _ranked(records, "")
    body = client.get("/api/articles", params={"limit": 2, "offset": 1}).json()
    assert [row["id"] for row in body["articles"]] == newest[1:3] and body["total"] == 5 and body["limit"] == 2
    html = client.get("/articles", params={"q": "", "limit": 2, "offset": 2}).text
    assert 'rel="prev" href="http://127.0.0.1/articles?limit=2&amp;offset=0"' in html and 'rel="next" href="http://127.0.0.1/articles?limit=2&amp;offset=4"' in html
    for params in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"type": "HUG"}, {"from": "May"}):
        response = client.get("/api/articles", params=params)
        assert response.status_code == 422 and response.json()["error"]["code"] == "PL225", params


def test_web_articles_page_lists_the_results_with_the_filter_form(client: TestClient, records: list[ArticleRecord]) -> None:
    response = client.get("/articles", params={"q": "cooling", "outlet": "Meridian Wire"})
    assert response.status_code == 200 and "No article matches “cooling” with these filters." in response.text
    html = client.get("/articles", params={"q": "cooling"}).text
    assert f'href="http://127.0.0.1/articles/{records[0].id}"' in html and '<form class="filters" id="article-filters"' in html
    assert 'name="from"' in html and 'name="to"' in html and 'name="actor"' in html and '<option value="ASSAULT">' in html


def test_web_articles_record_is_the_one_the_pipeline_gives(client: TestClient, records: list[ArticleRecord]) -> None:
    for record in records:
        response = client.get(f"/api/articles/{record.id}")
        assert response.status_code == 200
        assert response.json() == record.model_dump(mode="json"), record.source
        assert ArticleRecord.model_validate(response.json()) == record


def test_web_articles_unknown_article_is_a_coded_404(client: TestClient) -> None:
    response = client.get("/api/articles/nope")
    assert response.status_code == 404 and response.json()["error"]["code"] == "PL220"
    assert client.get("/articles/nope").status_code == 404


class TextLayers(HTMLParser):
    """The article text of a page (the data inside div#text) and the characters each item's spans cover."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.open: list[dict[str, str | None]] = []
        self.text = ""
        self.covered: dict[str, set[int]] = defaultdict(set)
        self.classes: dict[str, set[str]] = defaultdict(set)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "div" and found.get("id") == "text":
            self.inside = True
        elif self.inside:
            assert tag == "span", tag
            self.open.append(found)

    def handle_endtag(self, tag: str) -> None:
        if self.inside and tag == "div":
            self.inside = False
        elif self.inside:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.inside:
            return
        for attrs in self.open:
            key = attrs.get("data-item") or f"sentence-{attrs['data-sentence']}"
            self.covered[key].update(range(len(self.text), len(self.text) + len(data)))
            self.classes[key].add(attrs["class"] or "")
        self.text += data


def _layers(html: str) -> TextLayers:
    parser = TextLayers()
    parser.feed(html)
    parser.close()
    return parser


def _chars(*spans: tuple[int, int]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _expected(record: ArticleRecord) -> Iterator[tuple[str, set[int], str]]:
    """Each item of the text: its id, the characters it covers and its span's class."""
    for i, a in enumerate(record.actors):
        yield f"actor-{i}", _chars(*a.mentions, *((e.start, e.end) for e in record.entities if e.actor_id == a.id)), "hl hl-actor"
    for i, p in enumerate(record.places):
        yield f"place-{i}", _chars(*p.mentions, *((e.start, e.end) for e in record.entities if e.place_id == p.id)), "hl hl-place"
    for i, e in enumerate(record.events):
        yield f"event-{i}", _chars(e.trigger), "hl hl-event"
    for i, q in enumerate(record.quotes):
        yield f"quote-{i}", _chars((q.start, q.end)), f"hl hl-quote q-{q.kind}"
    for i, f in enumerate(record.framing):
        if f.start is not None and f.end is not None:
            yield f"framing-{i}", _chars((f.start, f.end)), f"hl hl-framing v-{f.voice}"
    for i, s in enumerate(record.sentences):
        yield f"sentence-{i}", _chars((s.start, s.end)), "sent has-event" if any(e.sentence[0] < s.end and s.start < e.sentence[1] for e in record.events) else "sent"


def test_web_articles_page_highlights_every_layer_in_place(client: TestClient, records: list[ArticleRecord]) -> None:
    seed = records[0]
    html = client.get(f"/articles/{seed.id}").text
    layers = _layers(html)
    assert layers.text == seed.text
    expected = [entry for entry in _expected(seed) if entry[1]]  # an actor without a mention has no span
    assert {kind for kind in LAYERS if any(item.startswith(kind + "-") for item, _, _ in expected)} == set(LAYERS)
    assert set(layers.covered) == {item for item, _, _ in expected}
    for item, chars, classes in expected:
        assert layers.covered[item] == chars and layers.classes[item] == {classes}, item
    for kind in ("actors", "places", "events", "quotes", "framing"):
        assert f'<input type="checkbox" id="toggle-{kind}" data-layer="{kind.rstrip("s")}" checked>' in html
    assert '<div id="detail"' in html and '<div id="heat"' in html


def test_web_articles_page_has_the_panels_and_their_details(client: TestClient, records: list[ArticleRecord]) -> None:
    seed = records[0]
    html = client.get(f"/articles/{seed.id}").text
    event = seed.events[0]
    inside = " ".join(str(i) for i, s in enumerate(seed.sentences) if s.start < event.sentence[1] and event.sentence[0] < s.end)
    assert f'<li class="entry" id="event-{event.id}" data-item="event-0" data-sentences="{inside}">' in html
    assert len(re.findall(r'<li class="entry" id="event-[^"]*" data-item="event-\d+"', html)) == len(seed.events)
    assert len(re.findall(r'<li class="entry[^"]*" data-item="quote-\d+"', html)) == len(seed.quotes)
    assert len(re.findall(r'<li class="entry[^"]*" data-item="framing-\d+"', html)) == len(seed.framing)
    assert len(re.findall(r'<a class="cell b\d entry"', html)) == len(seed.sentences) == sum(s.bias is not None for s in seed.sentences)
    assert f'<dd class="trigger">{seed.text[event.trigger[0]:event.trigger[1]]}</dd>' in html
    for source in seed.sources:
        assert f'<a href="http://127.0.0.1/actors/{source.speaker}">{source.name}</a>' in html


def _hostile() -> ArticleRecord:
    """A record whose every text field is an attack, with a span of every layer over the attacks."""
    text = HOSTILE_TEXT
    img = (text.index("<img"), text.index(">") + 1)
    quote = (text.index('"'), text.rindex('"') + 1)
    script = (text.index("<script>"), text.index("</script>") + 9)
    said = (text.index("said"), text.index("said") + 4)
    cairo = (text.index("<b>"), text.index("</b>") + 4)
    evil = 'x" onmouseover="alert(1)'
    return ArticleRecord(
        id="h0stile", source="<script>alert(0)</script>", title="<script>alert(1)</script>", url="javascript:alert(1)",
        outlet="<b>Outlet</b>", author='"><svg onload=alert(1)>', published="2026-01-02", lang="en", text=text,
        entities=[Entity(start=img[0], end=img[1], text=text[img[0]:img[1]], label="ORG", actor_id=evil)],
        actors=[Actor(id=evil, name="<script>alert(3)</script>", kind="<i>org</i>", aliases=["</textarea>"], mentions=[img])],
        places=[Place(id="p/<1>", name="<img src=y onerror=alert(4)>", mentions=[cairo])],
        events=[Event(id='e"0', type="ACCUSE", cameo="112", source=evil, target="nobody<", trigger=said, sentence=(0, len(text)), confidence=0.5)],
        quotes=[Quote(start=quote[0], end=quote[1], text=text[quote[0]:quote[1]], kind="direct", speaker=evil, cue="<said>")],
        sources=[Source(speaker="s/1", name="<script>alert(5)</script>", quotes=1, words=3, direct=1, relayed=0, second_hand_only=False)],
        framing=[Framing(kind="loaded_term", start=script[0], end=script[1], text="<script>", note="<img src=z onerror=alert(6)>", technique="</template>")],
        sentences=[Sentence(start=0, end=len(text), bias=0.97)],
        warnings=["<iframe src=javascript:alert(7)>"],
    )


class Markup(HTMLParser):
    """Every element of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def _assert_inert(html: str) -> None:
    """No element, attribute or link of the page came from the data: one script (ours), no handler, no javascript: link."""
    parser = Markup()
    parser.feed(html)
    tags = {tag for tag, _ in parser.elements}
    assert not tags & {"img", "svg", "iframe", "textarea", "b", "i", "said"}
    assert [attrs for tag, attrs in parser.elements if tag == "script"] == [{"src": "http://127.0.0.1/static/presslens.js", "defer": None}]
    for _, attrs in parser.elements:
        assert not [name for name in attrs if name.startswith("on")], attrs
        assert not [v for v in attrs.values() if v and v.strip().lower().startswith(("javascript:", "data:"))], attrs
    assert "<script>alert" not in html and "<img" not in html and "</textarea>" not in html


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("hostile") / "h.duckdb"
    store = Store(db)
    run = store.start_run("test", model="model", config_hash="cfg", version="0", spacy_version="3.8.0", model_version="3.8.1")
    assert store.upsert([_hostile()], run, "cfg") == 1
    return TestClient(base_url="http://127.0.0.1", app=create_app(db))


def test_web_articles_hostile_record_is_escaped_on_its_page(hostile_client: TestClient) -> None:
    record = _hostile()
    response = hostile_client.get(f"/articles/{record.id}")
    assert response.status_code == 200
    html = response.text
    _assert_inert(html)
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert '<dd class="url"><span class="muted">javascript:alert(1)</span></dd>' in html
    assert 'href="http://127.0.0.1/actors/x&#34; onmouseover=&#34;alert(1)"' in html
    assert "<tr><td>&lt;script&gt;alert(5)&lt;/script&gt;</td>" in html  # an id with a slash has no page: no link
    layers = _layers(html)
    assert layers.text == HOSTILE_TEXT and set(layers.covered) == {"actor-0", "place-0", "event-0", "quote-0", "framing-0", "sentence-0"}
    assert hostile_client.get(f"/api/articles/{record.id}").json() == record.model_dump(mode="json")


def test_web_articles_hostile_record_is_escaped_in_the_results(hostile_client: TestClient) -> None:
    for q in ("alert", "<script>", "onerror"):
        response = hostile_client.get("/articles", params={"q": q})
        assert response.status_code == 200 and 'href="http://127.0.0.1/articles/h0stile"' in response.text, q
        _assert_inert(response.text)
    assert [row["id"] for row in hostile_client.get("/api/articles", params={"q": "<script>alert(3)"}).json()["articles"]] == ["h0stile"]


def test_web_articles_render_nests_crossing_spans_and_escapes_every_piece() -> None:
    a = Mark(0, 4, 1, (("class", "a"),), anchor="first")
    b = Mark(2, 6, 1, (("data-item", 'b"<'),))
    outer = Mark(0, 6, 0, (("class", "s"),))
    assert render("ab<&ef", [b, a]) == '<span id="first" class="a">ab<span data-item="b&#34;&lt;">&lt;&amp;</span></span><span data-item="b&#34;&lt;">ef</span>'
    assert render("ab<&ef", [a, outer]) == '<span class="s"><span id="first" class="a">ab&lt;&amp;</span>ef</span>'
    assert render("ab", [Mark(-3, 99, 0, ()), Mark(1, 1, 0, (("class", "empty"),)), Mark(5, 9, 0, (("class", "out"),))]) == "<span>ab</span>"
    assert render("abcdef", [Mark(0, 4, 1, (), anchor="x"), Mark(2, 6, 0, ())]) == '<span id="x">ab</span><span><span>cd</span>ef</span>'
    assert render("<x>", []) == "&lt;x&gt;" and render("", [a]) == ""


def test_web_articles_links_only_web_addresses_and_shades_bias() -> None:
    urls = ("https://a.example/x?y=1", "HTTP://a.example", " javascript:alert(1)", "JavaScript:x", "data:text/html,x", "//a.example", "https:///x", "", None, "http://[::1")
    assert [web_link(u) for u in urls] == ["https://a.example/x?y=1", "HTTP://a.example", None, None, None, None, None, None, None, None]
    assert [shade(b) for b in (None, 0.0, 0.09, 0.1, 0.55, 0.9, 1.0)] == ["bn", "b0", "b0", "b1", "b5", "b9", "b9"]
