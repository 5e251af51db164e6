"""Benchmark the web server's read paths on a store of 10,000 articles: search, the events table, the article page, the overview.

The store is synthetic: ``ArticleRecord`` objects generated here (actors, places, events, quotes,
sources, framing and sentences, every span valid in its text) and written directly through
``presslens.store.Store``, not analyzed by spaCy, so that 10,000 articles take seconds rather than
an hour. What is timed is the server reading the store, which depends on how many rows the tables
hold and not on how good the analysis is. The app runs in-process behind Starlette's TestClient (no
sockets): the times are routing, the DuckDB queries (one read-only connection per request),
templating and JSON. Each endpoint is requested ``--warmup`` times untimed, then ``--requests``
times; the table gives the median and 90th percentile in milliseconds, and the JSON (machine, store
size, every endpoint's times) goes to ``out/bench/web.json``. Run it from the repository root as
``.venv/bin/python bench/web.py`` (``--articles 2000`` for a quick run, ``--db FILE`` to keep the store and reuse it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import tempfile
import time
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

from presslens._version import __version__
from presslens.nlp.outputs import PloverType
from presslens.record.models import Actor, ArticleRecord, Entity, Event, Framing, Place, Quote, Sentence, Source
from presslens.store import Store
from presslens.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "out" / "bench" / "web.json"
SEED = 14
TYPES: list[str] = list(typing.get_args(PloverType))
CAMEO = {t: f"{(i + 1) * 12 % 200:03d}" for i, t in enumerate(TYPES)}
FIRST = ["Anna", "Boris", "Clara", "David", "Elena", "Farid", "Greta", "Hugo", "Irene", "Jonas", "Karim", "Lena", "Marco", "Nadia", "Oskar", "Petra", "Rafael", "Sofia", "Tomas", "Yusuf"]
LAST = ["Adler", "Brandt", "Costa", "Dumas", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor"]
COUNTRIES = ["FRA", "DEU", "ITA", "ESP", "POL", "SWE", "NLD", "BEL", "AUT", "CZE", "PRT", "GRC"]
CITIES = ["Lyon", "Porto", "Graz", "Malmo", "Ghent", "Turin", "Leipzig", "Bergen", "Cork", "Brno", "Utrecht", "Seville", "Patras", "Krakow", "Aarhus", "Linz"]
TOPICS = ["budget", "bridge", "strike", "election", "flood", "hospital", "border", "tariff", "pipeline", "harbour", "railway", "drought"]
VERBS: dict[PloverType, str] = {"CONSULT": "met", "ACCUSE": "accused", "REJECT": "rejected", "AGREE": "agreed with", "ASSAULT": "attacked", "PROTEST": "protested against", "REQUEST": "asked", "THREATEN": "threatened", "AID": "helped", "SANCTION": "sanctioned"}
OUTLETS = [f"The {city} {kind}" for city in CITIES[:10] for kind in ("Herald", "Courier")]
# What is requested: (endpoint group, path); {article}, {actor} and {country} are filled from the store.
ENDPOINTS = [
    ("search", "/api/articles?q=budget"),
    ("search", "/api/articles?q=harbour+strike"),
    ("search", "/api/articles?q=zzzunmatched"),
    ("search", "/api/articles?q={actor_name}"),
    ("search", "/articles?q=budget"),
    ("events", "/api/events"),
    ("events", "/api/events?type=ASSAULT"),
    ("events", "/api/events?country={country}&from=2025-06-01&to=2025-12-31"),
    ("events", "/api/events?source={actor}"),
    ("events", "/events?type=CONSULT&offset=200"),
    ("article", "/articles/{article}"),
    ("article", "/api/articles/{article}"),
    ("overview", "/"),
    ("overview", "/api/overview"),
]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the synthetic store")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per endpoint first")
    parser.add_argument("--db", type=Path, help="keep the store in this file (reused when it already holds --articles articles)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON results (default: out/bench/web.json)")
    return parser.parse_args(argv)


class Writer:
    """Builds one article's text sentence by sentence, keeping every span it will need."""

    def __init__(self) -> None:
        self.text = ""
        self.sentences: list[Sentence] = []

    def add(self, *parts: str | tuple[str, str]) -> dict[str, tuple[int, int]]:
        """Append one sentence from plain parts and (key, text) parts; return each key's span."""
        start = len(self.text) + (1 if self.text else 0)
        self.text += " " if self.text else ""
        spans = {}
        for part in parts:
            if isinstance(part, tuple):
                key, words = part
                spans[key] = (len(self.text), len(self.text) + len(words))
                self.text += words
            else:
                self.text += part
        self.sentences.append(Sentence(start=start, end=len(self.text), bias=None))
        spans["sentence"] = (start, len(self.text))
        return spans


