"""The web UI in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a real server.

Flows a reader follows: search from the overview to the seed article, toggle a layer, select an event
and read its details, download the events as CSV; every page loads without a console error, a failed
request or a CSP violation; the hostile article runs none of its scripts anywhere. The test run also
saves the README's screenshot of the seed article page (docs/article-page.png).
"""

from __future__ import annotations

import csv
import io
import os
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from .conftest import ROOT
from .web_support import (
    HOSTILE_OUTLET,
    HOSTILE_PAYLOADS,
    HOSTILE_TITLE,
    HOSTILE_URL,
    HOSTILE_WORD,
    LiveServer,
    hostile_id,  # noqa: F401 (fixture)
    hostile_record,
    live,  # noqa: F401 (fixture)
    seed_id,  # noqa: F401 (fixture)
    web_db,  # noqa: F401 (fixture)
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Response, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "article-page.png"
VIEWPORT: ViewportSize = {"width": 1400, "height": 1400}
TRANSPARENT = "rgba(0, 0, 0, 0)"
LAYERS = [("actor", "actors"), ("place", "places"), ("event", "events"), ("quote", "quotes"), ("framing", "framing")]
# Reports every CSP violation on the console, where the watcher sees it (Chromium logs most of them itself too).
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium); Playwright's own browsers are never downloaded",
)


@dataclass
class Watch:
    """What a page did that it should not: console errors, uncaught exceptions, failed requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Listen to ``page`` (dialogs are recorded and dismissed)."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: self.errors.append(f"request failed: {request.url} ({request.failure})"))
        page.on("response", self._response)
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"console {message.type}: {message.text} ({message.location.get('url')})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_clean(self) -> None:
        """No error and no dialog so far."""
        assert self.errors == [] and self.dialogs == [], (self.errors, self.dialogs)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium (the system's; --no-sandbox, as CI runs as root)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install chromium (CI is set, so this is a failure)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A fresh page, 1400 px wide, watched; downloads accepted."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, accept_downloads=True)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch.attach(page)
    yield page
    context.close()


@pytest.fixture(scope="module")
def seed(live: LiveServer, seed_id: str) -> dict[str, Any]:
    """The seed article's record, from the API."""
    return httpx.get(f"{live.url}/api/articles/{seed_id}", timeout=30).json()  # type: ignore[no-any-return]


def goto(page: Page, url: str) -> None:
    """Open ``url`` and wait until its requests are done; it must answer 200."""
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url


def styles(page: Page, selector: str, *properties: str) -> list[tuple[str, ...]]:
    """The computed values of ``properties`` of every element matching ``selector``."""
    script = "(els, props) => els.map(e => { const s = getComputedStyle(e); return props.map(p => s.getPropertyValue(p)); })"
    return [tuple(values) for values in page.eval_on_selector_all(selector, script, list(properties))]


def classes(page: Page, selector: str) -> list[str]:
    """The class names of the first element matching ``selector``."""
    return str(page.get_attribute(selector, "class") or "").split()


def sentence_of(record: dict[str, Any], offset: int) -> int:
    """The index of the sentence of ``record`` that holds character ``offset``."""
    return next(i for i, s in enumerate(record["sentences"]) if s["start"] <= offset < s["end"])


def plain_events(page: Page, record: dict[str, Any]) -> list[int]:
    """Indices of the events whose trigger is theirs alone and whose highlight holds no other item (a click on it hits it)."""
    triggers = [tuple(e["trigger"]) for e in record["events"]]
    alone = [i for i, t in enumerate(triggers) if triggers.count(t) == 1]
    script = "(items) => items.filter(i => { const e = document.querySelector(`#text .hl-event[data-item='event-${i}']`); return e && !e.querySelector('[data-item]'); })"
    return [int(i) for i in page.evaluate(script, alone)]


def test_web_browser_search_from_overview_reaches_the_seed_article(page: Page, watch: Watch, live: LiveServer, seed_id: str) -> None:
    goto(page, f"{live.url}/")
    page.fill("form.big-search input[name=q]", "Haniyeh")
    page.press("form.big-search input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/articles\?q=Haniyeh$"))
    assert page.locator("li.result").count() == 1
    page.click(f"li.result[data-id='{seed_id}'] a.title")
    page.wait_for_url(re.compile(f"/articles/{seed_id}$"))
    assert page.locator("h1").inner_text() == "Hamas leader Ismail Haniyeh"
    assert page.locator("#text").inner_text().startswith("Hamas is refusing to call for the stopping")
    watch.assert_clean()


