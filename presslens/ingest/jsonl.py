"""Read JSON Lines: one RawDoc per line, each bad line a quarantine entry with its coded reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from presslens.errors import BadInputError
from presslens.ingest.decode import decode_bytes
from presslens.ingest.quarantine import quarantine
from presslens.ingest.raw import Kind, Quarantined, RawDoc
from presslens.ingest.sanitize import replace_surrogates

# Metadata fields read from a record, and the name each is kept under.
_META_FIELDS = {"url": "url", "title": "title", "outlet": "outlet", "author": "author", "published": "published", "id": "source_id"}


def read_jsonl(stream: BinaryIO, source: str, max_bytes: int) -> Iterator[RawDoc | Quarantined]:
    """Yield one RawDoc per JSON Lines record, quarantining lines that are not usable."""
    for number, line in enumerate(_lines(stream, max_bytes), start=1):
        where = f"{source}:{number}"
        if isinstance(line, int):
            yield quarantine(where, BadInputError("PL104", size=line, limit=max_bytes))
            continue
        if not line.strip():
            continue
        try:
            yield _record(decode_bytes(line), where)
        except BadInputError as err:
            yield quarantine(where, err, line)


def _lines(stream: BinaryIO, limit: int) -> Iterator[bytes | int]:
    """Yield lines of at most ``limit`` bytes; an oversized line is skipped and yields its size."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
                size += len(line)
            yield size
        else:
            yield line


def _record(line: str, where: str) -> RawDoc:
    """Turn one JSON line into a RawDoc, keeping its ``id`` as ``source_id``.

    Lone surrogates (from ``\\ud800`` escapes) become U+FFFD in the text and every field.

    Raises:
        BadInputError: PL106 (not JSON, nested too deeply), PL110 (not an object), PL107 (no body),
            PL113 (a metadata field neither a string nor a number).
    """
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise BadInputError("PL106", detail=f"{err.msg} at column {err.colno}") from None
    except RecursionError:
        raise BadInputError("PL106", detail="arrays or objects nested too deeply") from None
    except ValueError as err:  # e.g. an integer over Python's digit limit
        raise BadInputError("PL106", detail=str(err)) from None
    if not isinstance(obj, dict):
        raise BadInputError("PL110")
    kind: Kind = "html" if isinstance(obj.get("html"), str) and not isinstance(obj.get("text"), str) else "text"
    content = obj.get(kind)
    if not isinstance(content, str):
        raise BadInputError("PL107")
    meta: dict[str, str] = {}
    warnings: list[str] = []
    for field, name in _META_FIELDS.items():
        value = _field(obj, field, warnings)
        if value:
            meta[name] = value
    return RawDoc(source=where, kind=kind, content=replace_surrogates(content), meta=meta, warnings=tuple(warnings))


def _field(obj: dict[str, Any], field: str, warnings: list[str]) -> str | None:
    """The string value of metadata ``field``; a number is converted with a warning, null is absent."""
    value = obj.get(field)
    if value is None or isinstance(value, str):
        return replace_surrogates(value) if value else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        warnings.append(f"JSON field {field!r} is the number {value!r}; stored as the string '{value}'")
        return str(value)
    kind = {bool: "a boolean", list: "an array", dict: "an object"}.get(type(value), type(value).__name__)
    raise BadInputError("PL113", field=field, kind=kind)
