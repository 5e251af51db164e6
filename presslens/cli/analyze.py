"""The commands that analyze: ``analyze`` (records out, nothing stored) and ``ingest`` (into DuckDB)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer
from rich.console import Console

from presslens.cli.common import ConfigOption, DbOption, err, out, terminal_safe
from presslens.cli.render import Tracker, line, print_summary, table
from presslens.errors import UsageError
from presslens.record.models import ArticleRecord
from presslens.settings import load_settings

PathsArgument = Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")]


class AnalyzeFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    pretty = "pretty"


def analyze_command(
    paths: PathsArgument,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    fmt: Annotated[AnalyzeFormat, typer.Option("--format", "-f", help="jsonl, json (one array) or pretty.")] = AnalyzeFormat.jsonl,
    config: ConfigOption = None,
) -> None:
    """Analyze articles and print one JSON record per article (nothing is stored).

    Examples:

        presslens analyze samples/judean-hamas-cooling-period.txt --format pretty

        cat article.html | presslens analyze - -o out.jsonl
    """
    from presslens.pipeline import Pipeline

    settings = load_settings(config)
    pipeline = Pipeline(settings)
    with Tracker(settings.clean.languages) as tracker, _open_output(output) as sink:
        outcomes = pipeline.analyze(pipeline.read(paths))
        write_records((o for o in _counted(outcomes, tracker) if isinstance(o, ArticleRecord)), fmt, sink)
    finish(tracker, settings.ingest.suffixes)


def ingest_command(
    paths: PathsArgument,
    db: DbOption = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="spaCy worker processes.")] = None,
    config: ConfigOption = None,
) -> None:
    """Analyze articles and store them in DuckDB; re-running skips articles already stored.

    Examples:

        presslens ingest samples/

        presslens ingest crawl.jsonl --db news.duckdb --workers 2
    """
    from presslens.run import ingest

    settings = load_settings(config)
    with Tracker(settings.clean.languages) as tracker:
        summary = ingest(paths, db, settings=settings, workers=workers, on_outcome=tracker)
    out.print(table(["table", "rows"], summary.tables.items(), title=str(summary.db)))
    finish(tracker, settings.ingest.suffixes)
    if summary.status != "completed":
        err.print(line(f"run {summary.run_id} {summary.status}", "red"))
        raise typer.Exit(1)


def _counted(outcomes: Iterable[object], tracker: Tracker) -> Iterator[object]:
    """The outcomes, each counted by the tracker as it passes."""
    for outcome in outcomes:
        tracker(outcome)
        yield outcome


def finish(tracker: Tracker, suffixes: list[str]) -> None:
    """Print the counts; exit 1 when not a single record was found or could be processed."""
    err.print(line(tracker.summary()))
    counts = tracker.counts
    if counts["articles"] + counts["skipped"] + counts["quarantined"] == 0:
        where = f"in the given paths (directories are scanned for files ending in {', '.join(suffixes)})"
        err.print(line(where, "red", "no input records found"))
        raise typer.Exit(1)
    if counts["articles"] + counts["skipped"] == 0:
        err.print(line("see the quarantine reasons above", "red", "no record could be processed:"))
        raise typer.Exit(1)


def _open_output(path: Optional[Path]) -> AbstractContextManager[TextIO]:
    """The file to write records to, or stdout when no path is given.

    Raises:
        UsageError: PL210 when the file cannot be created (no such folder, a directory, no permission).
    """
    if path is None:
        return nullcontext(sys.stdout)
    try:
        return path.open("w", encoding="utf-8")
    except OSError as error:
        raise UsageError("PL210", path=str(path), detail=error.strerror or str(error)) from None


def write_records(records: Iterable[ArticleRecord], fmt: AnalyzeFormat, sink: TextIO) -> None:
    """Write records as JSON Lines, one JSON array, or readable summaries; JSON to a terminal is escaped."""
    if fmt is AnalyzeFormat.pretty:
        console = out if sink is sys.stdout else Console(file=sink, highlight=False)
        for record in records:
            print_summary(record, console)
        return
    stream = terminal_safe(sink, json=True)
    if fmt is AnalyzeFormat.json:
        stream.write("[")
    for i, record in enumerate(records):
        if fmt is AnalyzeFormat.json:
            stream.write(("," if i else "") + "\n" + record.model_dump_json(indent=2))
        else:
            stream.write(record.model_dump_json() + "\n")
    if fmt is AnalyzeFormat.json:
        stream.write("\n]\n")
