from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from presslens.cli import app
from presslens.settings import DEFAULT_CONFIG
from presslens.store import query
from presslens.store.schema import TABLES

from .cli_support import empty_db, fails, runner
from .conftest import SEED

if TYPE_CHECKING:
    from spacy.language import Language

HOSTILE = "Bad \x1b]0;pwned\x07 title \x1b[2J \u202eevil"
SHOWN = "Bad \\x1b]0;pwned\\x07 title \\x1b[2J \\u202eevil"
RAW = ("\x1b]0;pwned", "\x1b[2J", "\u202e")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A DuckDB file with one hostile quarantine row (the CLI reads any DuckDB file)."""
    path = tmp_path / "p.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE quarantine (source VARCHAR, code VARCHAR, reason VARCHAR)")
    con.execute("INSERT INTO quarantine VALUES (?, 'PL101', ?)", [HOSTILE + ".txt", HOSTILE])
    con.close()
    return path


def _presslens(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "presslens", *args], capture_output=True, text=True, timeout=timeout, check=False)


def _on_terminal(*args: str) -> str:
    """What ``presslens ARGS`` writes to stdout when stdout is a terminal (a pseudo-terminal here)."""
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "presslens", *args]
    env = {**os.environ, "COLUMNS": "300"}
    with subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env=env) as process:
        os.close(follower)
        chunks = []
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            try:
                chunk = os.read(leader, 65536) if ready else b""
            except OSError:  # the follower side closed
                chunk = b""
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_cli_data_query_cross_join_ends_with_the_time_limit_error(db: Path) -> None:
    started = time.monotonic()
    result = _presslens("query", "SELECT count(*) FROM range(100000000) a, range(100000) b", "--db", str(db), "--timeout", "1")
    assert result.returncode == 2
    assert result.stderr == "error [PL214] query stopped at its time limit of 1 s (raise --timeout or [query] timeout_s)\n"
    assert time.monotonic() - started < 60  # ended by the limit, not by running for hours


def test_cli_data_query_row_and_memory_limits_are_options(db: Path) -> None:
    rows = runner.invoke(app, ["query", "SELECT * FROM range(11)", "--db", str(db), "--max-rows", "10"])
    assert rows.exit_code == 2 and rows.stderr.startswith("error [PL215] query returns more than 10 rows")
    memory = runner.invoke(app, ["query", "SELECT list(range) FROM range(100000000)", "--db", str(db), "--memory-limit", "64MB"])
    assert memory.exit_code == 2 and memory.stderr.startswith("error [PL216] query needs more memory than its limit of 64MB")
    bad = runner.invoke(app, ["query", "SELECT 1", "--db", str(db), "--memory-limit", "lots"])
    assert bad.exit_code == 2 and bad.stderr.startswith("error [PL212] invalid value for --memory-limit")


def test_cli_data_query_limits_come_from_the_config(db: Path, tmp_path: Path) -> None:
    from presslens.settings import DEFAULT_CONFIG

    config = tmp_path / "small.cfg"
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("max_rows = 100000", "max_rows = 3"), encoding="utf-8")
    result = runner.invoke(app, ["query", "SELECT * FROM range(4)", "--db", str(db), "--config", str(config)])
    assert result.exit_code == 2 and "more than 3 rows" in result.stderr


def test_cli_data_table_and_errors_show_control_characters_escaped(db: Path) -> None:
    table = runner.invoke(app, ["query", "SELECT reason FROM quarantine", "--db", str(db)])
    assert table.exit_code == 0 and SHOWN in table.stdout and not any(raw in table.stdout for raw in RAW)
    failed = runner.invoke(app, ["query", "SELECT 1", "--db", HOSTILE + ".duckdb"])
    assert failed.exit_code == 2
    assert failed.stderr == f"error [PL207] database {SHOWN}.duckdb does not exist yet; run `presslens ingest PATH --db {SHOWN}.duckdb` first\n"


def test_cli_data_csv_and_json_to_a_pipe_stay_exact(db: Path, tmp_path: Path) -> None:
    csv = runner.invoke(app, ["query", "SELECT code, reason FROM quarantine", "--db", str(db), "--format", "csv"])
    assert csv.stdout == f"code,reason\nPL101,{HOSTILE}\n"
    lines = runner.invoke(app, ["query", "SELECT reason FROM quarantine", "--db", str(db), "--format", "json"]).stdout
    assert json.loads(lines) == {"reason": HOSTILE}
    exported = _presslens("export", "-t", "quarantine", "-f", "csv", "-o", "-", "--db", str(db))
    assert exported.returncode == 0 and exported.stdout == f"source,code,reason\n{HOSTILE}.txt,PL101,{HOSTILE}\n"
    parquet = subprocess.run(
        [sys.executable, "-m", "presslens", "export", "-t", "quarantine", "-o", "-", "--db", str(db)], capture_output=True, check=False
    )
    assert parquet.returncode == 0 and parquet.stdout[:4] == b"PAR1" and parquet.stdout[-4:] == b"PAR1"


def test_cli_data_csv_and_json_to_a_terminal_are_escaped(db: Path) -> None:
    query_csv = _on_terminal("query", "SELECT code, reason FROM quarantine", "--db", str(db), "--format", "csv")
    assert query_csv.replace("\r\n", "\n") == f"code,reason\nPL101,{SHOWN}\n"
    export_csv = _on_terminal("export", "-t", "quarantine", "-f", "csv", "-o", "-", "--db", str(db))
    assert export_csv.replace("\r\n", "\n") == f"source,code,reason\n{SHOWN}.txt,PL101,{SHOWN}\n"
    query_json = _on_terminal("query", "SELECT reason FROM quarantine", "--db", str(db), "--format", "json")
    assert not any(raw in query_json for raw in RAW) and json.loads(query_json) == {"reason": HOSTILE}
    table = _on_terminal("query", "SELECT * FROM quarantine", "--db", str(db))
    assert SHOWN in table and not any(raw in table for raw in RAW)


def test_cli_data_parquet_is_not_written_to_a_terminal(db: Path) -> None:
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "presslens", "export", "-t", "quarantine", "-o", "-", "--db", str(db)]
    result = subprocess.run(command, stdout=follower, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    os.close(follower)
    os.close(leader)
    assert result.returncode == 2 and result.stderr.startswith("error [PL218] refusing to write Parquet to a terminal")


def test_cli_data_a_broken_pipe_ends_quietly(db: Path) -> None:
    command = f'"{sys.executable}" -m presslens query "SELECT * FROM range(2000000)" --db "{db}" -f csv --max-rows 3000000 | head -1'
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "range\n" and result.stderr == ""


def test_cli_data_export_reads_no_file_through_a_crafted_view(tmp_path: Path) -> None:
    crafted = tmp_path / "crafted.duckdb"
    con = duckdb.connect(str(crafted))
    con.execute("CREATE VIEW articles AS SELECT * FROM read_text('/etc/hostname')")
    con.close()
    hostname = Path("/etc/hostname").read_text(encoding="utf-8").strip()
    for fmt in ("csv", "jsonl", "parquet"):
        result = runner.invoke(app, ["export", "-t", "articles", "-f", fmt, "-o", str(tmp_path / f"a.{fmt}"), "--db", str(crafted)])
        assert result.exit_code == 2 and "file system operations are disabled" in result.stderr
        assert hostname not in result.output and not (tmp_path / f"a.{fmt}").exists()


def test_cli_data_usage_errors_are_one_coded_line() -> None:
    cases = {
        ("query", "SELECT 1", "--bogus"): "error [PL212] No such option: --bogus (see `root query --help`)\n",
        ("query",): "error [PL212] Missing argument 'sql' (see `root query --help`)\n",
        ("--bogus",): "error [PL212] No such option: --bogus (see `root --help`)\n",
        ("export", "-t", "runs"): "error [PL212] Missing option '--output' / '-o' (see `root export --help`)\n",
        ("query", "SELECT 1", "--format", "xml"): None,
    }
    for args, expected in cases.items():
        result = runner.invoke(app, list(args))
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error [PL212] ") and result.stderr.count("\n") == 1, result.stderr
        assert expected is None or result.stderr == expected
    assert _presslens("query", "--bogus").stderr == "error [PL212] No such option: --bogus (see `presslens query --help`)\n"


def test_cli_data_export_help_lists_every_table() -> None:
    result = runner.invoke(app, ["export", "--help"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    assert f"The table: {', '.join(TABLES)}." in result.stdout
    assert {"articles", "sources", "runs", "quarantine"} <= set(TABLES)


def test_cli_data_fast_commands_import_no_spacy(db: Path) -> None:
    script = f"""
