from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from presslens.cli import app
from presslens.store import query

from .conftest import SAMPLES, SEED

runner = CliRunner()


def _counts(db: Path) -> dict[str, int]:
    tables = ["articles", "entities", "sentences", "quarantine"]
    return {t: query(db, f"SELECT count(*) FROM {t}")[1][0][0] for t in tables}


def test_cli_ingest_samples_twice_leaves_counts_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    first = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert first.exit_code == 0, first.output
    before = _counts(db)
    assert before["articles"] == 11 and before["quarantine"] == 0
    second = runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)])
    assert second.exit_code == 0
    assert "0 analyzed, 11 unchanged, 0 quarantined" in second.output
    assert _counts(db) == before
    assert query(db, "SELECT count(*), count(DISTINCT status) FROM runs")[1] == [(2, 1)]


def test_cli_bad_inputs_are_quarantined_and_the_batch_succeeds(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8)
    (batch / "bad-utf16.txt").write_bytes(b"\xfe\xff" + "Storm hits coast".encode("utf-16-be") + b"\xd8\x00")
    (batch / "cp1252.txt").write_bytes("The caf\u00e9 owner said the \u201cstrike\u201d hurt trade.".encode("cp1252"))
    (batch / "huge.txt").write_bytes(b"news " * 4_200_000)  # 21 MB
    (batch / "no-article.html").write_text("<html><body><nav>Home | About</nav></body></html>", encoding="utf-8")
    (batch / "lines.jsonl").write_text('{"id": 1, "title": "no body"}\nnot json\n', encoding="utf-8")
    german = "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mieten in den Städten begrenzen soll."
    (batch / "german.txt").write_text(german, encoding="utf-8")
    db = tmp_path / "p.duckdb"
    result = runner.invoke(app, ["ingest", str(batch), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    rows = dict(query(db, "SELECT regexp_extract(source, '[^/]+$'), code FROM quarantine")[1])
    assert rows == {
        "empty.txt": "PL101",
        "binary.txt": "PL102",
        "bad-utf16.txt": "PL103",
        "huge.txt": "PL104",
        "no-article.html": "PL105",
        "lines.jsonl:1": "PL107",
        "lines.jsonl:2": "PL106",
        "german.txt": "PL108",
    }
    for name in rows:
        assert f"{name}: [" in result.output.replace("\n", "")
    assert query(db, "SELECT lang FROM articles ORDER BY lang")[1] == [("de",), ("en",), ("en",)]
    assert query(db, "SELECT count(*) FROM articles WHERE text LIKE '%caf\u00e9 owner said the \u201cstrike\u201d%'")[1] == [(1,)]


def test_cli_all_bad_input_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["analyze", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "[PL101] empty input" in result.output


def test_cli_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["analyze", str(tmp_path / "missing.txt")])
    assert missing.exit_code == 2 and "[PL201] no such file or directory" in missing.output
    writing = runner.invoke(app, ["query", "DROP TABLE articles", "--db", str(tmp_path / "x.duckdb")])
    assert writing.exit_code == 2 and "Traceback" not in writing.output


def test_cli_analyze_stdin_writes_jsonl(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", "-"], input=SEED.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    record = json.loads(line)
    assert record["title"] == "Hamas leader Ismail Haniyeh"
    assert all(record["text"][e["start"] : e["end"]] == e["text"] for e in record["entities"])


def test_cli_query_export_and_schema(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    assert runner.invoke(app, ["ingest", str(SEED), "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["query", "SELECT title FROM articles", "--db", str(db), "--format", "json"])
    assert json.loads(result.stdout) == {"title": "Hamas leader Ismail Haniyeh"}
    out = tmp_path / "sentences.csv"
    result = runner.invoke(app, ["export", "--table", "sentences", "--format", "csv", "-o", str(out), "--db", str(db)])
    assert result.exit_code == 0 and len(out.read_text().splitlines()) == 1 + 20
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert set(schema["required"]) == {"id", "text"}
    assert {"entities", "actors", "places", "events", "quotes", "framing", "sentences", "warnings"} <= set(schema["properties"])


@pytest.mark.parametrize("command", ["analyze", "ingest", "query", "export", "schema", "eval"])
def test_cli_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
