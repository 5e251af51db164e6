"""GET /api/sql: one read-only SELECT on the store, within the time, row and memory limits of `presslens query`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from presslens.store import readonly
from presslens.web.pages import Store

router = APIRouter()

MAX_SQL_CHARS = 20_000


class SqlResult(BaseModel):
    """The column names and rows of the statement, values made JSON-safe (dates as ISO 8601 strings)."""

    columns: list[str]
    rows: list[list[Any]]


@router.get("/api/sql", response_model=SqlResult, name="api_sql")
def sql(
    store: Store,
    sql: Annotated[str, Query(min_length=1, max_length=MAX_SQL_CHARS, description="one SELECT (or WITH ... SELECT, EXPLAIN)")],
) -> SqlResult:
    """Run one read-only statement; writing, ATTACH, COPY, INSTALL/LOAD and reading files are refused with a coded error.

    The store is opened read-only with file access and extension loading off, so even a SELECT
    cannot read a file (``read_csv('/etc/passwd')`` fails with PL204).
    """
    columns, rows = readonly.query(store.db, sql, store.limits)
    return SqlResult(columns=columns, rows=[[readonly.to_json(value) for value in row] for row in rows])
