"""GET /api/sql: one read-only SELECT on a real store, JSON-safe values, and every way to write or read files refused."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from presslens.record.models import ArticleRecord, Event
from presslens.settings import Settings
from presslens.store import Store
from presslens.web.app import create_app

ARTICLES = [
    ArticleRecord(id="a1", title="First", outlet="Wire", published="2026-03-11T10:42:00+00:00", text="Troops fired on the post."),
    ArticleRecord(
        id="a2",
        title="Second",
        text="Police arrested pickets.",
        events=[Event(id="e0", type="COERCE", cameo="173", trigger=[7, 15], sentence=[0, 24], confidence=0.8)],
    ),
]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A store holding two articles, written by ``Store`` like an ingest writes it."""
    store = Store(tmp_path / "sql.duckdb")
    run_id = store.start_run("test", model="m", config_hash="h", version="v", spacy_version="s", model_version="mv")
    store.upsert(ARTICLES, run_id, "h")
    return store.path


def _client(db: Path, settings: Settings, **query: object) -> TestClient:
    """A client of the app over ``db``, the ``[query]`` limits changed by ``query``."""
    return TestClient(base_url="http://127.0.0.1", app=create_app(db, dataclasses.replace(settings, query=settings.query.model_copy(update=query))))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_web_sql_answers_columns_and_json_safe_rows(db: Path, settings: Settings) -> None:
    response = _client(db, settings).get("/api/sql", params={"sql": "SELECT id, title, published, warnings FROM articles ORDER BY id"})
    assert response.status_code == 200
    assert response.json() == {
        "columns": ["id", "title", "published", "warnings"],
        "rows": [["a1", "First", "2026-03-11T10:42:00", []], ["a2", "Second", None, []]],
    }


def test_web_sql_gives_lists_and_numbers_as_json(db: Path, settings: Settings) -> None:
    sql = "SELECT article_id, type, trigger, confidence, negated FROM events"
    assert _client(db, settings).get("/api/sql", params={"sql": sql}).json()["rows"] == [["a2", "COERCE", [7, 15], 0.8, False]]


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO articles (id, text) VALUES ('x', 'y')",
        "UPDATE articles SET title = 'changed'",
        "DELETE FROM articles",
        "DROP TABLE articles",
        "CREATE TABLE t AS SELECT 1",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "COPY articles TO '{tmp}/out.csv'",
        "EXPORT DATABASE '{tmp}/dump'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "PRAGMA enable_profiling",
        "SELECT 1; DROP TABLE articles",
        "CHECKPOINT",
    ],
)
def test_web_sql_refuses_every_writing_statement(db: Path, settings: Settings, tmp_path: Path, sql: str) -> None:
    before = _digest(db)
    response = _client(db, settings).get("/api/sql", params={"sql": sql.format(tmp=tmp_path)})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PL202"
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sql.duckdb"]  # nothing written beside it


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM read_parquet('{tmp}/*.parquet')",
        "SELECT * FROM glob('/etc/*')",
    ],
)
def test_web_sql_reads_no_file(db: Path, settings: Settings, tmp_path: Path, sql: str) -> None:
    response = _client(db, settings).get("/api/sql", params={"sql": sql.format(tmp=tmp_path)})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "PL204"
    assert "root:" not in error["message"]


def test_web_sql_leaves_the_store_as_it_was(db: Path, settings: Settings) -> None:
    client = _client(db, settings)
    for sql in ("DELETE FROM articles", "DROP TABLE events", "UPDATE articles SET title = NULL"):
        assert client.get("/api/sql", params={"sql": sql}).status_code == 400
    rows = client.get("/api/sql", params={"sql": "SELECT id, title FROM articles ORDER BY id"}).json()["rows"]
    assert rows == [["a1", "First"], ["a2", "Second"]]
    assert client.get("/api/sql", params={"sql": "SELECT count(*) FROM events"}).json()["rows"] == [[1]]


def test_web_sql_stops_at_the_row_limit(db: Path, settings: Settings) -> None:
    client = _client(db, settings, max_rows=3)
    assert client.get("/api/sql", params={"sql": "SELECT * FROM range(3)"}).json()["rows"] == [[0], [1], [2]]
    response = client.get("/api/sql", params={"sql": "SELECT * FROM range(4)"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "PL215" and "more than 3 rows" in error["message"]


def test_web_sql_stops_at_the_time_limit(db: Path, settings: Settings) -> None:
    response = _client(db, settings, timeout_s=0.5).get("/api/sql", params={"sql": "SELECT count(*) FROM range(100000000) a, range(100000) b"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PL214"


def test_web_sql_stops_at_the_memory_limit(db: Path, settings: Settings) -> None:
    response = _client(db, settings, memory_limit="64MB", timeout_s=60.0).get("/api/sql", params={"sql": "SELECT list(range) FROM range(100000000)"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PL216"


def test_web_sql_reports_a_failing_query(db: Path, settings: Settings) -> None:
    response = _client(db, settings).get("/api/sql", params={"sql": "SELECT nothing FROM nowhere"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PL204"
    assert "nowhere" in response.json()["error"]["message"]


@pytest.mark.parametrize("params", [{}, {"sql": ""}, {"sql": "SELECT 1" + " " * 20_000}])
def test_web_sql_needs_one_statement_of_bounded_length(db: Path, settings: Settings, params: dict[str, str]) -> None:
    response = _client(db, settings).get("/api/sql", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "PL225"


def test_web_sql_without_a_store_is_a_coded_error(tmp_path: Path, settings: Settings) -> None:
    response = _client(tmp_path / "absent.duckdb", settings).get("/api/sql", params={"sql": "SELECT 1"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "PL207"
    assert not (tmp_path / "absent.duckdb").exists()
