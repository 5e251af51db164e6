from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from presslens.cli import app, main
from presslens.pipeline import Pipeline
from presslens.record.models import Quarantined
from presslens.settings import DEFAULT_CONFIG, Settings
from presslens.store import Store, query

from .conftest import ROOT, SAMPLES, SEED

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
    assert "0 articles, 11 unchanged, 0 quarantined" in second.output
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
    assert "3 articles (1 kept unanalyzed: not English), 0 unchanged, 8 quarantined" in result.output
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


def _empty_db(path: Path) -> Path:
    """A presslens database with one run and one quarantine row (no article)."""
    store = Store(path)
    run = store.start_run("test", model="model", config_hash="cfg", version="0", spacy_version="3", model_version="3")
    store.quarantine([Quarantined(source="bad [1].txt", code="PL101", reason="empty input")], run)
    store.close()
    return path


def test_cli_bracketed_names_and_messages_are_printed_verbatim(tmp_path: Path) -> None:
    empty = tmp_path / "story [v2].txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["analyze", str(empty)])
    assert result.exit_code == 1
    assert f"quarantined {empty}: [PL101] empty input: the record has no text\n" in result.stderr
    missing = runner.invoke(app, ["analyze", "missing[/].txt"])
    assert missing.exit_code == 2
    assert missing.stderr == "error [PL201] no such file or directory: missing[/].txt\n"


def test_cli_query_table_cells_and_errors_are_printed_verbatim(tmp_path: Path) -> None:
    db = _empty_db(tmp_path / "p.duckdb")
    sql = "SELECT 'He said [the government] would act [sic].' AS \"[b]quote[/b]\", '[/]' AS c, source FROM quarantine"
    result = runner.invoke(app, ["query", sql, "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "┃ [b]quote[/b]                              ┃ c   ┃ source      ┃"
    assert lines[3] == "│ He said [the government] would act [sic]. │ [/] │ bad [1].txt │"
    failed = runner.invoke(app, ["query", "SELECT '[/]'::INT", "--db", str(db)])
    assert failed.exit_code == 2
    assert failed.stderr == "error [PL204] query failed: Conversion Error: Could not convert string '[/]' to INT32\n"


def test_cli_pretty_title_is_printed_verbatim(tmp_path: Path) -> None:
    article = tmp_path / "title [x].txt"
    article.write_text(
        "Council [update] approves the budget\n\n"
        "The council of Brask met on Monday and approved the budget for the coming year, the mayor said.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", str(article), "--format", "pretty"])
    assert result.exit_code == 0, result.output
    assert " Council [update] approves the budget " in result.stdout.splitlines()[0]


def test_cli_query_json_handles_every_duckdb_type(tmp_path: Path) -> None:
    db = _empty_db(tmp_path / "p.duckdb")
    sql = "SELECT DATE '2024-03-05' AS d, 1.50 AS n, INTERVAL 90 MINUTE AS i, '\\x01'::BLOB AS b"
    result = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"d": "2024-03-05", "n": "1.50", "i": "PT1H30M", "b": "01"}