import sys
import presslens
assert not {{"spacy", "duckdb", "presslens.pipeline", "presslens.store.duck"}} & set(sys.modules)
assert sorted(presslens.__all__) == sorted(set(dir(presslens)) & set(presslens.__all__))
from typer.testing import CliRunner
from presslens.cli import app
from presslens.settings import DEFAULT_CONFIG
runner = CliRunner()
for args in (["--help"], ["schema"], ["query", "SELECT 1", "--db", {str(db)!r}],
             ["export", "-t", "quarantine", "-f", "csv", "-o", "-", "--db", {str(db)!r}], ["export", "--help"]):
    assert runner.invoke(app, args).exit_code == 0, args
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc", "torch"))
assert not heavy, heavy
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    importtime = subprocess.run([sys.executable, "-X", "importtime", "-m", "presslens", "--help"], capture_output=True, text=True, check=False)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in importtime.stderr.splitlines() if "|" in line}
    assert importtime.returncode == 0 and not imported & {"spacy", "thinc", "torch"}


def test_cli_query_export_and_schema(tmp_path: Path, cli_nlp: Language) -> None:
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


def test_cli_query_table_cells_and_errors_are_printed_verbatim(tmp_path: Path) -> None:
    db = empty_db(tmp_path / "p.duckdb")
    sql = "SELECT 'He said [the government] would act [sic].' AS \"[b]quote[/b]\", '[/]' AS c, source FROM quarantine"
    result = runner.invoke(app, ["query", sql, "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "┃ [b]quote[/b]                              ┃ c   ┃ source      ┃"
    assert lines[3] == "│ He said [the government] would act [sic]. │ [/] │ bad [1].txt │"
    failed = runner.invoke(app, ["query", "SELECT '[/]'::INT", "--db", str(db)])
    assert failed.exit_code == 2
    assert failed.stderr == "error [PL204] query failed: Conversion Error: Could not convert string '[/]' to INT32\n"


def test_cli_query_json_handles_every_duckdb_type(tmp_path: Path) -> None:
    db = empty_db(tmp_path / "p.duckdb")
    sql = "SELECT DATE '2024-03-05' AS d, 1.50 AS n, INTERVAL 90 MINUTE AS i, '\\x01'::BLOB AS b"
    result = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"d": "2024-03-05", "n": "1.50", "i": "PT1H30M", "b": "01"}


def test_cli_export_to_stdout(tmp_path: Path) -> None:
    db = empty_db(tmp_path / "p.duckdb")
    command = [sys.executable, "-m", "presslens", "export", "-t", "quarantine", "-f", "csv", "-o", "-", "--db", str(db)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["source,code,reason,excerpt,run_id", f'bad [1].txt,PL101,empty input,"",{_run_id(db)}']
    assert result.stderr == "wrote 1 rows of quarantine to stdout\n"


def _run_id(db: Path) -> str:
    return str(query(db, "SELECT run_id FROM runs")[1][0][0])


def test_cli_a_database_locked_past_the_wait_is_a_usage_error(tmp_path: Path) -> None:
    db = empty_db(tmp_path / "p.duckdb")
    config = tmp_path / "short-wait.cfg"  # export waits for a writer up to [query] timeout_s
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("timeout_s = 30.0", "timeout_s = 0.2"), encoding="utf-8")
    code = "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()"
    with subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        busy = "stayed locked by another connection (an ingest writing, or readers) for more than 0.2 s"
        assert busy in fails(["query", "SELECT 1", "--db", str(db), "--timeout", "0.2"], "PL209")
        assert busy in fails(["export", "-t", "runs", "-o", str(tmp_path / "r.csv"), "--db", str(db), "--config", str(config)], "PL209")
        holder.communicate("")

