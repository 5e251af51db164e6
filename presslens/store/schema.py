"""DuckDB table definitions derived from the record models, so store and contract never drift."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel

from presslens.record.models import Actor, ArticleRecord, Entity, Event, Framing, Place, Quote, Sentence, Source, Timestamp

# One table per record type; each child row carries its article id and position.
CHILD_TABLES: dict[str, type[BaseModel]] = {
    "entities": Entity,
    "sentences": Sentence,
    "actors": Actor,
    "places": Place,
    "events": Event,
    "quotes": Quote,
    "sources": Source,
    "framing": Framing,
}
ARTICLE_COLUMNS = [name for name in ArticleRecord.model_fields if name not in CHILD_TABLES]
TABLES = ("articles", *CHILD_TABLES, "runs", "quarantine")
RUNS_DDL = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, command VARCHAR, status VARCHAR, started_at TIMESTAMP,
    finished_at TIMESTAMP, presslens_version VARCHAR, model VARCHAR, config_hash VARCHAR,
    articles BIGINT, skipped BIGINT, quarantined BIGINT, seconds DOUBLE,
    spacy_version VARCHAR, model_version VARCHAR
)"""
QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS quarantine (
    source VARCHAR, code VARCHAR, reason VARCHAR, excerpt VARCHAR, run_id VARCHAR,
    PRIMARY KEY (source, code)
)"""


def duck_type(annotation: Any) -> str:
    """The DuckDB column type for a pydantic field annotation."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return "TIMESTAMP" if Timestamp in args[1:] else duck_type(args[0])
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return duck_type(inner)
    if origin in (list, tuple):
        return duck_type(args[0]) + "[]"
    if origin is Literal or annotation is str:
        return "VARCHAR"
    scalars = {int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}
    return scalars[annotation]


def columns(model: type[BaseModel], exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(name, type) for each field of ``model``."""
    return [(name, duck_type(f.annotation)) for name, f in model.model_fields.items() if name not in exclude]


# Each table's record model and the fields it stores in child tables instead.
_TABLE_MODELS: list[tuple[str, type[BaseModel], tuple[str, ...]]] = [
    ("articles", ArticleRecord, tuple(CHILD_TABLES)),
    *((table, model, ()) for table, model in CHILD_TABLES.items()),
]
# Columns typed TIMESTAMP, table by table: the record holds ISO 8601 strings, the store converts them.
TIMESTAMP_COLUMNS: dict[str, list[str]] = {
    table: [name for name, kind in columns(model, exclude) if kind == "TIMESTAMP"] for table, model, exclude in _TABLE_MODELS
}


def iso_column(name: str) -> str:
    """The VARCHAR column beside a TIMESTAMP column that keeps the record's own ISO 8601 string."""
    return f"{name}_iso"


def ddl() -> list[str]:
    """CREATE TABLE statements for every presslens table.

    Tables derived from the record models also gain any field added to a model since the
    database was created (ADD COLUMN IF NOT EXISTS), so older files keep working. Beside each
    TIMESTAMP column, a VARCHAR column keeps the record's ISO string ("2024-05-01" stays a date,
    "+02:00" its offset), so a stored record reads back exactly.
    """
    statements = [RUNS_DDL, QUARANTINE_DDL]
    article_cols = columns(ArticleRecord, exclude=tuple(CHILD_TABLES))
    tables = {"articles": (article_cols, '"id" VARCHAR PRIMARY KEY', ["run_id VARCHAR", "config_hash VARCHAR"])}
    for table, model in CHILD_TABLES.items():
        key = "article_id VARCHAR NOT NULL, idx INTEGER NOT NULL"
        tables[table] = (columns(model), key, ["run_id VARCHAR"])
    for table, (cols, key, extra) in tables.items():
        extra += [f'"{iso_column(name)}" VARCHAR' for name in TIMESTAMP_COLUMNS[table]]
        body = ", ".join([key, *(f'"{n}" {t}' for n, t in cols if n != "id" or table != "articles"), *extra])
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
        statements += [f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{n}" {t}' for n, t in cols]
        statements += [f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column}" for column in extra]
    return statements
