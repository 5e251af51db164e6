from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from presslens.errors import UsageError
from presslens.ingest.raw import Quarantined
from presslens.record.models import ArticleRecord, Entity, Sentence
from presslens.settings import QuerySettings
from presslens.store import Store, export, query
from presslens.store.readonly import to_json

VERSIONS = {"version": "0", "spacy_version": "3.8.0", "model_version": "3.8.1"}
SHORT_WAIT = QuerySettings(timeout_s=0.3, max_rows=100, memory_limit="500MB", threads=1)  # waits 0.3 s for a writer


def _record(article_id: str, text: str = "Hamas met Egypt.", source: str | None = None) -> ArticleRecord:
    return ArticleRecord(
        id=article_id,
        source=source,
        text=text,
        lang="en",
        entities=[Entity(start=0, end=5, text="Hamas", label="ORG"), Entity(start=10, end=15, text="Egypt", label="GPE")],
        sentences=[Sentence(start=0, end=len(text))],
        warnings=["w1"],
    )


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    store = Store(tmp_path / "t.duckdb")
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    store.upsert([_record("a"), _record("b")], run, "cfg")
    store.quarantine([Quarantined(source="bad.txt", code="PL101", reason="empty input")], run)
    store.finish_run(run, "completed", {"stored": 2, "quarantined": 1}, 0.5)
    return tmp_path / "t.duckdb"


def test_store_upsert_twice_keeps_one_copy(db: Path) -> None:
    store = Store(db)
    run = store.start_run("again", model="model", config_hash="cfg", **VERSIONS)
    store.upsert([_record("a"), _record("b")], run, "cfg")
    store.quarantine([Quarantined(source="bad.txt", code="PL101", reason="empty input")], run)
    assert store.counts() == {
        "articles": 2, "entities": 4, "sentences": 2, "actors": 0, "places": 0, "events": 0,
        "quotes": 0, "sources": 0, "framing": 0, "runs": 2, "quarantine": 1,
    }
    assert store.stored_ids("cfg") == {"a", "b"} and store.stored_ids("other-config") == set()


def test_store_rows_name_their_run_and_roundtrip_nested_types(db: Path) -> None:
    names, rows = query(db, "SELECT a.id, a.warnings, e.text, e.run_id = r.run_id FROM articles a JOIN entities e ON e.article_id = a.id JOIN runs r ON true WHERE a.id = 'a' ORDER BY e.idx")
    assert names == ["id", "warnings", "text", "(e.run_id = r.run_id)"]
    assert rows == [("a", ["w1"], "Hamas", True), ("a", ["w1"], "Egypt", True)]
    assert query(db, "SELECT status, articles, quarantined FROM runs")[1] == [("completed", 2, 1)]


def test_store_run_row_names_the_spacy_and_model_versions(db: Path) -> None:
    rows = query(db, "SELECT presslens_version, model, spacy_version, model_version FROM runs")[1]
    assert rows == [("0", "model", "3.8.0", "3.8.1")]


def test_store_adds_new_record_fields_to_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE actors (article_id VARCHAR NOT NULL, idx INTEGER NOT NULL, id VARCHAR, name VARCHAR)")
    store = Store(path)
    store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    names = [row[0] for row in query(path, "SELECT column_name FROM (DESCRIBE actors)")[1]]
    assert names[:4] == ["article_id", "idx", "id", "name"] and {"kind", "cameo", "role", "mentions", "run_id"} <= set(names)


def _quarantined(db: Path) -> list[tuple[str, str, str]]:
    return query(db, "SELECT source, code, reason FROM quarantine ORDER BY source, code")[1]


def test_store_quarantine_keeps_one_row_per_source_and_code(db: Path) -> None:
    store = Store(db)
    run = store.start_run("again", model="model", config_hash="cfg", **VERSIONS)
    store.quarantine([
        Quarantined(source="bad.txt", code="PL101", reason="empty again"),
        Quarantined(source="bad.txt", code="PL103", reason="undecodable"),
    ], run)
    assert _quarantined(db) == [("bad.txt", "PL101", "empty again"), ("bad.txt", "PL103", "undecodable")]


def test_store_upsert_clears_the_quarantine_of_its_sources(db: Path) -> None:
    store = Store(db)
    run = store.start_run("fixed", model="model", config_hash="cfg", **VERSIONS)
    store.quarantine([Quarantined(source="other.txt", code="PL105", reason="no article")], run)
    store.upsert([_record("c", source="bad.txt"), _record("d")], run, "cfg")
    assert _quarantined(db) == [("other.txt", "PL105", "no article")]


