"""What the CLI tests share: an in-process runner, the one-coded-line check, a tiny database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from presslens.cli import app
from presslens.ingest.raw import Quarantined

runner = CliRunner()


def fails(args: list[str], code: str) -> str:
    """Run a command that must fail with a one-line coded usage error; return the line."""
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error [{code}] ") and result.stderr.count("\n") == 1, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


def empty_db(path: Path) -> Path:
    """A presslens database with one run and one quarantine row (no article)."""
    from presslens.store import Store

    store = Store(path)
    run = store.start_run("test", model="model", config_hash="cfg", version="0", spacy_version="3", model_version="3")
    store.quarantine([Quarantined(source="bad [1].txt", code="PL101", reason="empty input")], run)
    return path
