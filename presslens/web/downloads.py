"""Downloads of a query's rows as CSV or Parquet: written batch by batch into a spooled file, then streamed.

The rows are written while the read connection is open and streamed after it is closed, so a slow
client never holds the database (an ingest can write meanwhile) and memory stays constant: the
spool moves to disk past ``SPOOL_BYTES``.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any, Literal

from fastapi.responses import StreamingResponse

from presslens.store import readonly
from presslens.web.db import Reader

Format = Literal["csv", "parquet"]
MEDIA_TYPES: dict[Format, str] = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
SPOOL_BYTES = 8 << 20
_CHUNK_BYTES = 1 << 16


def download(reader: Reader, sql: str, params: Sequence[Any], fmt: Format, filename: str) -> StreamingResponse:
    """Every row of one read-only statement as a CSV or Parquet attachment named ``filename``.

    The ``[query]`` time and memory limits apply, the row limit does not.

    Raises:
        UsageError: PL207/PL209/PL213 when the store cannot be read, PL214/PL216 at a limit, PL204 when the query fails.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        with reader.session() as session:
            if fmt == "parquet":
                readonly.write_rows(session.con, sql, params, fmt, spool, reader.limits, reader.limits.timeout_s)
            else:
                text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
                readonly.write_rows(session.con, sql, params, fmt, text, reader.limits, reader.limits.timeout_s)
                text.detach()  # flushed; the spool stays open for the response
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)
    headers = {"content-disposition": f'attachment; filename="{filename}"', "content-length": str(size)}
    return StreamingResponse(_chunks(spool), media_type=MEDIA_TYPES[fmt], headers=headers)


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    """The spooled file in chunks, closed (and deleted) at the end or when the client goes away."""
    try:
        while chunk := spool.read(_CHUNK_BYTES):
            yield chunk
    finally:
        spool.close()