def actor_pool(rng: random.Random) -> list[Actor]:
    """The actors the articles mention: persons, governments and organisations, each with a country."""
    people = [
        Actor(id=f"{f}-{last}".lower(), name=f"{f} {last}", kind="person", country=rng.choice(COUNTRIES), role="minister")
        for f in FIRST
        for last in LAST[:8]
    ]
    states = [Actor(id=f"government-of-{c.lower()}", name=f"Government of {c}", kind="government", country=c, cameo=f"{c}GOV") for c in COUNTRIES]
    groups = [Actor(id=f"{t}-union", name=f"{t.title()} Workers Union", kind="organization", country=rng.choice(COUNTRIES)) for t in TOPICS]
    return people + states + groups


def synthetic_record(n: int, rng: random.Random, actors: list[Actor]) -> ArticleRecord:
    """Article ``n``: 6 to 12 sentences about one topic in one city, with events between actors, quotes and framing."""
    topic, city = rng.choice(TOPICS), rng.choice(CITIES)
    cast = rng.sample(actors, 4)
    writer = Writer()
    mentions: dict[str, list[tuple[int, int]]] = {a.id: [] for a in cast}
    place_mentions: list[tuple[int, int]] = []
    events: list[Event] = []
    quotes: list[Quote] = []
    framing: list[Framing] = []
    spans = writer.add("The ", ("topic", topic), " dispute in ", ("place", city), f" entered its {n % 50 + 2}th day on Monday.")
    place_mentions.append(spans["place"])
    for i in range(rng.randint(5, 11)):
        source, target = rng.sample(cast, 2)
        kind = rng.choice(list(VERBS))
        if i % 3 == 2:
            said = f"We will not accept this {topic} plan, not in {n % 97 + 3} years"
            spans = writer.add(("quote", f'"{said},"'), " ", ("source", source.name), " said.")
            quotes.append(Quote(start=spans["quote"][0], end=spans["quote"][1], text=said, kind="direct", speaker=source.id, speaker_span=spans["source"], cue="said"))
            mentions[source.id].append(spans["source"])
            continue
        spans = writer.add(("source", source.name), " ", ("trigger", VERBS[kind]), " ", ("target", target.name), " over the ", ("loaded", "reckless"), f" {topic} in ", ("place", city), ".")
        mentions[source.id].append(spans["source"])
        mentions[target.id].append(spans["target"])
        place_mentions.append(spans["place"])
        events.append(
            Event(
                id=f"e{len(events)}", type=kind, cameo=CAMEO[kind], source=source.id, target=target.id, source_cameo=source.cameo,
                target_cameo=target.cameo, place=f"{city.lower()}", trigger=spans["trigger"], sentence=spans["sentence"],
                confidence=round(rng.uniform(0.3, 1.0), 3), fatalities=rng.choice([None, None, None, rng.randint(1, 30)]),
            )
        )  # fmt: skip
        framing.append(Framing(kind="loaded_term", start=spans["loaded"][0], end=spans["loaded"][1], text="reckless", target=target.id))
    text = writer.text + f" (report {n})"
    sentences = [s.model_copy(update={"bias": round(rng.random(), 3)}) for s in writer.sentences]
    used = [a.model_copy(update={"mentions": mentions[a.id]}) for a in cast if mentions[a.id]]
    entities = [
        Entity(start=s, end=e, text=text[s:e], label="PERSON" if a.kind == "person" else "ORG", actor_id=a.id) for a in used for s, e in a.mentions
    ]
    speakers = {q.speaker for q in quotes}
    sources = [
        Source(speaker=a.id, name=a.name, country=a.country, quotes=sum(q.speaker == a.id for q in quotes), words=9 * sum(q.speaker == a.id for q in quotes), direct=sum(q.speaker == a.id for q in quotes), relayed=0, second_hand_only=False)
        for a in used
        if a.id in speakers
    ]  # fmt: skip
    published = datetime(2025, 1, 1) + timedelta(hours=n * 17 % (2 * 365 * 24))
    return ArticleRecord(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        source=f"synthetic:{n}",
        title=f"{city} {topic} dispute: {used[0].name} and {used[-1].name} clash (report {n})",
        outlet=OUTLETS[n % len(OUTLETS)],
        url=f"https://news.example.org/{n}",
        published=published.isoformat(),
        lang="en",
        text=text,
        entities=entities,
        actors=used,
        places=[Place(id=city.lower(), name=city, country=COUNTRIES[CITIES.index(city) % len(COUNTRIES)], lat=45.0, lon=10.0, mentions=place_mentions)],
        events=events,
        quotes=quotes,
        sources=sources,
        framing=framing,
        sentences=sentences,
    )