def test_cli_ingest_records_the_versions_and_clears_a_fixed_source(tmp_path: Path, pipeline: Pipeline) -> None:
    batch, db = tmp_path / "batch", tmp_path / "p [b].duckdb"
    batch.mkdir()
    (batch / "a.txt").write_bytes(b"")
    first = runner.invoke(app, ["ingest", str(batch), "--db", str(db)])
    assert first.exit_code == 1 and "[b].duckdb" in first.stdout  # the table title, not bold markup
    assert query(db, "SELECT code FROM quarantine")[1] == [("PL101",)]
    (batch / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    second = runner.invoke(app, ["ingest", str(batch), "--db", str(db)])
    assert second.exit_code == 0, second.output
    assert query(db, "SELECT count(*) FROM quarantine")[1] == [(0,)]
    versions = query(db, "SELECT DISTINCT spacy_version, model_version FROM runs")[1]
    assert versions == [(spacy.__version__, pipeline.nlp.meta["version"])]


@pytest.mark.parametrize("files", [[], ["notes.md", ".hidden.txt"]], ids=["empty", "no-wanted-suffix"])
@pytest.mark.parametrize("command", ["analyze", "ingest"])
def test_cli_no_input_records_says_so(tmp_path: Path, settings: Settings, command: str, files: list[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in files:
        (folder / name).write_text("Storm hits the coast, officials said on Monday.", encoding="utf-8")
    result = runner.invoke(app, [command, str(folder), *(["--db", str(tmp_path / "p.duckdb")] if command == "ingest" else [])])
    assert result.exit_code == 1
    suffixes = ", ".join(settings.ingest.suffixes)
    assert f"no input records found in the given paths (directories are scanned for files ending in {suffixes})\n" in result.stderr
    assert "quarantine reasons" not in result.stderr


def _fails(args: list[str], code: str) -> str:
    """Run a command that must fail with a one-line coded usage error; return the line."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error [{code}] ") and result.stderr.count("\n") == 1, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


def test_cli_unreadable_databases_and_unwritable_outputs_are_usage_errors(tmp_path: Path) -> None:
    db, readme = _empty_db(tmp_path / "p.duckdb"), tmp_path / "README.md"
    readme.write_text("# notes\n", encoding="utf-8")
    assert "not a valid DuckDB database file" in _fails(["query", "SELECT 1", "--db", str(readme)], "PL209")
    assert "not a valid DuckDB database file" in _fails(["ingest", str(SEED), "--db", str(readme)], "PL209")
    assert "No such file or directory" in _fails(["ingest", str(SEED), "--db", str(tmp_path / "no" / "x.duckdb")], "PL209")
    for target in (tmp_path / "no" / "x.parquet", tmp_path):
        assert str(target) in _fails(["export", "-t", "runs", "-o", str(target), "--db", str(db)], "PL210")
    for target in (tmp_path / "no" / "o.jsonl", tmp_path):
        assert str(target) in _fails(["analyze", str(SEED), "-o", str(target)], "PL210")
    assert "cannot read" in _fails(["analyze", str(SEED), "--config", str(tmp_path)], "PL205")


def test_cli_a_locked_database_is_a_usage_error(tmp_path: Path) -> None:
    db = _empty_db(tmp_path / "p.duckdb")
    code = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()"
    with subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        assert "Could not set lock" in _fails(["query", "SELECT 1", "--db", str(db)], "PL209")
        assert "Could not set lock" in _fails(["export", "-t", "runs", "-o", str(tmp_path / "r.csv"), "--db", str(db)], "PL209")
        holder.communicate("")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("max_stray_chars = 1", "max_stray_chars = 1\ncolour = 2"), "component 'presslens_textcheck': "),
        (('"presslens_textcheck"]', '"presslens_textcheck", "nope"]'), "component 'nope': [E002]"),
    ],
    ids=["unexpected-setting", "unknown-component"],
)
def test_cli_a_component_spacy_rejects_is_a_usage_error(tmp_path: Path, change: tuple[str, str], reason: str) -> None:
    config = tmp_path / "bad.cfg"
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    assert f"invalid configuration: {reason}" in _fails(["analyze", str(SEED), "--config", str(config)], "PL205")


def test_cli_malformed_evaluation_data_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "gold.jsonl").write_text("{}\n", encoding="utf-8")
    assert "line 1: expected an object" in _fails(["eval", "extraction", "--data", str(tmp_path)], "PL208")


def test_cli_export_to_stdout(tmp_path: Path) -> None:
    db = _empty_db(tmp_path / "p.duckdb")
    command = [sys.executable, "-m", "presslens", "export", "-t", "quarantine", "-f", "csv", "-o", "-", "--db", str(db)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["source,code,reason,excerpt,run_id", f'bad [1].txt,PL101,empty input,"",{_run_id(db)}']
    assert result.stderr == "wrote 1 rows of quarantine to stdout\n"


def _run_id(db: Path) -> str:
    return str(query(db, "SELECT run_id FROM runs")[1][0][0])


def test_cli_main_turns_an_unexpected_error_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("presslens.cli.query", broken)
    monkeypatch.setattr(sys, "argv", ["presslens", "query", "SELECT 1"])
    monkeypatch.delenv("PRESSLENS_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    expected = "error [PL901] unexpected error: RuntimeError: boom — please report it; set PRESSLENS_DEBUG=1 for the traceback\n"
    assert capsys.readouterr().err == expected
    monkeypatch.setenv("PRESSLENS_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main()


def test_cli_actors_and_places_check(tmp_path: Path) -> None:
    assert runner.invoke(app, ["actors", "check"]).exit_code == 0
    assert runner.invoke(app, ["places", "check"]).exit_code == 0
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["actors", "check", str(mine)])
    assert result.exit_code == 1
    assert "mine.jsonl:1: name: Field required" in result.output


HAMAS_EVENTS = """
SELECT e.type, e.cameo, e.target,
       substr(a.text, e.trigger[1] + 1, e.trigger[2] - e.trigger[1]) AS trigger,
       substr(a.text, e.sentence[1] + 1, e.sentence[2] - e.sentence[1]) AS sentence
FROM events e JOIN articles a ON a.id = e.article_id
WHERE e.source = 'hamas'
ORDER BY a.id, e.trigger[1]
"""


def test_cli_one_query_gives_hamas_events_with_evidence(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    assert runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)]).exit_code == 0
    assert HAMAS_EVENTS.strip() in (ROOT / "README.md").read_text(encoding="utf-8")
    rows = query(db, HAMAS_EVENTS)[1]
    found = {(kind, target, trigger) for kind, _cameo, target, trigger, _sentence in rows}
    assert {("REJECT", "united-states", "rejected"), ("REQUEST", "egypt", "called on"),
            ("ACCUSE", "government-of-israel", "pointed its accusing finger")} <= found
    for _kind, _cameo, _target, trigger, sentence in rows:
        assert trigger in sentence and sentence == sentence.strip()
