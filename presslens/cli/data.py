"""The commands over stored data: ``query`` (read-only, limited), ``export`` (streamed) and ``schema``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from pydantic import ValidationError

from presslens.cli.common import ConfigOption, DbOption, err, is_terminal, out, terminal_safe
from presslens.cli.render import line, table
from presslens.errors import UsageError
from presslens.settings import QuerySettings, load_settings
from presslens.store.schema import TABLES


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


_OPTIONS = {"timeout_s": "--timeout", "max_rows": "--max-rows", "memory_limit": "--memory-limit"}
MemoryOption = Annotated[Optional[str], typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 2GB (default: \\[query] memory_limit).")]


def query_command(
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement (SELECT or EXPLAIN).")],
    db: DbOption = None,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.001, help="Seconds before the query is stopped, and the longest wait while an ingest writes (default: \\[query] timeout_s).")] = None,
    max_rows: Annotated[Optional[int], typer.Option("--max-rows", min=1, help="Most rows a result may have (default: \\[query] max_rows).")] = None,
    memory_limit: MemoryOption = None,
    config: ConfigOption = None,
) -> None:
    """Run a read-only SQL query on the database, within a time, row and memory limit.

    Example:

        presslens query "SELECT label, count(*) AS n FROM entities GROUP BY label ORDER BY n DESC"
    """
    from presslens.store.readonly import csv_line, json_line, query

    settings = load_settings(config)
    limits = _limits(settings.query, "query", timeout_s=timeout, max_rows=max_rows, memory_limit=memory_limit)
    names, rows = query(db or settings.store.db, sql, limits)
    if fmt is QueryFormat.table:
        out.print(table(names, rows))
        return
    stream = terminal_safe(sys.stdout, json=fmt is QueryFormat.json)
    if fmt is QueryFormat.csv:
        stream.write(csv_line(names))
    for row in rows:
        stream.write(json_line(names, row) if fmt is QueryFormat.json else csv_line(row))


def export_command(
    table_name: Annotated[str, typer.Option("--table", "-t", help=f"The table: {', '.join(TABLES)}.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for stdout.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.parquet,
    db: DbOption = None,
    memory_limit: MemoryOption = None,
    config: ConfigOption = None,
) -> None:
    """Export one table to Parquet, CSV or JSON Lines, streamed (any size, constant memory).

    Example:

        presslens export --table entities --format parquet -o entities.parquet

        presslens export --table quarantine --format csv -o - | less
    """
    from presslens.store.readonly import export

    settings = load_settings(config)
    to_stdout = str(output) == "-"
    sink: Any = _stdout_sink(fmt) if to_stdout else output
    rows = export(db or settings.store.db, table_name, fmt.value, sink, _limits(settings.query, "export", memory_limit=memory_limit))
    sys.stdout.flush()
    err.print(line(f"wrote {rows} rows of {table_name} to {'stdout' if to_stdout else output}"))


def schema_command() -> None:
    """Print the JSON Schema of the article record (the output contract)."""
    from presslens.record.models import ArticleRecord

    sys.stdout.write(json.dumps(ArticleRecord.model_json_schema(), indent=2) + "\n")


def _stdout_sink(fmt: ExportFormat) -> Any:
    """Where an export to ``-`` writes: raw bytes for Parquet (never to a terminal), text escaped on a terminal.

    Raises:
        UsageError: PL218 for Parquet when stdout is a terminal.
    """
    if fmt is ExportFormat.parquet:
        if is_terminal():
            raise UsageError("PL218")
        return sys.stdout.buffer
    return terminal_safe(sys.stdout, json=fmt is ExportFormat.jsonl)


def _limits(defaults: QuerySettings, command: str, **options: Any) -> QuerySettings:
    """The configured query limits with the command line's options over them.

    Raises:
        UsageError: PL212 when an option's value is not valid (e.g. a memory limit without a unit).
    """
    try:
        return QuerySettings(**{**defaults.model_dump(), **{k: v for k, v in options.items() if v is not None}})
    except ValidationError as error:
        problem = error.errors()[0]
        option = _OPTIONS.get(str(problem["loc"][0]), str(problem["loc"][0]))
        raise UsageError("PL212", detail=f"invalid value for {option}: {problem['msg']}", command=f"presslens {command}") from None
