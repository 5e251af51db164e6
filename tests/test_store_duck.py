from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from presslens.errors import UsageError
from presslens.record.models import ArticleRecord, Entity, Quarantined, Sentence
from presslens.store import Store, export, query


def _record(article_id: str, text: str = "Hamas met Egypt.") -> ArticleRecord:
    return ArticleRecord(
        id=article_id,
        text=text,
        lang="en",
        entities=[Entity(start=0, end=5, text="Hamas", label="ORG"), Entity(start=10, end=15, text="Egypt", label="GPE")],
        sentences=[Sentence(start=0, end=len(text))],
        warnings=["w1"],
    )


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    store = Store(tmp_path / "t.duckdb")
    run = store.start_run("test", "model", "cfg", "0")
    store.upsert([_record("a"), _record("b")], run, "cfg")
    store.quarantine([Quarantined(source="bad.txt", code="PL101", reason="empty input")], run)
    store.finish_run(run, {"articles": 2, "quarantined": 1}, 0.5)
    store.close()
    return tmp_path / "t.duckdb"


def test_store_upsert_twice_keeps_one_copy(db: Path) -> None:
    store = Store(db)
    run = store.start_run("again", "model", "cfg", "0")
    store.upsert([_record("a"), _record("b")], run, "cfg")
    store.quarantine([Quarantined(source="bad.txt", code="PL101", reason="empty input")], run)
    assert store.counts() == {
        "articles": 2, "entities": 4, "sentences": 2, "actors": 0, "places": 0, "events": 0,
        "quotes": 0, "framing": 0, "runs": 2, "quarantine": 1,
    }
    assert store.has_article("a", "cfg") and not store.has_article("a", "other-config")
    store.close()


def test_store_rows_name_their_run_and_roundtrip_nested_types(db: Path) -> None:
    names, rows = query(db, "SELECT a.id, a.warnings, e.text, e.run_id = r.run_id FROM articles a JOIN entities e ON e.article_id = a.id JOIN runs r ON true WHERE a.id = 'a' ORDER BY e.idx")
    assert names == ["id", "warnings", "text", "(e.run_id = r.run_id)"]
    assert rows == [("a", ["w1"], "Hamas", True), ("a", ["w1"], "Egypt", True)]
    assert query(db, "SELECT status, articles, quarantined FROM runs")[1] == [("completed", 2, 1)]


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
