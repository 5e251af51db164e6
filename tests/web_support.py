"""What the web tests share: a real store of the samples plus one hostile article, and a real server over it.

The store is built once per test module by `presslens.run.ingest` (the session pipeline, so the model
loads once per process) from a copy of ``samples/`` and ``hostile.jsonl``, a JSON Lines record whose
title, outlet, url and text carry script injections. The server is Uvicorn running ``create_app(db)``
on a free loopback port in a background thread.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import SAMPLES

if TYPE_CHECKING:
    from fastapi import FastAPI

    from presslens.pipeline import Pipeline
    from presslens.settings import Settings

SEED_FILE = "judean-hamas-cooling-period.txt"
HOSTILE_FILE = "hostile.jsonl"
HOSTILE_ID = "hostile-001"  # the record's id: its source_id in the store
LONG_LINE_CHARS = 20_000
# A word only the hostile article has: its search finds it and nothing else.
HOSTILE_WORD = "Quillmarsh"
HOSTILE_TITLE = "<script>window.__pwned=1</script>"
HOSTILE_OUTLET = '<img src=x onerror="window.__pwned=2">'
HOSTILE_URL = "javascript:window.__pwned=3"
# Each payload sets window.__pwned to its own number, so a failure says which one ran.
HOSTILE_PAYLOADS = (
    "<script>window.__pwned=4</script>",
    "<img src=x onerror=window.__pwned=5>",
    "<svg onload=window.__pwned=6>",
    "</textarea><script>window.__pwned=7</script>",
    '<a href="javascript:window.__pwned=8">click</a>',
)
_HOSTILE_PROSE = (
    f"The town council of {HOSTILE_WORD} met on Monday to discuss the new water treatment plant, which has been delayed for three years.",
    "Mayor Helen Carter said the council would vote on the final budget next week, after residents raised concerns about the cost.",
    "The plant was expected to open in the spring, but engineers found problems with the foundations and the contractor asked for more time.",
    "Local businesses have complained that the roadworks around the site have kept customers away from the high street for months.",
    "A spokesman for the contractor said the company regretted the delay and would pay for repairs to the damaged road.",
    "Residents will be able to comment on the plans at a public meeting in the library on Thursday evening.",
)


def hostile_record() -> dict[str, str]:
    """The hostile JSON Lines record: English prose (so it is analyzed) around every payload, then a 20,000-character line."""
    paragraphs = [
        " ".join(_HOSTILE_PROSE[:3]),
        f"Protesters carried signs reading {HOSTILE_PAYLOADS[0]} and {HOSTILE_PAYLOADS[1]} outside the town hall.",
        " ".join(_HOSTILE_PROSE[3:]),
        f"One banner said {HOSTILE_PAYLOADS[2]} while another said {HOSTILE_PAYLOADS[3]} in large letters.",
        f"The council's website linked to {HOSTILE_PAYLOADS[4]} for more information.",
        "x" * LONG_LINE_CHARS,
    ]
    return {
        "id": HOSTILE_ID,
        "title": HOSTILE_TITLE,
        "outlet": HOSTILE_OUTLET,
        "url": HOSTILE_URL,
        "published": "2026-05-04T09:00:00Z",
        "author": "Test Reporter",
        "text": "\n\n".join(paragraphs),
    }


def write_inputs(folder: Path) -> Path:
    """Copy the samples into ``folder`` and add the hostile record; return the folder."""
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("README.md"))
    (folder / HOSTILE_FILE).write_text(json.dumps(hostile_record()) + "\n", encoding="utf-8")
    return folder


def build_store(folder: Path, pipeline: Pipeline) -> Path:
    """Ingest the samples and the hostile record into ``folder/web.duckdb`` with a loaded pipeline.

    The inputs are read as ``samples/...`` relative to ``folder``, so the stored sources (shown on
    the article page and in its screenshot) name no temporary folder.
    """
    from presslens.run import ingest

    write_inputs(folder / "samples")
    with chdir(folder):
        summary = ingest(["samples"], "web.duckdb", pipeline=pipeline)
    assert summary.status == "completed" and summary.counts["quarantined"] == 0, summary
    return folder / "web.duckdb"


def article_id(db: Path, source_suffix: str) -> str:
    """The id of the one stored article whose source (or source id) ends with ``source_suffix``."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT id FROM articles WHERE ends_with(source, ?) OR source_id = ?", [source_suffix, source_suffix]
        ).fetchall()
    assert len(rows) == 1, (source_suffix, rows)
    return str(rows[0][0])


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout_s: float) -> None:
    """Return once ``host:port`` accepts connections; fail the test after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listened on {host}:{port} within {timeout_s} s")


def web_app(db: Path, settings: Settings | None = None, pipeline: Pipeline | None = None) -> FastAPI:
    """``create_app(db, settings)``, analysing with ``pipeline`` when given (no second model load)."""
    from presslens.web.app import create_app

    app = create_app(db, settings)
    if pipeline is not None:
        app.state.pipeline = pipeline
    return app


@dataclass
class LiveServer:
    """Uvicorn serving one app in a background thread of this process, on a free loopback port."""

    port: int

    @property
    def url(self) -> str:
        """The server's base URL (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    @contextmanager
    def running(cls, app: FastAPI) -> Iterator[LiveServer]:
        """Start the server, yield it once it accepts connections; stop it and join its thread."""
        import uvicorn

        live = cls(free_port())
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=live.port, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, name="presslens-test-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "the test server did not start"
        try:
            yield live
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            assert not thread.is_alive(), "the test server did not stop"


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    """A store of the samples and the hostile article, built once per module."""
    return build_store(tmp_path_factory.mktemp("web"), pipeline)


