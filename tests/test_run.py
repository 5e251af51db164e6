from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from presslens.ingest.raw import Quarantined
from presslens.pipeline import Outcome, Pipeline
from presslens.run import RunSummary, ingest
from presslens.store import Store, query

from .conftest import SAMPLES

ARTICLE = (
    "The council of Brask met on Monday to discuss the budget for the coming year. Mayor Anna Holt said "
    "that forty new teachers would be hired in Norland before the winter, and officials said the plan "
    "would cost more than expected."
)
ARABIC = (
    "قال مسؤولون في المدينة يوم الثلاثاء إن المحادثات بين الطرفين ستستمر الأسبوع المقبل. "
    "وأضافوا أن الوفد سيعود إلى القاهرة لمناقشة تفاصيل الاتفاق الجديد مع الوسطاء. "
    "وأكد المتحدث باسم الحكومة أن الهدنة صامدة رغم بعض الخروقات في الشمال."
)
RUSSIAN = (
    "Официальные лица заявили во вторник, что переговоры между сторонами продолжатся на следующей неделе. "
    "Делегация вернётся в столицу, чтобы обсудить детали нового соглашения с посредниками."
)
HTML = (
    "<html><head><title>Bridge reopens in Brask</title></head><body><article><h1>Bridge reopens in Brask</h1>"
    "<p>The old bridge over the river in Brask reopened on Tuesday after two years of repairs, the city said.</p>"
    "<p>Engineers&#1;&#7;&#x1b; said the new deck would carry twice the traffic of the old one.</p>"
    "<p>Shops on both banks had lost customers while the bridge was closed, their owners said.</p>"
    "</article></body></html>"
)


