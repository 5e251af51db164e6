"""Stream RawDocs from files, directories, JSON Lines and stdin in constant memory."""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from presslens.errors import BadInputError, UsageError
from presslens.ingest.decode import decode_bytes
from presslens.ingest.raw import RawDoc
from presslens.ingest.sniff import sniff_format
from presslens.record.models import Quarantined
from presslens.settings import IngestSettings

_META_FIELDS = ("url", "title", "outlet", "author", "published")
_EXCERPT_CHARS = 200


def read_sources(paths: Iterable[str], settings: IngestSettings) -> Iterator[RawDoc | Quarantined]:
    """Yield a RawDoc for every record in ``paths`` (files, directories, or ``-`` for stdin).

    Bad records come out as Quarantined entries; a missing path raises UsageError (PL201).
    """
    for name in paths:
        if name == "-":
            yield from _read_stream(sys.stdin.buffer, "-", settings)
            continue
        path = Path(name)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p, path, settings)):
                yield from read_file(file, settings)
        elif path.is_file():
            yield from read_file(path, settings)
        else:
            raise UsageError("PL201", path=name)


def check_paths(paths: Iterable[str]) -> None:
    """Fail before any work when a path does not exist (PL201); ``-`` is stdin."""
    for name in paths:
        if name != "-" and not Path(name).exists():
            raise UsageError("PL201", path=name)


def read_file(path: Path, settings: IngestSettings) -> Iterator[RawDoc | Quarantined]:
    """Yield the records of one file (one document, or one per line for JSON Lines)."""
    try:
        with path.open("rb") as raw:
            stream: BinaryIO = raw
            if raw.read(2) == b"\x1f\x8b":
                raw.seek(0)
                stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
            else:
                raw.seek(0)
            yield from _read_stream(stream, str(path), settings)
    except (OSError, EOFError) as err:
        yield quarantine(str(path), BadInputError("PL111", detail=str(err)))


def quarantine(source: str, err: BadInputError, raw: bytes | str = b"") -> Quarantined:
    """Build the quarantine entry for a record that failed with ``err``."""
    excerpt = raw if isinstance(raw, str) else raw[:_EXCERPT_CHARS].decode("utf-8", errors="replace")
    return Quarantined(source=source, code=err.code, reason=err.message, excerpt=excerpt[:_EXCERPT_CHARS])


def _wanted(file: Path, root: Path, settings: IngestSettings) -> bool:
    """A directory member is read when its suffix is configured and no path part is hidden."""
    hidden = any(part.startswith(".") for part in file.relative_to(root).parts)
    return not hidden and file.suffix.lower() in settings.suffixes


def _read_stream(stream: BinaryIO, source: str, settings: IngestSettings) -> Iterator[RawDoc | Quarantined]:
    """Sniff the format from the first bytes of ``stream`` and dispatch to the right reader."""
    buffered = io.BufferedReader(stream) if not isinstance(stream, io.BufferedReader) else stream  # type: ignore[arg-type]
    head = buffered.peek(4096)[:4096]
    fmt = sniff_format(head, source)
    if fmt == "jsonl":
        yield from _read_jsonl(buffered, source, settings)
        return
    data = buffered.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        size = len(data) + _drain(buffered)
        yield quarantine(source, BadInputError("PL104", size=size, limit=settings.max_bytes), data)
        return
    try:
        yield RawDoc(source=source, kind=fmt, content=decode_bytes(data))  # type: ignore[arg-type]
    except BadInputError as err:
        yield quarantine(source, err, data)


def _drain(stream: BinaryIO) -> int:
    """Read the rest of an oversized stream in chunks, returning its length."""
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
    return total


def _read_jsonl(stream: BinaryIO, source: str, settings: IngestSettings) -> Iterator[RawDoc | Quarantined]:
    """Yield one RawDoc per JSON Lines record, quarantining lines that are not usable."""
    for number, line in enumerate(_lines(stream, settings.max_bytes), start=1):
        where = f"{source}:{number}"
        if isinstance(line, int):
            yield quarantine(where, BadInputError("PL104", size=line, limit=settings.max_bytes))
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
    """Turn one JSON line into a RawDoc, keeping its ``id`` as ``source_id``."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise BadInputError("PL106", detail=f"{err.msg} at column {err.colno}") from None
    if not isinstance(obj, dict):
        raise BadInputError("PL110")
    kind = "html" if isinstance(obj.get("html"), str) and not isinstance(obj.get("text"), str) else "text"
    content = obj.get(kind)
    if not isinstance(content, str):
        raise BadInputError("PL107")
    meta = {key: str(obj[key]) for key in _META_FIELDS if obj.get(key) not in (None, "")}
    if obj.get("id") not in (None, ""):
        meta["source_id"] = str(obj["id"])
    return RawDoc(source=where, kind=kind, content=content, meta=meta)

