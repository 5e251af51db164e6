from __future__ import annotations

import io
import json
import socket
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from presslens.errors import UsageError
from presslens.settings import QuerySettings
from presslens.store.readonly import csv_line, export, json_line, query

LIMITS = QuerySettings(timeout_s=1.0, max_rows=5, memory_limit="500MB", threads=1)
CROSS_JOIN = "SELECT count(*) FROM range(100000000) a, range(100000) b"


def _db(path: Path, *statements: str) -> Path:
    """A DuckDB file made by running ``statements``."""
    con = duckdb.connect(str(path))
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return _db(
        tmp_path / "p.duckdb",
        "CREATE TABLE quarantine (source VARCHAR, code VARCHAR, reason VARCHAR, excerpt VARCHAR, run_id VARCHAR)",
        "INSERT INTO quarantine VALUES ('a,b.txt', 'PL101', 'said \"no\"', '', 'r1'), ('c.txt', 'PL102', NULL, 'x\ny', 'r1')",
        "CREATE TABLE events (article_id VARCHAR, idx INTEGER, trigger INTEGER[], negated BOOLEAN)",
        "INSERT INTO events SELECT 'a' || i, i, [i, i + 3], i % 2 = 0 FROM range(25000) t(i)",
    )


def _code(error: pytest.ExceptionInfo[UsageError]) -> str:
    return error.value.code


def test_store_readonly_query_returns_names_and_rows(db: Path) -> None:
    names, rows = query(db, "SELECT code, reason FROM quarantine ORDER BY code", LIMITS)
    assert names == ["code", "reason"]
    assert rows == [("PL101", 'said "no"'), ("PL102", None)]


def test_store_readonly_query_stops_at_the_time_limit(db: Path) -> None:
    started = time.monotonic()
    with pytest.raises(UsageError) as error:
        query(db, CROSS_JOIN, LIMITS)
    assert _code(error) == "PL214"
    assert "time limit of 1 s" in str(error.value)
    assert time.monotonic() - started < 30  # stopped, not run to its end (hours)


def test_store_readonly_query_stops_at_the_row_limit(db: Path) -> None:
    assert len(query(db, "SELECT * FROM range(5)", LIMITS)[1]) == 5
    with pytest.raises(UsageError) as error:
        query(db, "SELECT * FROM range(40000000)", LIMITS)
    assert _code(error) == "PL215" and "more than 5 rows" in str(error.value)


def test_store_readonly_query_stops_at_the_memory_limit(db: Path) -> None:
    limits = LIMITS.model_copy(update={"memory_limit": "64MB", "timeout_s": 60.0})
    with pytest.raises(UsageError) as error:
        query(db, "SELECT list(range) FROM range(100000000)", limits)
    assert _code(error) == "PL216" and "limit of 64MB" in str(error.value)


def test_store_readonly_query_accepts_only_one_reading_statement(db: Path) -> None:
    for sql in ("DROP TABLE quarantine", "SELECT 1; SELECT 2", "COPY quarantine TO 'x.csv'", "SET enable_external_access = true"):
        with pytest.raises(UsageError) as error:
            query(db, sql, LIMITS)
        assert _code(error) == "PL202", sql


def test_store_readonly_reads_no_file_through_a_crafted_view(tmp_path: Path) -> None:
    db = _db(tmp_path / "crafted.duckdb", "CREATE VIEW articles AS SELECT * FROM read_text('/etc/hostname')")
    hostname = socket.gethostname()
    for run in (lambda: query(db, "SELECT * FROM articles", LIMITS), lambda: export(db, "articles", "jsonl", io.StringIO())):
        with pytest.raises(UsageError) as error:
            run()
        assert _code(error) == "PL204"
        assert "file system operations are disabled" in str(error.value) and hostname not in str(error.value)


@pytest.mark.parametrize(
    ("content", "hint"),
    [(b"# notes\n", ""), (b"", " (the file is empty)"), (b"SQLite format 3\x00" + bytes(84), " (it is a SQLite database)")],
    ids=["text", "empty", "sqlite"],
)
def test_store_readonly_a_file_that_is_not_duckdb_says_so(tmp_path: Path, content: bytes, hint: str) -> None:
    path = tmp_path / "other.db"
    path.write_bytes(content)
    for run in (lambda: query(path, "SELECT 1", LIMITS), lambda: export(path, "runs", "csv", io.StringIO())):
        with pytest.raises(UsageError) as error:
            run()
        assert str(error.value) == f"[PL213] {path} is not a DuckDB database{hint}"


def test_store_readonly_missing_database_and_unknown_table(tmp_path: Path, db: Path) -> None:
    with pytest.raises(UsageError) as error:
        query(tmp_path / "none.duckdb", "SELECT 1", LIMITS)
    assert _code(error) == "PL207"
    with pytest.raises(UsageError) as error:
        export(db, "secrets", "csv", io.StringIO())
    assert _code(error) == "PL203"


def test_store_readonly_export_csv_is_written_like_duckdb(db: Path, tmp_path: Path) -> None:
    sink = io.StringIO()
    assert export(db, "quarantine", "csv", sink) == 2
    assert sink.getvalue() == (
        "source,code,reason,excerpt,run_id\n"
        '"a,b.txt",PL101,"said ""no""","",r1\n'
        'c.txt,PL102,,"x\ny",r1\n'
    )
    out = tmp_path / "events.csv"
    assert export(db, "events", "csv", out) == 25000
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["article_id,idx,trigger,negated", 'a0,0,"[0, 3]",true', 'a1,1,"[1, 4]",false']
    assert len(lines) == 25001


def test_store_readonly_export_jsonl_and_parquet_give_every_row(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    assert export(db, "events", "jsonl", out) == 25000
    rows = [json.loads(text) for text in out.read_text(encoding="utf-8").splitlines()]
    assert rows[1] == {"article_id": "a1", "idx": 1, "trigger": [1, 4], "negated": False} and len(rows) == 25000
    parquet = tmp_path / "events.parquet"
    assert export(db, "events", "parquet", parquet) == 25000
    read = pq.read_table(parquet)
    assert read.num_rows == 25000 and read.column_names == ["article_id", "idx", "trigger", "negated"]
    assert read.slice(24999).to_pylist() == [{"article_id": "a24999", "idx": 24999, "trigger": [24999, 25002], "negated": False}]


def test_store_readonly_export_to_an_unwritable_path(db: Path, tmp_path: Path) -> None:
    for target in (tmp_path / "no" / "x.csv", tmp_path):
        with pytest.raises(UsageError) as error:
            export(db, "quarantine", "csv", target)
        assert _code(error) == "PL210" and str(target) in str(error.value)


def test_store_readonly_lines() -> None:
    assert csv_line(["a", None, "", True, [1, "x"], 'q"']) == 'a,,"",true,"[1, ""x""]","q"""\n'
    assert json_line(["n", "s"], [1.5, "é\x1b"]) == '{"n": 1.5, "s": "é\\u001b"}\n'
