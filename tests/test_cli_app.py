from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from presslens.cli import app, main

from .cli_support import empty_db, fails, runner
from .conftest import SEED

if TYPE_CHECKING:
    from spacy.language import Language


def test_cli_usage_errors_exit_2_without_traceback(tmp_path: Path, cli_nlp: Language) -> None:
    missing = runner.invoke(app, ["analyze", str(tmp_path / "missing.txt")])
    assert missing.exit_code == 2 and "[PL201] no such file or directory" in missing.output
    writing = runner.invoke(app, ["query", "DROP TABLE articles", "--db", str(tmp_path / "x.duckdb")])
    assert writing.exit_code == 2 and "Traceback" not in writing.output


@pytest.mark.parametrize("command", ["analyze", "ingest", "query", "export", "schema", "eval"])
def test_cli_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_cli_unreadable_databases_and_unwritable_outputs_are_usage_errors(tmp_path: Path, cli_nlp: Language) -> None:
    db, readme = empty_db(tmp_path / "p.duckdb"), tmp_path / "README.md"
    readme.write_text("# notes\n", encoding="utf-8")
    assert f"{readme} is not a DuckDB database" in fails(["query", "SELECT 1", "--db", str(readme)], "PL213")
    assert f"{readme} is not a DuckDB database" in fails(["export", "-t", "runs", "-o", "-", "--db", str(readme)], "PL213")
    assert "not a valid DuckDB database file" in fails(["ingest", str(SEED), "--db", str(readme)], "PL209")
    assert "No such file or directory" in fails(["ingest", str(SEED), "--db", str(tmp_path / "no" / "x.duckdb")], "PL209")
    for target in (tmp_path / "no" / "x.parquet", tmp_path):
        assert str(target) in fails(["export", "-t", "runs", "-o", str(target), "--db", str(db)], "PL210")
    for target in (tmp_path / "no" / "o.jsonl", tmp_path):
        assert str(target) in fails(["analyze", str(SEED), "-o", str(target)], "PL210")
    assert "cannot read" in fails(["analyze", str(SEED), "--config", str(tmp_path)], "PL205")


def test_cli_malformed_evaluation_data_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "gold.jsonl").write_text("{}\n", encoding="utf-8")
    assert "line 1: expected an object" in fails(["eval", "extraction", "--data", str(tmp_path)], "PL208")


def test_cli_main_turns_an_unexpected_error_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("presslens.store.readonly.query", broken)
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

