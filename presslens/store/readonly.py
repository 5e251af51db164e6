"""Read-only edges of the store: queries within time, row and memory limits, and streamed exports.

Both open the database read-only with file access off, so neither a statement nor a view someone
put in the file can read or write anything outside it; while an ingest writes a batch, they wait
for it (``read_only``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any, Literal, Protocol

import duckdb
import pyarrow as pa
from pydantic_core import to_jsonable_python

from presslens.errors import UsageError
from presslens.settings import QuerySettings, load_settings
from presslens.store.access import connection, reason
from presslens.store.schema import TABLES

ExportFormat = Literal["parquet", "csv", "jsonl"]
Rows = tuple[list[str], list[tuple[Any, ...]]]
_READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN"}
_BATCH_ROWS = 10_000  # rows per Arrow record batch of an export: memory stays constant
_CSV_SPECIAL = (",", '"', "\n", "\r")


class TextSink(Protocol):
    """Where CSV and JSON Lines exports write: an open text file, stdout, or a terminal-safe wrapper."""

    def write(self, text: str, /) -> Any:
        """Write text."""


def query(db: str | Path, sql: str, limits: QuerySettings | None = None, wait_s: float | None = None) -> Rows:
    """Run one read-only statement on ``db`` within limits and return its column names and rows.

    Only SELECT/EXPLAIN statements are accepted; ``limits`` defaults to ``[query]`` of the packaged config, and the wait
    for a writer to ``limits.timeout_s`` unless ``wait_s`` says otherwise.

    Raises:
        UsageError: PL207 when the database does not exist, PL213 when it is not a DuckDB file,
            PL209 when it cannot be opened (or a writer held it past the time limit), PL202 for a
            writing statement, PL204 when DuckDB rejects the query, PL214/PL215/PL216 at the time,
            row or memory limit.
    """
    limits = limits or load_settings().query
    with read_only(db, limits, wait_s=wait_s) as con:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as err:
            raise UsageError("PL204", detail=reason(err)) from None
        if len(statements) != 1 or statements[0].type.name not in _READ_ONLY_STATEMENTS:
            raise UsageError("PL202", sql=sql.strip()[:80])
        return execute(con, sql, (), limits)


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any], limits: QuerySettings) -> Rows:
    """Run one statement with parameters on an open connection within the time, row and memory limits.

    Raises:
        UsageError: PL204 when DuckDB rejects it, PL214/PL215/PL216 at the time, row or memory limit.
    """
    with _deadline(con, limits.timeout_s) as expired, _limit_errors(expired, limits):
        cursor = con.execute(sql, list(params))
        names = [d[0] for d in cursor.description or []]
        rows = cursor.fetchmany(limits.max_rows + 1)
    if len(rows) > limits.max_rows:
        raise UsageError("PL215", rows=limits.max_rows)
    return names, rows


def export(db: str | Path, table: str, fmt: ExportFormat, out: str | Path | TextSink | IO[bytes], limits: QuerySettings | None = None) -> int:
    """Stream one table to Parquet, CSV or JSON Lines and return the number of rows written.

    ``out`` is a file path, or an open stream: binary for Parquet, text for CSV and JSON Lines.
    Rows are fetched as Arrow record batches, so memory stays constant whatever the table's size;
    the memory limit and threads of ``limits`` apply, its time and row limits do not.

    Raises:
        UsageError: PL203 for an unknown table, PL207/PL213/PL209 when the database cannot be
            opened, PL210 when ``out`` cannot be written.
    """
    if table not in TABLES:
        raise UsageError("PL203", table=table, tables=", ".join(TABLES))
    limits = limits or load_settings().query
    with read_only(db, limits) as con:
        return write_rows(con, f'SELECT * FROM "{table}"', (), fmt, out, limits, timeout_s=None)


def write_rows(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Sequence[Any],
    fmt: ExportFormat,
    out: str | Path | TextSink | IO[bytes],
    limits: QuerySettings,
    timeout_s: float | None,
) -> int:
    """Stream every row of one statement into ``out`` in Arrow batches; return the row count.

    ``out`` is a file path (created only once the statement runs), or an open stream: binary for
    Parquet, text for CSV and JSON Lines.

    The memory limit of ``limits`` applies, and ``timeout_s`` when it is not None; there is no row limit.

    Raises:
        UsageError: PL204 when the statement fails, PL214/PL216 at the time or memory limit, PL210
            when ``out`` cannot be written.
    """
    expired = threading.Event()
    with _deadline(con, timeout_s) if timeout_s is not None else nullcontext(expired) as expired, _limit_errors(expired, limits):
        reader = con.sql(sql, params=list(params)).to_arrow_reader(_BATCH_ROWS)
        with _output(out, binary=fmt == "parquet") as sink:
            return _write_parquet(reader, sink) if fmt == "parquet" else _write_text(reader, sink, fmt)


def to_json(value: Any) -> Any:
    """Make a DuckDB value JSON-friendly, inside lists and structs too.

    Dates and times become ISO 8601 strings, intervals ISO 8601 durations ("P1DT2H"), DECIMAL
    and UUID strings (a decimal keeps every digit), BLOB hex strings, NaN and infinity null.
    """
    return to_jsonable_python(value, timedelta_mode="iso8601", bytes_mode="hex", inf_nan_mode="null")


def json_line(names: Sequence[str], row: Sequence[Any]) -> str:
    """One row as a JSON object on one line (the ``json`` query format and JSON Lines exports)."""
    return json.dumps({n: to_json(v) for n, v in zip(names, row)}, ensure_ascii=False) + "\n"


def csv_line(row: Sequence[Any]) -> str:
    """One row as a CSV line like DuckDB writes it: NULL empty, an empty string "", lists and structs as JSON."""
    return ",".join(_csv_field(value) for value in row) + "\n"


def _csv_field(value: Any) -> str:
    """One CSV field, quoted when it is empty or holds a comma, quote or line break."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, dict, tuple)):
        text = json.dumps(to_json(value), ensure_ascii=False)
    else:
        text = str(value)
    if text == "" or any(c in text for c in _CSV_SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_parquet(reader: pa.RecordBatchReader, sink: IO[bytes]) -> int:
    """Write record batches into one Parquet file, batch by batch."""
    import pyarrow.parquet as pq

    count = 0
    with pq.ParquetWriter(sink, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def _write_text(reader: pa.RecordBatchReader, sink: TextSink, fmt: ExportFormat) -> int:
    """Write record batches as lines of text: CSV after a header line, or JSON Lines."""
    names = reader.schema.names
    if fmt == "csv":
        sink.write(csv_line(names))
    count = 0
    for batch in reader:
        for row in zip(*(column.to_pylist() for column in batch.columns)):
            sink.write(csv_line(row) if fmt == "csv" else json_line(names, row))
        count += batch.num_rows
    return count


@contextmanager
def _output(out: str | Path | TextSink | IO[bytes], binary: bool) -> Iterator[Any]:
    """The stream to export into: ``out`` itself when it is one, else the file it names, opened here.

    Raises:
        UsageError: PL210 when the file cannot be created or written.
    """
    if not isinstance(out, (str, Path)):
        yield out
        return
    try:
        with open(out, "wb") if binary else open(out, "w", encoding="utf-8", newline="") as sink:
            yield sink
    except OSError as err:
        raise UsageError("PL210", path=str(out), detail=err.strerror or str(err)) from None


@contextmanager
def read_only(db: str | Path, limits: QuerySettings, wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to an existing DuckDB file, file access off, within the memory limit; closed on exit.

    While a writer holds the file (an ingest commits a batch, or this process writes through
    ``Store``), the open waits and retries, up to ``wait_s`` (default: ``limits.timeout_s``).
    Open one per request or statement and leave it soon: an ingest can write only when no
    connection reads.

    Raises:
        UsageError: PL207 when the database does not exist, PL213 when it is not a DuckDB file,
            PL209 when a writer held it past ``wait_s`` or it cannot be opened.
    """
    path = Path(db)
    if not path.is_file():
        raise UsageError("PL207", path=str(db))
    _check_duckdb_file(path)
    config: dict[str, str | bool | int | float | list[str]] = {
        "enable_external_access": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "memory_limit": limits.memory_limit,
        "max_temp_directory_size": "0B",
        "threads": limits.threads,
        "lock_configuration": True,
    }
    wait = limits.timeout_s if wait_s is None else wait_s
    with connection(path, read_only=True, config=config, wait_s=wait, remedy="retry when the writer is done") as con:
        yield con


def _check_duckdb_file(path: Path) -> None:
    """Fail with PL213 unless the file starts with DuckDB's header (``DUCK`` at byte 8)."""
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError as err:
        raise UsageError("PL209", path=str(path), detail=err.strerror or str(err)) from None
    if head[8:12] == b"DUCK":
        return
    hint = " (it is a SQLite database)" if head.startswith(b"SQLite format 3\0") else ""
    raise UsageError("PL213", path=str(path), hint=hint or (" (the file is empty)" if not head else ""))


@contextmanager
def _deadline(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[threading.Event]:
    """Interrupt the connection's running statement after ``seconds``; the event tells that it fired."""
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        timer.cancel()


@contextmanager
def _limit_errors(expired: threading.Event, limits: QuerySettings) -> Iterator[None]:
    """Turn DuckDB's errors into coded ones: the time limit, the memory limit, or a failed query."""
    try:
        yield
    except duckdb.Error as err:
        if expired.is_set() or isinstance(err, duckdb.InterruptException):
            raise UsageError("PL214", seconds=limits.timeout_s) from None
        if isinstance(err, duckdb.OutOfMemoryException):
            raise UsageError("PL216", limit=limits.memory_limit) from None
        raise UsageError("PL204", detail=reason(err)) from None
