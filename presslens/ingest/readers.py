"""Stream RawDocs from files, directories, JSON Lines and stdin in constant memory."""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, cast

from presslens.errors import BadInputError, UsageError
from presslens.ingest.decode import decode_bytes
from presslens.ingest.jsonl import read_jsonl
from presslens.ingest.quarantine import quarantine
from presslens.ingest.raw import Quarantined, RawDoc
from presslens.ingest.sanitize import replace_surrogates
from presslens.ingest.scan import scan_folder
from presslens.ingest.sniff import sniff_format
from presslens.settings import IngestSettings

__all__ = ["check_paths", "quarantine", "read_file", "read_sources"]


def read_sources(paths: Iterable[str], settings: IngestSettings) -> Iterator[RawDoc | Quarantined]:
    """Yield a RawDoc for every record in ``paths`` (files, directories, or ``-`` for stdin).

    Bad records, unreadable folders and symbolic link loops come out as Quarantined entries;
    a missing path raises UsageError (PL201).
    """
    for name in paths:
        if name == "-":
            yield from read_stream(sys.stdin.buffer, "-", settings)
            continue
        path = Path(name)
        if path.is_dir():
            for found in scan_folder(path, lambda file: file.suffix.lower() in settings.suffixes):
                if isinstance(found, Quarantined):
                    yield found
                else:
                    yield from read_file(found, settings)
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
    source = replace_surrogates(str(path))  # an undecodable file name must still be storable
    try:
        with path.open("rb") as raw:
            stream: BinaryIO = raw
            if raw.read(2) == b"\x1f\x8b":
                raw.seek(0)
                stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
            else:
                raw.seek(0)
            yield from read_stream(stream, source, settings)
    except (OSError, EOFError) as err:
        yield quarantine(source, BadInputError("PL111", path=source, detail=str(err)))


def read_stream(stream: BinaryIO, source: str, settings: IngestSettings) -> Iterator[RawDoc | Quarantined]:
    """Sniff the format from the first bytes of ``stream`` and dispatch to the right reader."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(cast(io.RawIOBase, stream))
    head = buffered.peek(4096)[:4096]
    fmt = sniff_format(head, source)
    if fmt == "jsonl":
        yield from read_jsonl(buffered, source, settings.max_bytes)
        return
    data = buffered.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        size = len(data) + _drain(buffered)
        yield quarantine(source, BadInputError("PL104", size=size, limit=settings.max_bytes), data)
        return
    try:
        yield RawDoc(source=source, kind=fmt, content=decode_bytes(data))
    except BadInputError as err:
        yield quarantine(source, err, data)


def _drain(stream: BinaryIO) -> int:
    """Read the rest of an oversized stream in chunks, returning its length."""
    total = 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
    return total