def test_store_upsert_rolls_back_a_failed_batch_and_quarantines_only_the_failing_record(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from presslens.store import duck

    insert = duck._insert

    def failing(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], replace: bool = False) -> None:
        if any(row.get("id") == "c" for row in rows):
            raise ZeroDivisionError("division by zero")
        insert(con, table, rows, replace)

    monkeypatch.setattr(duck, "_insert", failing)
    failed: list[Quarantined] = []
    store = Store(db)
    stored = store.upsert([_record("c", source="bad.txt"), _record("d", source="d.txt")], "run", "cfg", on_failure=failed.append)
    assert stored == 1 and [(q.source, q.code) for q in failed] == [("bad.txt", "PL304")]
    assert failed[0].reason == "storing failed: ZeroDivisionError: division by zero"
    assert failed[0].excerpt == "Hamas met Egypt."
    # the failed batch's quarantine delete was rolled back; the record that could be stored was
    assert _quarantined(db) == [("bad.txt", "PL101", "empty input"), ("bad.txt", "PL304", "storing failed: ZeroDivisionError: division by zero")]
    assert query(db, "SELECT id FROM articles ORDER BY id")[1] == [("a",), ("b",), ("d",)]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM articles",
        "INSERT INTO articles (id, text) VALUES ('x', 'y')",
        "DROP TABLE articles",
        "SELECT 1; DELETE FROM articles",
        "COPY articles TO '/tmp/presslens-leak.csv'",
        "ATTACH ':memory:' AS other",
    ],
)
def test_store_query_refuses_writes(db: Path, sql: str) -> None:
    with pytest.raises(UsageError) as info:
        query(db, sql)
    assert info.value.code == "PL202"
    assert duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM articles").fetchone() == (2,)