def _reproductions(folder: Path) -> dict[str, str | None]:
    """Write every reproduction of issue 12 ('One bad article aborts the whole batch') into ``folder``.

    Returns each source with its intended quarantine code (None: stored, nothing quarantined).
    """
    files = {
        "putin.txt": "Officials said Владимир Путин met reporters in Moscow on Tuesday. Later Путин told the press that talks would continue.",
        "superscript.txt": "The attack killed ³ people and wounded dozens, police said on Monday.",
        "arabic.txt": ARABIC,
        "russian.txt": RUSSIAN,
        "entities.html": HTML,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "utf16.txt").write_bytes(ARTICLE.replace("Brask", "Ulm").encode("utf-16-le"))  # no byte order mark
    (folder / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    lines = [
        '{"id":"s1","title":"Bad \\ud800 title","text":"%s"}' % ARTICLE,
        '{"id":"s2","text":"too short \\ud800"}',
        json.dumps({"id": "m1", "outlet": {"o": 1}, "text": ARTICLE.replace("Brask", "Kell")}),
    ]
    (folder / "json.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    expected: dict[str, str | None] = {
        "putin.txt": None, "superscript.txt": None, "arabic.txt": "PL108", "russian.txt": "PL108",
        "entities.html": None, "utf16.txt": None, "deep.jsonl:1": "PL106",
        "json.jsonl:1": None, "json.jsonl:2": "PL109", "json.jsonl:3": "PL113",
        "loop-a.txt": "PL111", "loop-b.txt": "PL111",
    }
    if os.geteuid() != 0:  # root reads any directory, so the unreadable one is only tried as a user
        locked = folder / "locked"
        locked.mkdir()
        (locked / "hidden.txt").write_text(ARTICLE, encoding="utf-8")
        locked.chmod(0)
        expected["locked"] = "PL111"
    return {str(folder / source): code for source, code in expected.items()}


def _sources(db: Path, sql: str) -> dict[str, str]:
    return dict(query(db, sql)[1])


def test_run_reproductions(tmp_path: Path, pipeline: Pipeline) -> None:
    folder, db = tmp_path / "in", tmp_path / "p.duckdb"
    shutil.copytree(SAMPLES, folder / "samples")
    expected = _reproductions(folder)
    seen: list[Outcome] = []
    try:
        summary = ingest([str(folder)], db, pipeline=pipeline, on_outcome=seen.append)
    finally:
        if (folder / "locked").exists():
            (folder / "locked").chmod(0o755)  # so that pytest can remove tmp_path
    assert summary.status == "completed"
    stored = _sources(db, "SELECT source, title FROM articles")
    quarantined = _sources(db, "SELECT source, string_agg(code, ',' ORDER BY code) FROM quarantine GROUP BY source")
    samples = {s for s in stored if "/samples/" in s}
    assert len(samples) == 11  # every good sample article
    got = {source: quarantined.get(source) for source in expected}
    assert got == expected
    assert {s for s, code in expected.items() if code in (None, "PL108")} <= set(stored)
    assert not {s for s in quarantined if "/samples/" in s}
    assert not [code for code in quarantined.values() if code.startswith(("PL9", "PL30"))]
    assert stored[str(folder / "json.jsonl:1")] == "Bad \ufffd title"
    texts = _sources(db, "SELECT source, text FROM articles")
    assert "Engineers said the new deck would carry twice the traffic" in texts[str(folder / "entities.html")]
    analyzed = _sources(db, "SELECT a.source, count(s.idx) FROM articles a LEFT JOIN sentences s ON s.article_id = a.id GROUP BY a.source")
    assert analyzed[str(folder / "putin.txt")] == 2 and analyzed[str(folder / "superscript.txt")] == 1
    assert analyzed[str(folder / "arabic.txt")] == 0  # kept unanalyzed
    (rows,) = query(db, "SELECT count(*) FROM quarantine")[1][0]
    assert summary.counts == {"stored": len(stored), "unchanged": 0, "quarantined": rows, "not_english": 2}
    assert sum(isinstance(o, Quarantined) for o in seen) == summary.counts["quarantined"]
    assert query(db, "SELECT status, articles, quarantined FROM runs")[1] == [("completed", len(stored), summary.counts["quarantined"])]


def test_run_rerun_skips_stored_articles_and_marks_a_killed_run_interrupted(tmp_path: Path, pipeline: Pipeline) -> None:
    folder, db = tmp_path / "in", tmp_path / "p.duckdb"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text("tiny", encoding="utf-8")
    first = ingest([str(folder)], db, pipeline=pipeline)
    store = Store(db)
    killed = store.start_run("killed", model="m", config_hash="c", version="0", spacy_version="0", model_version="0")
    second = ingest([str(folder)], db, pipeline=pipeline)
    assert isinstance(second, RunSummary) and second.db == db and second.run_id != first.run_id
    assert (first.status, dict(first.counts), dict(first.codes)) == ("completed", {"stored": 1, "unchanged": 0, "quarantined": 1, "not_english": 0}, {"PL109": 1})
    assert (second.status, dict(second.counts)) == ("completed", {"stored": 0, "unchanged": 1, "quarantined": 1, "not_english": 0})
    assert second.tables["articles"] == 1 and second.tables["runs"] == 3 and second.tables["quarantine"] == 1
    statuses = _sources(db, "SELECT run_id, status FROM runs")
    assert statuses == {first.run_id: "completed", killed: "interrupted", second.run_id: "completed"}


def test_run_with_nothing_to_store_fails(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "b.txt").write_text("tiny", encoding="utf-8")
    summary = ingest([str(tmp_path / "b.txt")], tmp_path / "p.duckdb", pipeline=pipeline)
    assert (summary.status, dict(summary.codes)) == ("failed", {"PL109": 1})
    assert query(tmp_path / "p.duckdb", "SELECT status FROM runs")[1] == [("failed",)]


def test_run_a_missing_path_fails_before_the_database_is_made(tmp_path: Path, pipeline: Pipeline) -> None:
    from presslens.errors import UsageError

    with pytest.raises(UsageError) as info:
        ingest([str(tmp_path / "missing")], tmp_path / "p.duckdb", pipeline=pipeline)
    assert info.value.code == "PL201" and not (tmp_path / "p.duckdb").exists()


def test_run_a_record_that_cannot_be_stored_is_quarantined_and_the_run_completes(
    tmp_path: Path, pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from presslens.store import duck

    rows = duck.table_rows

    def failing(records: list[Any], *args: Any) -> Any:
        if any(record.source.endswith("b.txt") for record in records):
            raise OverflowError("value too large")
        return rows(records, *args)

    monkeypatch.setattr(duck, "table_rows", failing)
    for name, town in (("a.txt", "Brask"), ("b.txt", "Kell"), ("c.txt", "Ulm")):
        (tmp_path / name).write_text(ARTICLE.replace("Brask", town), encoding="utf-8")
    seen: list[Outcome] = []
    summary = ingest([str(tmp_path)], tmp_path / "p.duckdb", pipeline=pipeline, on_outcome=seen.append)
    assert (summary.status, summary.counts["stored"], dict(summary.codes)) == ("completed", 2, {"PL304": 1})
    assert query(tmp_path / "p.duckdb", "SELECT source, code, reason FROM quarantine")[1] == [
        (str(tmp_path / "b.txt"), "PL304", "storing failed: OverflowError: value too large")
    ]
    assert [o.code for o in seen if isinstance(o, Quarantined)] == ["PL304"]
