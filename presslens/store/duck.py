"""Store: the embedded DuckDB file; idempotent upserts keyed by article id, read-only queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa
from pydantic_core import to_jsonable_python

from presslens.errors import UsageError
from presslens.record.models import ArticleRecord, Quarantined
from presslens.store.schema import ARTICLE_COLUMNS, CHILD_TABLES, ddl

ExportFormat = Literal["parquet", "csv", "jsonl"]
TABLES = ("articles", *CHILD_TABLES, "runs", "quarantine")
_READ_ONLY_STATEMENTS = {"SELECT", "EXPLAIN"}


class Store:
    """A presslens DuckDB database file (created on first write)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The read-write connection, creating the tables on first use."""
        if self._con is None:
            self._con = _connect(self.path)
            for statement in ddl():
                self._con.execute(statement)
        return self._con

    def close(self) -> None:
        """Close the connection (the file stays)."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def start_run(
        self, command: str, model: str, config_hash: str, version: str, spacy_version: str, model_version: str
    ) -> str:
        """Record the start of a run and return its id; every row it writes names it."""
        run_id = uuid.uuid4().hex
        self.con.execute(
            "INSERT INTO runs (run_id, command, status, started_at, presslens_version, model, config_hash, "
            "spacy_version, model_version) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)",
            [run_id, command, _now(), version, model, config_hash, spacy_version, model_version],
        )
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, int], seconds: float) -> None:
        """Mark a run completed with its counts and duration (a killed run stays 'running')."""
        self.con.execute(
            "UPDATE runs SET status = 'completed', finished_at = ?, articles = ?, skipped = ?, "
            "quarantined = ?, seconds = ? WHERE run_id = ?",
            [_now(), counts.get("articles", 0), counts.get("skipped", 0), counts.get("quarantined", 0), seconds, run_id],
        )

    def has_article(self, article_id: str, config_hash: str) -> bool:
        """True when the article is stored from a run with the same configuration."""
        row = self.con.execute(
            "SELECT 1 FROM articles WHERE id = ? AND config_hash = ?", [article_id, config_hash]
        ).fetchone()
        return row is not None

    def upsert(self, records: Iterable[ArticleRecord], run_id: str, config_hash: str) -> int:
        """Write records in one transaction, replacing earlier versions and clearing their sources' quarantine."""
        batch = list(records)
        if not batch:
            return 0
        ids = [r.id for r in batch]
        sources = [r.source for r in batch if r.source is not None]
        with self._transaction() as con:
            con.execute("DELETE FROM quarantine WHERE source IN (SELECT unnest(?))", [sources])
            for table in CHILD_TABLES:
                con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
            _insert(con, "articles", [
                {**{n: getattr(r, n) for n in ARTICLE_COLUMNS}, "run_id": run_id, "config_hash": config_hash}
                for r in batch
            ], replace=True)
            for table in CHILD_TABLES:
                rows = [
                    {"article_id": r.id, "idx": idx, **item.model_dump(), "run_id": run_id}
                    for r in batch
                    for idx, item in enumerate(getattr(r, table))
                ]
                _insert(con, table, rows)
        return len(batch)

    def quarantine(self, entries: Iterable[Quarantined], run_id: str) -> int:
        """Store quarantine entries, one row per source and code (a later run's reason replaces an earlier one)."""
        rows = [[q.source, q.code, q.reason, q.excerpt, run_id] for q in entries]
        if rows:
            with self._transaction() as con:
                con.executemany("INSERT OR REPLACE INTO quarantine VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)

    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index]

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Commit on success, roll back on any error."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def query(db: str | Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement on ``db`` and return its column names and rows.

    The connection is opened read-only with file access disabled, and only SELECT/EXPLAIN
    statements are accepted, so a query can neither change the database nor touch files.

    Raises:
        UsageError: PL207 when the database does not exist, PL209 when it cannot be opened,
            PL202 for a writing statement, PL204 when DuckDB rejects the query.
    """
    with _read_only(db, external_access=False) as con:
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as err:
            raise UsageError("PL204", detail=_reason(err)) from None
        if len(statements) != 1 or statements[0].type.name not in _READ_ONLY_STATEMENTS:
            raise UsageError("PL202", sql=sql.strip()[:80])
        try:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description or []]
            return names, cursor.fetchall()
        except duckdb.Error as err:
            raise UsageError("PL204", detail=_reason(err)) from None


def export(db: str | Path, table: str, fmt: ExportFormat, out: str | Path) -> int:
    """Write one table to Parquet, CSV or JSON Lines and return the number of rows written.

    Raises:
        UsageError: PL203 for an unknown table, PL207 when the database does not exist,
            PL209 when it cannot be opened, PL210 when ``out`` cannot be written.
    """
    if table not in TABLES:
        raise UsageError("PL203", table=table, tables=", ".join(TABLES))
    options = {"parquet": "FORMAT parquet", "csv": "FORMAT csv, HEADER true", "jsonl": "FORMAT json"}[fmt]
    with _read_only(db, external_access=True) as con:
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
        target = str(out).replace("'", "''")
        try:
            con.execute(f"COPY (SELECT * FROM {table}) TO '{target}' ({options})")
        except duckdb.IOException as err:
            raise UsageError("PL210", path=str(out), detail=_reason(err)) from None
    return int(count)


@contextmanager
def _read_only(db: str | Path, external_access: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to an existing database file."""
    if not Path(db).is_file():
        raise UsageError("PL207", path=str(db))
    con = _connect(db, read_only=True, config={"enable_external_access": external_access})
    try:
        yield con
    finally:
        con.close()


def _connect(path: str | Path, **options: Any) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file.

    Raises:
        UsageError: PL209 when the file is locked by another process, is not a DuckDB database,
            or its folder does not exist.
    """
    try:
        return duckdb.connect(str(path), **options)
    except duckdb.Error as err:
        raise UsageError("PL209", path=str(path), detail=_reason(err)) from None


def _reason(err: duckdb.Error) -> str:
    """The first line of a DuckDB error message."""
    return str(err).splitlines()[0]


def to_json(value: Any) -> Any:
    """Make a DuckDB value JSON-friendly, inside lists and structs too.

    Dates and times become ISO 8601 strings, intervals ISO 8601 durations ("P1DT2H"), DECIMAL
    and UUID strings (a decimal keeps every digit), BLOB hex strings, NaN and infinity null.
    """
    return to_jsonable_python(value, timedelta_mode="iso8601", bytes_mode="hex", inf_nan_mode="null")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], replace: bool = False) -> None:
    """Insert rows by column name through one Arrow table (far faster than row-by-row inserts)."""
    if not rows:
        return
    con.register("_presslens_batch", pa.Table.from_pylist(rows))
    try:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM _presslens_batch")
    finally:
        con.unregister("_presslens_batch")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