def test_store_query_cannot_read_files(db: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(UsageError) as info:
        query(db, f"SELECT * FROM read_csv('{secret}')")
    assert info.value.code == "PL204"


def test_store_query_on_missing_db_tells_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        query(tmp_path / "none.duckdb", "SELECT 1")
    assert info.value.code == "PL207" and "presslens ingest" in str(info.value)


def test_store_export_parquet_csv_jsonl(db: Path, tmp_path: Path) -> None:
    assert export(db, "entities", "parquet", tmp_path / "e.parquet") == 4
    assert pq.read_table(tmp_path / "e.parquet").column("text").to_pylist() == ["Hamas", "Egypt", "Hamas", "Egypt"]
    assert export(db, "articles", "csv", tmp_path / "a.csv") == 2
    assert (tmp_path / "a.csv").read_text().splitlines()[0].startswith("id,source,source_id,title")
    assert export(db, "quarantine", "jsonl", tmp_path / "q.jsonl") == 1
    (line,) = (tmp_path / "q.jsonl").read_text().splitlines()
    assert json.loads(line)["code"] == "PL101"


def test_store_export_unknown_table(db: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        export(db, "articles; DROP TABLE runs", "csv", tmp_path / "x.csv")
    assert info.value.code == "PL203"


@pytest.mark.parametrize("target", ["missing-dir/x.parquet", "."])
def test_store_export_to_an_unwritable_path(db: Path, tmp_path: Path, target: str) -> None:
    with pytest.raises(UsageError) as info:
        export(db, "runs", "parquet", tmp_path / target)
    assert info.value.code == "PL210" and str(tmp_path / target) in str(info.value)


@pytest.fixture()
def locked(db: Path) -> Iterator[Path]:
    """The database while another process holds its write lock."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    yield db
    holder.communicate("")


@pytest.mark.parametrize(
    "open_db",
    [
        lambda db: query(db, "SELECT 1", SHORT_WAIT),
        lambda db: export(db, "runs", "csv", db.with_suffix(".csv"), SHORT_WAIT),
        lambda db: Store(db, lock_timeout_s=0.3).start_run("test", model="model", config_hash="cfg", **VERSIONS),
    ],
    ids=["query", "export", "store"],
)
def test_store_a_database_locked_past_the_wait_is_a_usage_error(locked: Path, open_db: Any) -> None:
    with pytest.raises(UsageError) as info:
        open_db(locked)
    assert info.value.code == "PL209" and "stayed locked by another connection" in str(info.value)
    assert "more than 0.3 s; retry when" in str(info.value)


def test_store_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# notes\n")
    with pytest.raises(UsageError) as info:
        Store(readme).counts()
    assert info.value.code == "PL209" and "not a valid DuckDB database file" in str(info.value)
    assert readme.read_text() == "# notes\n"


def test_store_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        Store(tmp_path / "missing" / "x.duckdb").counts()
    assert info.value.code == "PL209" and "No such file or directory" in str(info.value)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("DATE '2024-03-05'", "2024-03-05"),
        ("TIME '08:30:00.5'", "08:30:00.500000"),
        ("TIMESTAMP '2024-03-05 08:30:00'", "2024-03-05T08:30:00"),
        ("TIMESTAMPTZ '2024-03-05 08:30:00+00'", "2024-03-05T08:30:00Z"),
        ("1.50", "1.50"),  # DECIMAL(3,2): a string, so every digit survives
        ("12345678901234567890.123::DECIMAL(38,3)", "12345678901234567890.123"),
        ("'5f1c3a7e-1b2d-4c3e-9f4a-0123456789ab'::UUID", "5f1c3a7e-1b2d-4c3e-9f4a-0123456789ab"),
        ("INTERVAL '1 day 2 hours 3.5 seconds'", "P1DT2H3.5S"),
        ("INTERVAL '-90 minutes'", "-PT1H30M"),
        ("'\\xAA\\x00ab'::BLOB", "aa006162"),  # hex
        ("'nan'::DOUBLE", None),
        ("[DATE '2024-03-05']", ["2024-03-05"]),
        ("{'price': 1.5, 'on': DATE '2024-03-05'}", {"price": "1.5", "on": "2024-03-05"}),
        ("'text'", "text"),
        ("42", 42),
    ],
)
def test_store_to_json(sql: str, expected: Any) -> None:
    ((value,),) = duckdb.connect().execute(f"SELECT {sql}").fetchall()
    assert to_json(value) == expected
    json.dumps(to_json(value), allow_nan=False)


def test_store_upsert_streams_a_generator_in_committed_batches(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb", batch_size=2)
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    seen: list[str] = []

    def records() -> Iterator[ArticleRecord]:
        for n in range(5):
            seen.append(f"r{n}")
            yield _record(f"r{n}")
            if n == 2:  # the first batch (r0, r1) is committed, and the file free to read, before r3 is even produced
                assert query(store.path, "SELECT count(*) FROM articles")[1] == [(2,)]

    assert store.upsert(records(), run, "cfg") == 5
    assert seen == ["r0", "r1", "r2", "r3", "r4"] and store.counts()["articles"] == 5
    assert store.quarantine((Quarantined(source=f"q{n}", code="PL101", reason="empty") for n in range(3)), run) == 3


def test_store_replaces_nul_and_lone_surrogates_in_every_string(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    store = Store(db)
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    record = _record("s", text="Hamas\x00met Egypt \ud800.", source="s\ud800.jsonl:1")
    record.title = "Bad \ud800 title"
    record.warnings = ["w\x00"]
    assert store.upsert([record], run, "cfg") == 1
    assert store.quarantine([Quarantined(source="q.jsonl:2", code="PL109", reason="too short \ud800", excerpt="too short \ud800\x00")], run) == 1
    assert query(db, "SELECT id, source, title, text, warnings FROM articles")[1] == [
        ("s", "s\ufffd.jsonl:1", "Bad \ufffd title", "Hamas\ufffdmet Egypt \ufffd.", ["w\ufffd"])
    ]
    assert query(db, "SELECT reason, excerpt FROM quarantine")[1] == [("too short \ufffd", "too short \ufffd\ufffd")]


def test_store_published_is_a_utc_timestamp(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    store = Store(db)
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    dates = {"d": "2024-03-05", "t": "2024-03-05T08:30:00+02:00", "z": "2024-03-05T08:30:00Z", "n": None}
    store.upsert([_record(key).model_copy(update={"published": value}) for key, value in dates.items()], run, "cfg")
    assert query(db, "SELECT data_type FROM information_schema.columns WHERE table_name = 'articles' AND column_name = 'published'")[1] == [("TIMESTAMP",)]
    rows = dict(query(db, "SELECT id, strftime(published, '%Y-%m-%d %H:%M') FROM articles")[1])
    assert rows == {"d": "2024-03-05 00:00", "t": "2024-03-05 06:30", "z": "2024-03-05 08:30", "n": None}


def test_store_marks_runs_left_running_as_interrupted(db: Path) -> None:
    store = Store(db)
    killed = store.start_run("killed", model="model", config_hash="cfg", **VERSIONS)
    assert store.mark_interrupted() == 1 and store.mark_interrupted() == 0
    assert dict(query(db, "SELECT run_id, status FROM runs")[1])[killed] == "interrupted"
    assert sorted(status for (status,) in query(db, "SELECT status FROM runs")[1]) == ["completed", "interrupted"]


def test_store_turns_the_published_text_of_an_older_database_into_timestamps(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute('CREATE TABLE articles ("id" VARCHAR PRIMARY KEY, published VARCHAR, "text" VARCHAR)')
        con.execute("INSERT INTO articles VALUES ('t', '2024-03-05T08:30:00+02:00', 'x'), ('d', '2024-03-05', 'y'), ('n', NULL, 'z')")
    for _ in range(2):  # the second open finds TIMESTAMP already
        store = Store(path)
        assert store.counts()["articles"] == 3
    rows = dict(query(path, "SELECT id, strftime(published, '%Y-%m-%d %H:%M') FROM articles")[1])
    assert rows == {"t": "2024-03-05 06:30", "d": "2024-03-05 00:00", "n": None}
