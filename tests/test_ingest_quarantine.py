"""Quarantine entries hold text that can be stored and shown."""

from __future__ import annotations

from presslens.errors import BadInputError
from presslens.ingest.quarantine import quarantine


def test_quarantine_excerpt_and_source_are_safe() -> None:
    entry = quarantine("bad\udcff.txt", BadInputError("PL109", chars=11, minimum=20), "too short \ud800\x1b[2J" + "x" * 300)
    assert (entry.source, entry.code) == ("bad\ufffd.txt", "PL109")
    assert entry.reason == "text too short after cleaning (11 characters, the minimum is 20)"
    assert entry.excerpt == "too short \ufffd[2J" + "x" * 185


def test_quarantine_excerpt_of_bytes_is_decoded_leniently() -> None:
    entry = quarantine("b.bin", BadInputError("PL102", detail="NUL bytes"), b"ab\xffc")
    assert entry.excerpt == "ab\ufffdc"
