"""Table rows from records: every string made storable, ISO 8601 dates made timestamps (their text kept beside)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from presslens.ingest.raw import Quarantined
from presslens.record.models import ArticleRecord
from presslens.store.schema import CHILD_TABLES, TIMESTAMP_COLUMNS, iso_column

# NUL and lone surrogates: DuckDB and Arrow reject or mangle them. Each becomes U+FFFD, one
# character for one, so every offset into a stored text still points at the same place.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: Any) -> Any:
    """``value`` with NUL and lone surrogates replaced in every string, inside lists and dicts too."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value) if _UNSTORABLE.search(value) else value
    if isinstance(value, (list, tuple)):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    return value


def to_timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time as a naive UTC datetime (a date alone is its midnight).

    Raises:
        ValueError: when ``value`` is not ISO 8601.
    """
    if value is None:
        return None
    moment = datetime.fromisoformat(value)
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def table_rows(records: list[ArticleRecord], run_id: str, config_hash: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``articles`` and of each child table for a batch of records, ready for insertion.

    Raises:
        ValueError: when a timestamp field is not ISO 8601.
    """
    tables: dict[str, list[dict[str, Any]]] = {"articles": [], **{table: [] for table in CHILD_TABLES}}
    for record in records:
        article = storable(record.model_dump())
        for table in CHILD_TABLES:
            items = article.pop(table)
            tables[table] += [{"article_id": article["id"], "idx": idx, **item, "run_id": run_id} for idx, item in enumerate(items)]
        tables["articles"].append({**article, "run_id": run_id, "config_hash": config_hash})
    for table, names in TIMESTAMP_COLUMNS.items():
        for row in tables[table]:
            for name in names:
                row[iso_column(name)], row[name] = row[name], to_timestamp(row[name])
    return tables


def quarantine_rows(entries: list[Quarantined], run_id: str) -> list[list[str]]:
    """The rows of the ``quarantine`` table for a batch of entries, every string storable."""
    return [storable([q.source, q.code, q.reason, q.excerpt, run_id]) for q in entries]
