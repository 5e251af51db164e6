"""The server's read side of the store: read-only connections per request, waiting while an ingest writes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import duckdb

from presslens.errors import UsageError
from presslens.record.models import ArticleRecord
from presslens.settings import QuerySettings
from presslens.store.readonly import execute, read_only
from presslens.store.records import read_record


class Queries(Protocol):
    """What page queries need: the rows of a statement, or its first row (a `Session`, or a test's stand-in)."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of one statement as dicts keyed by column name."""

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """The first row of one statement, or None."""

    def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        """The number a ``SELECT count(*) ...`` statement gives."""


class Session:
    """Read-only statements on one open connection, each within the ``[query]`` limits."""

    def __init__(self, con: duckdb.DuckDBPyConnection, limits: QuerySettings) -> None:
        self.con = con
        self.limits = limits

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of one statement as dicts keyed by column name."""
        names, rows = execute(self.con, sql, params, self.limits)
        return [dict(zip(names, row)) for row in rows]

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """The first row of one statement, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        """The number a ``SELECT count(*) ...`` statement gives."""
        _, rows = execute(self.con, sql, params, self.limits)
        return int(rows[0][0])


class Reader:
    """Read-only access for the pages within the ``[query]`` limits; ``wait_s`` is how long to wait for a writer."""

    def __init__(self, db: str | Path, limits: QuerySettings, wait_s: float) -> None:
        self.db = Path(db)
        self.limits = limits
        self.wait_s = wait_s

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One connection for a page's statements (opening costs ~10 ms; an ingest waits while it is open).

        Raises:
            UsageError: PL207 when the store does not exist yet, PL209 when a writer held it past ``wait_s``.
        """
        with read_only(self.db, self.limits, wait_s=self.wait_s) as con:
            yield Session(con, self.limits)

    def record(self, article_id: str) -> ArticleRecord:
        """The stored record of one article, exactly as `presslens analyze` gave it.

        Raises:
            UsageError: PL220 when no article has that id.
        """
        with self.session() as session:
            record = read_record(session.con, article_id)
        if record is None:
            raise UsageError("PL220", id=article_id)
        return record