@pytest.mark.parametrize(("layer", "name"), LAYERS)
def test_web_browser_layer_toggle_hides_and_shows_its_highlights(page: Page, watch: Watch, live: LiveServer, seed_id: str, layer: str, name: str) -> None:
    goto(page, f"{live.url}/articles/{seed_id}")
    highlights = f"#text .hl-{layer}"
    others = ", ".join(f"#text .hl-{other}" for other, _ in LAYERS if other != layer)
    shown = styles(page, highlights, "background-color", "border-bottom-width", "text-decoration-line")
    others_before = styles(page, others, "background-color")
    assert shown and all(background != TRANSPARENT for background, _, _ in shown), shown
    page.uncheck(f"#toggle-{name}")
    hidden = styles(page, highlights, "background-color", "border-bottom-width", "text-decoration-line")
    assert set(hidden) == {(TRANSPARENT, "0px", "none")}, set(hidden)
    assert styles(page, others, "background-color") == others_before  # the other layers stay
    assert page.locator(highlights).count() == len(shown)  # the text itself stays
    page.check(f"#toggle-{name}")
    assert styles(page, highlights, "background-color", "border-bottom-width", "text-decoration-line") == shown
    watch.assert_clean()


def test_web_browser_event_selects_its_sentence_and_shows_its_details(page: Page, watch: Watch, live: LiveServer, seed_id: str, seed: dict[str, Any]) -> None:
    goto(page, f"{live.url}/articles/{seed_id}")
    first, second = plain_events(page, seed)[:2]
    for index, how in ((first, "panel"), (second, "text")):
        event = seed["events"][index]
        trigger = seed["text"][event["trigger"][0] : event["trigger"][1]]
        sentence = sentence_of(seed, event["trigger"][0])
        if how == "panel":
            page.click(f"#panel-events .entry[data-item='event-{index}'] .pick")
        else:
            page.click(f"#text .hl-event[data-item='event-{index}']")
        assert "selected" in classes(page, f"#text [data-sentence='{sentence}']"), (how, index)
        assert "selected" in classes(page, f"#text .hl-event[data-item='event-{index}']")
        assert "selected" in classes(page, f"#panel-events .entry[data-item='event-{index}']")
        selected = page.eval_on_selector_all("#text .sent.selected", "els => els.map(e => e.dataset.sentence)")
        assert selected == [str(sentence)]  # the previous selection is cleared
        assert page.locator("#detail h3").inner_text().startswith(f"Event: {event['type']}")
        assert page.locator("#detail .trigger").inner_text() == trigger
    page.keyboard.press("Escape")
    assert page.locator("#text .selected").count() == 0
    watch.assert_clean()


def test_web_browser_events_table_links_to_the_selected_event(page: Page, watch: Watch, live: LiveServer, seed_id: str, seed: dict[str, Any]) -> None:
    event = seed["events"][2]
    goto(page, f"{live.url}/events?type={event['type']}")
    page.click(f"a.article[href$='/articles/{seed_id}#event-{event['id']}']")
    page.wait_for_url(re.compile(f"/articles/{seed_id}#event-{event['id']}$"))
    page.wait_for_selector("#panel-events .entry.selected")
    assert page.get_attribute("#panel-events .entry.selected", "data-item") == "event-2"
    assert page.locator("#detail h3").inner_text().startswith(f"Event: {event['type']}")
    watch.assert_clean()


@pytest.mark.parametrize("query", ["", "?type=ASSAULT"])
def test_web_browser_events_csv_download_has_every_event(page: Page, watch: Watch, live: LiveServer, web_db: Path, query: str) -> None:
    from presslens.web.routes.events import EventRow

    goto(page, f"{live.url}/events{query}")
    with page.expect_download() as info:
        page.click("a.download[href*='events.csv']")
    download = info.value
    assert download.suggested_filename == "presslens-events.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    total = httpx.get(f"{live.url}/api/events{query}", timeout=30).json()["total"]
    assert rows[0] == list(EventRow.model_fields)
    assert len(rows) - 1 == total == _events_in(web_db, "ASSAULT" if query else None) > 0
    watch.assert_clean()


