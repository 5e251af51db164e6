"""Store: the embedded DuckDB file; idempotent upserts keyed by article id."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Literal, TypeVar

import duckdb
import pyarrow as pa

from presslens.errors import BadInputError, UsageError, describe
from presslens.ingest.raw import Quarantined
from presslens.ingest.readers import quarantine as quarantine_entry
from presslens.record.models import ArticleRecord
from presslens.store.access import connection
from presslens.store.rows import quarantine_rows, table_rows
from presslens.store.schema import CHILD_TABLES, TABLES, TIMESTAMP_COLUMNS, ddl, iso_column

RunStatus = Literal["running", "completed", "failed", "interrupted"]
T = TypeVar("T")


class Store:
    """A presslens DuckDB database file (created on first write).

    The file is opened for each transaction and each read and closed right after, so between
    batches no lock is held: a server or a query can read it while an ingest runs.

    Args:
        path: the database file.
        batch_size: records (or quarantine entries) written per transaction; a killed run loses
            at most one uncommitted batch.
        lock_timeout_s: how long an open waits while another connection holds the file.
    """

    def __init__(self, path: str | Path, batch_size: int = 100, lock_timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        self.batch_size = batch_size
        self.lock_timeout_s = lock_timeout_s
        self._ready = False  # the tables are created (once per Store)

    def migrate(self) -> None:
        """Create the tables, or add what a newer presslens stores, now (a server does this once so older files read)."""
        with self._open():
            pass

    def start_run(
        self, command: str, model: str, config_hash: str, version: str, spacy_version: str, model_version: str
    ) -> str:
        """Record the start of a run and return its id; every row it writes names it."""
        run_id = uuid.uuid4().hex
        with self._open() as con:
            con.execute(
                "INSERT INTO runs (run_id, command, status, started_at, presslens_version, model, config_hash, "
                "spacy_version, model_version) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                [run_id, command, _now(), version, model, config_hash, spacy_version, model_version],
            )
        return run_id

    def mark_interrupted(self) -> int:
        """Mark runs still 'running' (their process was killed) as 'interrupted'; return how many."""
        with self._open() as con:
            (count,) = con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'").fetchone()  # type: ignore[misc]
        return int(count)

    def finish_run(self, run_id: str, status: RunStatus, counts: Mapping[str, int], seconds: float) -> None:
        """Mark a run finished with its status, counts (stored, unchanged, quarantined) and duration."""
        with self._open() as con:
            con.execute(
                "UPDATE runs SET status = ?, finished_at = ?, articles = ?, skipped = ?, quarantined = ?, seconds = ? "
                "WHERE run_id = ?",
                [status, _now(), counts.get("stored", 0), counts.get("unchanged", 0), counts.get("quarantined", 0), seconds, run_id],
            )

    def stored_ids(self, config_hash: str) -> set[str]:
        """The ids of the articles stored from runs with this configuration (read once, to skip them)."""
        with self._open() as con:
            return {article_id for (article_id,) in con.execute("SELECT id FROM articles WHERE config_hash = ?", [config_hash]).fetchall()}

    def upsert(
        self,
        records: Iterable[ArticleRecord],
        run_id: str,
        config_hash: str,
        on_failure: Callable[[Quarantined], None] | None = None,
    ) -> int:
        """Stream records into the database, one transaction per ``batch_size``; return how many were stored.

        Each record replaces its earlier version and clears its source's quarantine. When a batch
        cannot be written, its records are written one by one and only those that still fail are
        quarantined (PL304, also passed to ``on_failure``), so one unstorable record costs no other.

        Raises:
            UsageError: PL209 when the file cannot be opened (held past ``lock_timeout_s``, or not a database).
        """
        stored = 0
        for batch in _batches(records, self.batch_size):
            try:
                self._write(batch, run_id, config_hash)
                stored += len(batch)
            except UsageError:  # the file cannot be opened (PL209): no record's fault
                raise
            except Exception:  # noqa: BLE001  (the one-by-one retry finds and quarantines the culprit)
                stored += sum(self._write_alone(record, run_id, config_hash, on_failure) for record in batch)
        return stored

    def quarantine(self, entries: Iterable[Quarantined], run_id: str) -> int:
        """Stream quarantine entries in, one row per source and code (a later run's reason replaces an earlier one)."""
        count = 0
        for batch in _batches(entries, self.batch_size):
            with self._transaction() as con:
                con.executemany("INSERT OR REPLACE INTO quarantine VALUES (?, ?, ?, ?, ?)", quarantine_rows(batch, run_id))
            count += len(batch)
        return count

    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        with self._open() as con:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index]

    def _write(self, batch: list[ArticleRecord], run_id: str, config_hash: str) -> None:
        """Write one batch of records in one transaction."""
        tables = table_rows(batch, run_id, config_hash)
        ids = [row["id"] for row in tables["articles"]]
        sources = [row["source"] for row in tables["articles"] if row["source"] is not None]
        with self._transaction() as con:
            con.execute("DELETE FROM quarantine WHERE source IN (SELECT unnest(?))", [sources])
            for table in CHILD_TABLES:
                con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
            for table, rows in tables.items():
                _insert(con, table, rows, replace=table == "articles")

    def _write_alone(
        self, record: ArticleRecord, run_id: str, config_hash: str, on_failure: Callable[[Quarantined], None] | None
    ) -> bool:
        """Write one record; when that fails, quarantine it (PL304) and return False."""
        try:
            self._write([record], run_id, config_hash)
            return True
        except Exception as err:  # noqa: BLE001  (the record is quarantined with the reason)
            entry = quarantine_entry(record.source or record.id, BadInputError("PL304", error=describe(err)), record.text)
            self.quarantine([entry], run_id)
            if on_failure is not None:
                on_failure(entry)
            return False

    @contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection for one transaction or read, creating the tables on the first one.

        Raises:
            UsageError: PL209 when another connection holds the file past ``lock_timeout_s``, when
                the file is not a DuckDB database, or its folder does not exist.
        """
        remedy = "retry when that connection is done, or raise [store] lock_timeout_s"
        with connection(self.path, read_only=False, config={}, wait_s=self.lock_timeout_s, remedy=remedy) as con:
            if not self._ready:
                for statement in ddl():
                    con.execute(statement)
                _retype_timestamps(con)
                self._ready = True
            yield con

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection inside one transaction: committed on success, rolled back on any error, then closed."""
        with self._open() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")


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


def _retype_timestamps(con: duckdb.DuckDBPyConnection) -> None:
    """Make the TIMESTAMP columns that a file from an older presslens holds as ISO 8601 VARCHAR into TIMESTAMP (UTC).

    The text goes into the column beside first, so those records still read back exactly.
    """
    for table, names in TIMESTAMP_COLUMNS.items():
        for name in names:
            row = con.execute(
                "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?", [table, name]
            ).fetchone()
            if row is not None and row[0] == "VARCHAR":
                con.execute(f'UPDATE {table} SET "{iso_column(name)}" = "{name}" WHERE "{iso_column(name)}" IS NULL')
                utc = f"""CASE WHEN "{name}" ~ 'T.*(Z|[+-][0-9][0-9]:?[0-9][0-9])$' THEN timezone('UTC', try_cast("{name}" AS TIMESTAMPTZ)) ELSE try_cast("{name}" AS TIMESTAMP) END"""
                con.execute(f'ALTER TABLE {table} ALTER "{name}" SET DATA TYPE TIMESTAMP USING {utc}')


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of up to ``size`` items, read lazily from ``items``."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _now() -> datetime:
    """The current UTC time, naive, as the TIMESTAMP columns hold it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
