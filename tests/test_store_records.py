from __future__ import annotations

from pathlib import Path

import duckdb

from presslens.pipeline import Pipeline
from presslens.record.models import Actor, ArticleRecord, Entity, Event, Framing, Place, Quote, Sentence, Source
from presslens.settings import QuerySettings
from presslens.store import Store
from presslens.store.readonly import read_only
from presslens.store.records import read_record, read_records

from .conftest import SAMPLES

LIMITS = QuerySettings(timeout_s=30.0, max_rows=100, memory_limit="500MB", threads=1)
VERSIONS = {"version": "0", "spacy_version": "3.8.0", "model_version": "3.8.1"}


def _stored(db: Path, records: list[ArticleRecord]) -> Path:
    store = Store(db)
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    assert store.upsert(records, run, "cfg") == len(records)
    return db


def _record(article_id: str, published: str | None) -> ArticleRecord:
    """A record with a row in every child table and unusual values (a None span, a bias, a date only)."""
    text = 'Hamas said "we agree" in Cairo.'
    return ArticleRecord(
        id=article_id, source=f"{article_id}.txt", title="Talks", published=published, lang="en", text=text,
        entities=[Entity(start=0, end=5, text="Hamas", label="ORG", sentence=0, actor_id="hamas"), Entity(start=25, end=30, text="Cairo", label="GPE", place_id="p1")],
        actors=[Actor(id="hamas", name="Hamas", kind="ORG", country="PSE", cameo="PSEREB", aliases=["the movement"], mentions=[(0, 5)])],
        places=[Place(id="p1", name="Cairo", geonameid=360630, lat=30.06, lon=31.25, country="EGY", mentions=[(25, 30)])],
        events=[Event(id="e1", type="AGREE", cameo="030", source="hamas", place="p1", trigger=(6, 10), sentence=(0, 31), confidence=0.75)],
        quotes=[Quote(start=12, end=20, text="we agree", kind="direct", speaker="hamas", speaker_span=(0, 5), cue="said"), Quote(start=0, end=31, text=text, kind="indirect")],
        sources=[Source(speaker="hamas", name="Hamas", quotes=1, words=2, direct=1, relayed=0, second_hand_only=False)],
        framing=[Framing(kind="sourcing", note="one source"), Framing(kind="scare_quote", start=11, end=21, text='"we agree"', voice="quoted")],
        sentences=[Sentence(start=0, end=31, bias=0.25)],
        warnings=["w1", "w2"],
    )


def test_store_records_every_sample_reads_back_exactly(tmp_path: Path, pipeline: Pipeline) -> None:
    records = [o for o in pipeline.analyze(pipeline.read([str(SAMPLES)])) if isinstance(o, ArticleRecord)]
    assert len(records) == 11 and {r.published for r in records} >= {None, "2026-03-11", "2026-06-11T07:20:00+03:00"}
    db = _stored(tmp_path / "p.duckdb", records)
    with read_only(db, LIMITS) as con:
        for record in records:
            assert read_record(con, record.id) == record, record.source
        assert list(read_records(con, [r.id for r in reversed(records)]).values()) == records[::-1]


def test_store_records_keep_the_published_text_and_every_child_row(tmp_path: Path) -> None:
    records = [_record("d", "2024-05-01"), _record("t", "2024-05-01T10:00:00+02:00"), _record("n", None)]
    db = _stored(tmp_path / "p.duckdb", records)
    with read_only(db, LIMITS) as con:
        assert [read_record(con, r.id) for r in records] == records
        assert read_record(con, "missing") is None
        assert list(read_records(con, ["n", "missing", "d"])) == ["n", "d"]
        assert con.execute("SELECT id, strftime(published, '%H:%M') FROM articles ORDER BY id").fetchall() == [("d", "00:00"), ("n", None), ("t", "08:00")]


def test_store_records_of_older_files_read_their_published_time(tmp_path: Path) -> None:
    """A row stored before the ISO text was kept gives its UTC time; a VARCHAR file's text is kept when retyped."""
    db = _stored(tmp_path / "p.duckdb", [_record("t", "2024-05-01T10:00:00+02:00")])
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE articles SET published_iso = NULL")
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as con:
        con.execute('CREATE TABLE articles ("id" VARCHAR PRIMARY KEY, published VARCHAR, "text" VARCHAR)')
        con.execute("INSERT INTO articles VALUES ('o', '2024-05-01T10:00:00+02:00', 'x')")
    Store(old).counts()  # adds the columns and retypes published
    with read_only(db, LIMITS) as con:
        record = read_record(con, "t")
        assert record is not None and record.published == "2024-05-01T08:00:00+00:00"
    with read_only(old, LIMITS) as con:
        assert read_record(con, "o") == ArticleRecord(id="o", text="x", published="2024-05-01T10:00:00+02:00")
