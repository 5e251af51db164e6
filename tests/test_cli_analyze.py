from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from presslens.cli import app
from presslens.pipeline import Pipeline
from presslens.settings import DEFAULT_CONFIG, Settings
from presslens.store import query

from .cli_support import fails, runner
from .conftest import ROOT, SAMPLES, SEED


def _counts(db: Path) -> dict[str, int]:
    tables = ["articles", "entities", "sentences", "quarantine"]
    return {t: query(db, f"SELECT count(*) FROM {t}")[1][0][0] for t in tables}


def test_cli_ingest_samples_twice_leaves_counts_unchanged(tmp_path: Path, cli_nlp: Language) -> None:
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


def test_cli_bad_inputs_are_quarantined_and_the_batch_succeeds(tmp_path: Path, cli_nlp: Language) -> None:
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


def test_cli_all_bad_input_exits_1(tmp_path: Path, cli_nlp: Language) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["analyze", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert "[PL101] empty input" in result.output


def test_cli_analyze_stdin_writes_jsonl(tmp_path: Path, cli_nlp: Language) -> None:
    result = runner.invoke(app, ["analyze", "-"], input=SEED.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    record = json.loads(line)
    assert record["title"] == "Hamas leader Ismail Haniyeh"
    assert all(record["text"][e["start"] : e["end"]] == e["text"] for e in record["entities"])


def test_cli_bracketed_names_and_messages_are_printed_verbatim(tmp_path: Path, cli_nlp: Language) -> None:
    empty = tmp_path / "story [v2].txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["analyze", str(empty)])
    assert result.exit_code == 1
    assert f"quarantined {empty}: [PL101] empty input: the record has no text\n" in result.stderr
    missing = runner.invoke(app, ["analyze", "missing[/].txt"])
    assert missing.exit_code == 2
    assert missing.stderr == "error [PL201] no such file or directory: missing[/].txt\n"


def test_cli_pretty_title_is_printed_verbatim(tmp_path: Path, cli_nlp: Language) -> None:
    article = tmp_path / "title [x].txt"
    article.write_text(
        "Council [update] approves the budget\n\n"
        "The council of Brask met on Monday and approved the budget for the coming year, the mayor said.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["analyze", str(article), "--format", "pretty"])
    assert result.exit_code == 0, result.output
    assert " Council [update] approves the budget " in result.stdout.splitlines()[0]


def test_cli_ingest_records_the_versions_and_clears_a_fixed_source(tmp_path: Path, pipeline: Pipeline, cli_nlp: Language) -> None:
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
def test_cli_no_input_records_says_so(tmp_path: Path, settings: Settings, command: str, files: list[str], cli_nlp: Language) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in files:
        (folder / name).write_text("Storm hits the coast, officials said on Monday.", encoding="utf-8")
    result = runner.invoke(app, [command, str(folder), *(["--db", str(tmp_path / "p.duckdb")] if command == "ingest" else [])])
    assert result.exit_code == 1
    suffixes = ", ".join(settings.ingest.suffixes)
    assert f"no input records found in the given paths (directories are scanned for files ending in {suffixes})\n" in result.stderr
    assert "quarantine reasons" not in result.stderr


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
    assert f"invalid configuration: {reason}" in fails(["analyze", str(SEED), "--config", str(config)], "PL205")


HAMAS_EVENTS = """
SELECT e.type, e.cameo, e.target,
       substr(a.text, e.trigger[1] + 1, e.trigger[2] - e.trigger[1]) AS trigger,
       substr(a.text, e.sentence[1] + 1, e.sentence[2] - e.sentence[1]) AS sentence
FROM events e JOIN articles a ON a.id = e.article_id
WHERE e.source = 'hamas'
ORDER BY a.id, e.trigger[1]
"""


def test_cli_one_query_gives_hamas_events_with_evidence(tmp_path: Path, cli_nlp: Language) -> None:
    db = tmp_path / "p.duckdb"
    assert runner.invoke(app, ["ingest", str(SAMPLES), "--db", str(db)]).exit_code == 0
    assert HAMAS_EVENTS.strip() in (ROOT / "README.md").read_text(encoding="utf-8")
    rows = query(db, HAMAS_EVENTS)[1]
    found = {(kind, target, trigger) for kind, _cameo, target, trigger, _sentence in rows}
    assert {("REJECT", "united-states", "rejected"), ("REQUEST", "egypt", "called on"),
            ("ACCUSE", "government-of-israel", "pointed its accusing finger")} <= found
    for _kind, _cameo, _target, trigger, sentence in rows:
        assert trigger in sentence and sentence == sentence.strip()


def test_cli_analyze_into_a_closed_pipe_ends_quietly() -> None:
    command = f'"{sys.executable}" -m presslens analyze "{SAMPLES}" | head -1'
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] and result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr and "Exception ignored" not in result.stderr