def build_store(db: Path, articles: int) -> float:
    """Write ``articles`` synthetic records into ``db`` (unless it holds them already); return the seconds it took."""
    if db.exists():
        with duckdb.connect(str(db), read_only=True) as con:
            (count,) = con.execute("SELECT count(*) FROM articles").fetchone()  # type: ignore[misc]
        if count == articles:
            return 0.0
        db.unlink()
    rng = random.Random(SEED)
    actors = actor_pool(rng)
    started = time.perf_counter()
    store = Store(db, batch_size=500)
    run = store.start_run("bench/web.py", model="synthetic", config_hash="synthetic", version=__version__, spacy_version="-", model_version="-")
    store.upsert((synthetic_record(n, rng, actors) for n in range(articles)), run, "synthetic")
    store.finish_run(run, "completed", {"stored": articles}, time.perf_counter() - started)
    return time.perf_counter() - started


def fill(db: Path) -> dict[str, str]:
    """Values for the endpoints' placeholders, read from the store: a mid-store article, a busy actor, a country."""
    with duckdb.connect(str(db), read_only=True) as con:
        (article,) = con.execute("SELECT id FROM articles ORDER BY source LIMIT 1 OFFSET (SELECT count(*) // 2 FROM articles)").fetchone()  # type: ignore[misc]
        actor, name = con.execute("SELECT id, any_value(name) FROM actors GROUP BY id ORDER BY count(*) DESC, id LIMIT 1").fetchone()  # type: ignore[misc]
    return {"article": article, "actor": actor, "actor_name": name.split()[-1], "country": COUNTRIES[0]}


def timed(client: TestClient, path: str, requests: int, warmup: int) -> list[float]:
    """Seconds of each of ``requests`` GETs of ``path`` (after ``warmup`` untimed ones); every answer must be 200."""
    times = []
    for i in range(warmup + requests):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
        if i >= warmup:
            times.append(elapsed)
    return times


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def store_size(db: Path) -> dict[str, int]:
    """Rows per table of the main tables, and the file's size."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "actors", "events", "quotes", "sentences")}  # type: ignore[index]
    return {**rows, "bytes": db.stat().st_size}


def benchmark(args: argparse.Namespace, db: Path) -> dict[str, Any]:
    """Build (or reuse) the store, then time every endpoint."""
    build_s = build_store(db, args.articles)
    values = fill(db)
    results = []
    with TestClient(create_app(db)) as client:
        for group, template in ENDPOINTS:
            path = template.format(**values)
            times = timed(client, path, args.requests, args.warmup)
            results.append({"group": group, "endpoint": template, "path": path, "median_ms": statistics.median(times) * 1000, "p90_ms": percentile(times, 0.9) * 1000, "times_s": times})
    return {
        "machine": {"python": platform.python_version(), "presslens": __version__, "duckdb": duckdb.__version__, "cpus": os.cpu_count(), "date": date.today().isoformat()},
        "store": {**store_size(db), "build_seconds": build_s},
        "requests": args.requests,
        "warmup": args.warmup,
        "endpoints": results,
    }


def render(result: dict[str, Any]) -> None:
    """Print the store line and a table of every endpoint's median and 90th percentile."""
    console = Console()
    console.width = max(console.width, 110)
    store, info = result["store"], result["machine"]
    console.print(
        f"Python {info['python']} | DuckDB {info['duckdb']} | CPUs {info['cpus']} | {info['date']} | store: {store['articles']:,} articles, "
        f"{store['events']:,} events, {store['actors']:,} actor rows, {store['bytes'] / 2**20:.0f} MiB"
        + (f" (built in {store['build_seconds']:.0f} s)" if store["build_seconds"] else " (reused)")
    )
    table = Table("group", "endpoint", "median ms", "p90 ms", title=f"{result['requests']} requests each, after {result['warmup']} untimed")
    for col in table.columns[2:]:
        col.justify = "right"
    for row in result["endpoints"]:
        table.add_row(row["group"], row["endpoint"], f"{row['median_ms']:.1f}", f"{row['p90_ms']:.1f}")
    console.print(table)


@contextmanager
def store_file(args: argparse.Namespace) -> Iterator[Path]:
    """The store's file: ``--db``, or one in a temporary folder removed afterwards."""
    if args.db:
        yield args.db
        return
    with tempfile.TemporaryDirectory(prefix="presslens-bench-web-") as folder:
        yield Path(folder) / "web.duckdb"


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: benchmark, print the table, write the JSON."""
    args = parse_args(argv)
    with store_file(args) as db:
        result = benchmark(args, db)
    render(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    Console().print(f"results written to {args.out}")


if __name__ == "__main__":
    main()