@pytest.fixture(scope="module")
def live(web_db: Path, pipeline: Pipeline) -> Iterator[LiveServer]:
    """A real server over ``web_db`` for the module (its analyses use the session pipeline)."""
    with LiveServer.running(web_app(web_db, pipeline=pipeline)) as server:
        yield server


@pytest.fixture(scope="module")
def seed_id(web_db: Path) -> str:
    """The stored id of the seed article."""
    return article_id(web_db, SEED_FILE)


@pytest.fixture(scope="module")
def hostile_id(web_db: Path) -> str:
    """The stored id of the hostile article."""
    return article_id(web_db, HOSTILE_ID)


# Word every generated article has (and no sample): its search counts them.
GENERATED_WORD = "Tolvanic"
_FIRST = ("Anna", "Boris", "Clara", "David", "Elena", "Farid", "Greta", "Hugo", "Irene", "Jonas", "Karim", "Lena", "Marco", "Nadia", "Oskar", "Petra")
_LAST = ("Adler", "Brandt", "Costa", "Dumas", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak")
_CITIES = ("Lyon", "Porto", "Graz", "Malmo", "Ghent", "Turin", "Leipzig", "Bergen", "Cork", "Brno", "Utrecht", "Seville")
_FACILITIES = ("hospital", "bridge", "library", "school", "tram line", "water plant", "sports hall", "harbour wall")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def generated_articles(count: int) -> list[dict[str, str]]:
    """``count`` short, distinct English news articles as JSON Lines records (names, places and numbers varied)."""
    records = []
    for i in range(count):
        first, last = _FIRST[i % len(_FIRST)], _LAST[(i // len(_FIRST)) % len(_LAST)]
        rival = f"{_FIRST[(i + 5) % len(_FIRST)]} {_LAST[(i + 3) % len(_LAST)]}"
        city, facility, day = _CITIES[i % len(_CITIES)], _FACILITIES[i % len(_FACILITIES)], _WEEKDAYS[i % len(_WEEKDAYS)]
        text = (
            f"The city council of {city} approved a plan worth {10 + i % 90} million euros on {day} to build a new {facility} "
            f"under the {GENERATED_WORD} programme. Mayor {first} {last} said the {facility} would serve {1000 + i} families "
            f"and open within {2 + i % 5} years. \"This is the most important decision of this council,\" {last} told reporters. "
            f"Opposition leader {rival} criticised the plan and said the money should go to schools instead. "
            f"Police said {i % 40} protesters gathered outside the town hall during the vote."
        )
        records.append({
            "id": f"generated-{i:04d}",
            "title": f"{city} approves {facility} plan for {1000 + i} families",
            "outlet": f"{city} Daily",
            "published": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "text": text,
        })
    return records


def with_web(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with some ``[web]`` values changed (a small body limit, a short lock wait)."""
    return dataclasses.replace(settings, web=settings.web.model_copy(update=changes))


def parse_csp(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive -> sources."""
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


class _Tags(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of ``html`` (the markup, not the text: escaped ``&lt;script&gt;`` is text) with its attributes."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def csp_offences(html: str) -> list[str]:
    """What a strict CSP (``script-src 'self'; style-src 'self'``) would block in a page: inline script, inline style, handlers."""
    found = []
    for tag, attrs in tags(html):
        if tag == "script" and "src" not in attrs:
            found.append("inline <script>")
        if tag == "style":
            found.append("<style> element")
        found += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on") or name == "style"]
        found += [f"<{tag} {name}={value!r}>" for name, value in attrs.items() if value.strip().lower().startswith("javascript:")]
    return found