def _events_in(db: Path, event_type: str | None) -> int:
    """The store's own count of events (of one type)."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        (count,) = con.execute("SELECT count(*) FROM events WHERE type = coalesce(?, type)", [event_type]).fetchone()  # type: ignore[misc]
    return int(count)


def _pages(live: LiveServer, seed_id: str) -> list[str]:
    """One page of every kind (the first actor and place of the seed article for their pages)."""
    seed = httpx.get(f"{live.url}/api/articles/{seed_id}", timeout=30).json()
    return [
        "/",
        "/articles",
        "/articles?q=Haniyeh",
        f"/articles/{seed_id}",
        "/actors",
        f"/actors/{seed['actors'][0]['id']}",
        "/places",
        f"/places/{seed['places'][0]['id']}",
        "/events",
        "/events?type=ASSAULT",
        "/analyze",
        "/docs",
    ]


def test_web_browser_pages_load_without_errors(page: Page, watch: Watch, live: LiveServer, seed_id: str) -> None:
    """Every kind of page: no console error or warning, no uncaught exception, no failed request, no CSP violation."""
    for path in _pages(live, seed_id):
        goto(page, f"{live.url}{path}")
        assert page.evaluate("[...document.scripts].every(s => s.src.startsWith(location.origin + '/static/'))"), path
        assert watch.errors == [], (path, watch.errors)
    watch.assert_clean()


def _click_everything(page: Page) -> None:
    """Click every panel entry, highlight and layer toggle, and press Escape: whatever could run a script."""
    for selector in ("#panels .pick", "#text [data-item]", "#heat .cell", "#layers input"):
        for element in page.locator(selector).all()[:40]:
            element.click(force=True, no_wait_after=True)
    page.keyboard.press("Escape")


def _assert_not_pwned(page: Page, watch: Watch, where: str) -> None:
    """No payload ran: window.__pwned never set, no dialog, no script but presslens's own, no javascript: URL."""
    assert page.evaluate("typeof window.__pwned") == "undefined", where
    assert watch.dialogs == [], (where, watch.dialogs)
    assert page.evaluate("[...document.scripts].every(s => s.src.startsWith(location.origin + '/static/'))"), where
    links = page.evaluate(
        "[...document.querySelectorAll('[href], [src], [action], [formaction]')]"
        ".map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction'))"
        ".filter(v => /^\\s*javascript:/i.test(v))"
    )
    assert links == [], (where, links)


def test_web_browser_hostile_article_page_runs_none_of_its_scripts(page: Page, watch: Watch, live: LiveServer, hostile_id: str) -> None:
    goto(page, f"{live.url}/articles/{hostile_id}")
    _assert_not_pwned(page, watch, "article page after load")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.title() == f"{HOSTILE_TITLE} · presslens"
    meta = dict(zip(page.locator(".article-head dt").all_inner_texts(), page.locator(".article-head dd").all_inner_texts()))
    assert meta["Outlet"] == HOSTILE_OUTLET and meta["URL"] == HOSTILE_URL
    assert page.locator(".article-head dd.url a").count() == 0  # a javascript: URL is shown, never linked
    text = page.locator("#text").text_content() or ""
    assert all(payload in text for payload in HOSTILE_PAYLOADS)
    assert page.locator("#text script, #text img, #text svg, #text a, #text textarea").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the 20,000-character line wraps
    _click_everything(page)
    _assert_not_pwned(page, watch, "article page after clicking around")
    watch.assert_clean()


def test_web_browser_hostile_article_in_lists_runs_none_of_its_scripts(page: Page, watch: Watch, live: LiveServer, hostile_id: str) -> None:
    goto(page, f"{live.url}/articles?q={HOSTILE_WORD}")
    result = page.locator(f"li.result[data-id='{hostile_id}']")
    assert page.locator("li.result").count() == 1
    assert result.locator("a.title").inner_text() == HOSTILE_TITLE
    assert HOSTILE_OUTLET in result.locator(".meta").inner_text()
    _assert_not_pwned(page, watch, "search result")
    page.select_option("#article-filters select[name=outlet]", HOSTILE_OUTLET)
    page.click("#article-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("li.result").count() == 1
    _assert_not_pwned(page, watch, "search filtered by the hostile outlet")
    result.locator("a.title").click()
    page.wait_for_url(re.compile(f"/articles/{hostile_id}$"))
    _assert_not_pwned(page, watch, "article page opened from the result")
    for path in ("/", "/events", "/actors", "/places", "/actors/helen-carter"):
        goto(page, f"{live.url}{path}")
        _assert_not_pwned(page, watch, path)
    goto(page, f"{live.url}/")
    assert HOSTILE_OUTLET in page.locator("main").inner_text()  # the outlets list shows it as text
    watch.assert_clean()


def test_web_browser_hostile_text_pasted_into_analyze_runs_none_of_its_scripts(page: Page, watch: Watch, live: LiveServer) -> None:
    """The same hostile article pasted into /analyze (not stored) opens as an article page that runs nothing."""
    record = hostile_record()
    goto(page, f"{live.url}/analyze")
    page.fill("#text", record["text"])
    page.fill("input[name=title]", record["title"])
    page.fill("input[name=outlet]", record["outlet"])
    with page.expect_navigation(timeout=120_000) as navigation:
        page.click("form.analyze button[type=submit]")
    assert navigation.value is not None and navigation.value.status == 200, page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    _click_everything(page)
    _assert_not_pwned(page, watch, "pasted analysis")
    watch.assert_clean()


def test_web_browser_screenshot_of_the_seed_article(page: Page, watch: Watch, live: LiveServer, seed_id: str, seed: dict[str, Any]) -> None:
    """docs/article-page.png (shown in the README): the top 1400 px of the seed article page with an event selected."""
    goto(page, f"{live.url}/articles/{seed_id}")
    page.click(f"#text .hl-event[data-item='event-{plain_events(page, seed)[2]}']")
    page.evaluate("document.fonts.ready")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False, animations="disabled")
    header = SCREENSHOT.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1400, 1400)
    watch.assert_clean()
