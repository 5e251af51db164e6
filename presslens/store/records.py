"""Records from the store: each ArticleRecord rebuilt exactly from its rows (the inverse of ``rows.table_rows``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import duckdb

from presslens.record.models import ArticleRecord
from presslens.store.schema import ARTICLE_COLUMNS, CHILD_TABLES, TIMESTAMP_COLUMNS, iso_column


def read_record(con: duckdb.DuckDBPyConnection, article_id: str) -> ArticleRecord | None:
    """The stored record of one article, equal to the one that was stored; None when no article has that id."""
    return read_records(con, [article_id]).get(article_id)


def read_records(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, ArticleRecord]:
    """The stored records of these articles by id, in the order of ``ids`` (ids not stored are left out).

    Child rows come back in their stored order (``idx``); a timestamp comes back as the record's
    own ISO string, or, for a row an older presslens stored without it, as the UTC time; a field
    added since a row was stored gets its default.
    """
    articles = _rows(con, "articles", ARTICLE_COLUMNS, "id", list(ids))
    found = {row["id"]: row for row in articles}
    for table, model in CHILD_TABLES.items():
        for row in found.values():
            row[table] = []
        for row in _rows(con, table, ["article_id", *model.model_fields], "article_id", list(found)):
            found[row.pop("article_id")][table].append(row)
    return {i: ArticleRecord.model_validate(found[i]) for i in ids if i in found}


def _rows(con: duckdb.DuckDBPyConnection, table: str, names: list[str], key: str, keys: list[str]) -> list[dict[str, Any]]:
    """The ``names`` columns of the rows of ``table`` whose ``key`` is in ``keys`` (child rows in ``idx`` order)."""
    stamps = TIMESTAMP_COLUMNS[table]
    columns = ", ".join([*(f'"{n}"' for n in names), *(f'"{iso_column(n)}"' for n in stamps)])
    order = " ORDER BY article_id, idx" if table in CHILD_TABLES else ""
    cursor = con.execute(f'SELECT {columns} FROM {table} WHERE "{key}" IN (SELECT unnest(?)){order}', [keys])
    rows = [dict(zip([*names, *map(iso_column, stamps)], values)) for values in cursor.fetchall()]
    for row in rows:
        for name in stamps:
            row[name] = _iso(row.pop(iso_column(name)), row[name])
    # NULL is the field's default (None), or a column added after the row was stored: the default applies
    return [{name: value for name, value in row.items() if value is not None} for row in rows]


def _iso(text: str | None, moment: datetime | None) -> str | None:
    """The record's ISO string of a timestamp; without one (a row of an older presslens), the stored UTC time."""
    if text is not None or moment is None:
        return text
    return moment.replace(tzinfo=timezone.utc).isoformat()
