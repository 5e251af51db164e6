"""Build the quarantine entry of a rejected record, with text that is safe to store and show."""

from __future__ import annotations

from presslens.errors import BadInputError
from presslens.ingest.raw import Quarantined
from presslens.ingest.sanitize import replace_surrogates, strip_controls

_EXCERPT_CHARS = 200


def quarantine(source: str, err: BadInputError, raw: bytes | str = b"") -> Quarantined:
    """The quarantine entry for a record that failed with ``err``, with an excerpt of its raw input."""
    excerpt = raw if isinstance(raw, str) else raw[:_EXCERPT_CHARS].decode("utf-8", errors="replace")
    return Quarantined(
        source=replace_surrogates(source),
        code=err.code,
        reason=replace_surrogates(err.message),
        excerpt=strip_controls(excerpt[:_EXCERPT_CHARS]),
    )
