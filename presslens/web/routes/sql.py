"""GET /api/sql: one read-only SELECT on the store, within the time and memory limits of `presslens query` and 10,000 rows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from presslens.store import readonly
from presslens.web.pages import StoreReader

router = APIRouter()

MAX_SQL_CHARS = 20_000
MAX_ROWS = 10_000  # an answer is built in memory as JSON: bigger results are for `presslens export` or a LIMIT/OFFSET


class SqlResult(BaseModel):
    """The column names and rows of the statement, values made JSON-safe (dates as ISO 8601 strings)."""

    columns: list[str]
    rows: list[list[Any]]


@router.get("/api/sql", response_model=SqlResult, name="api_sql")
def sql(
    store: StoreReader,
    sql: Annotated[str, Query(min_length=1, max_length=MAX_SQL_CHARS, description="one SELECT (or WITH ... SELECT, EXPLAIN)")],
) -> SqlResult:
    """Run one read-only statement; writing, ATTACH, COPY, INSTALL/LOAD and reading files are refused with a coded error.

    The store is opened read-only with file access and extension loading off, so even a SELECT
    cannot read a file (``read_csv('/etc/passwd')`` fails with PL204).
    """
    limits = store.limits.model_copy(update={"max_rows": min(store.limits.max_rows, MAX_ROWS)})
    columns, rows = readonly.query(store.db, sql, limits, wait_s=store.wait_s)
    return SqlResult(columns=columns, rows=[[readonly.to_json(value) for value in row] for row in rows])
