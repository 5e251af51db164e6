"""JSON Lines records: deep nesting, non-string metadata and lone surrogates never stop the batch."""

from __future__ import annotations

import io

from presslens.ingest.jsonl import read_jsonl
from presslens.ingest.raw import Quarantined, RawDoc

ARTICLE = "The storm hit the coast on Sunday, officials said."


def _read(*lines: str) -> list[RawDoc | Quarantined]:
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    return list(read_jsonl(io.BytesIO(data), "w.jsonl", 10_000_000))


def test_jsonl_deeply_nested_line_is_pl106_and_the_next_line_is_read() -> None:
    nested, ok = _read("[" * 100_000 + "]" * 100_000, f'{{"id": "ok", "text": "{ARTICLE}"}}')
    assert isinstance(nested, Quarantined)
    assert (nested.source, nested.code, nested.reason) == ("w.jsonl:1", "PL106", "line is not valid JSON: arrays or objects nested too deeply")
    assert isinstance(ok, RawDoc) and ok.meta == {"source_id": "ok"}


def test_jsonl_integer_over_the_digit_limit_is_pl106() -> None:
    (entry,) = _read('{"id": ' + "1" * 5000 + ', "text": "x"}')
    assert isinstance(entry, Quarantined) and entry.code == "PL106"


def test_jsonl_numbers_become_strings_with_a_warning() -> None:
    (doc,) = _read(f'{{"id": 42, "published": 2026.5, "title": null, "text": "{ARTICLE}"}}')
    assert isinstance(doc, RawDoc)
    assert doc.meta == {"source_id": "42", "published": "2026.5"}
    assert doc.warnings == (
        "JSON field 'published' is the number 2026.5; stored as the string '2026.5'",
        "JSON field 'id' is the number 42; stored as the string '42'",
    )


def test_jsonl_objects_arrays_and_booleans_in_metadata_are_rejected_with_the_field() -> None:
    entries = _read(
        f'{{"id": "a", "outlet": {{"o": 1}}, "text": "{ARTICLE}"}}',
        f'{{"id": "b", "author": ["A", "B"], "text": "{ARTICLE}"}}',
        f'{{"id": true, "text": "{ARTICLE}"}}',
    )
    assert [(e.code, e.reason) for e in entries if isinstance(e, Quarantined)] == [
        ("PL113", "JSON field 'outlet' must be a string, got an object (numbers are stored as strings with a warning; objects, arrays and booleans are rejected)"),
        ("PL113", "JSON field 'author' must be a string, got an array (numbers are stored as strings with a warning; objects, arrays and booleans are rejected)"),
        ("PL113", "JSON field 'id' must be a string, got a boolean (numbers are stored as strings with a warning; objects, arrays and booleans are rejected)"),
    ]


def test_jsonl_lone_surrogates_are_replaced_in_text_and_metadata() -> None:
    short, titled = _read('{"id":"s2","text":"too short \\ud800"}', f'{{"id":"s1","title":"Bad \\ud800 title","text":"{ARTICLE}"}}')
    assert short == RawDoc("w.jsonl:1", "text", "too short \ufffd", {"source_id": "s2"})
    assert titled == RawDoc("w.jsonl:2", "text", ARTICLE, {"title": "Bad \ufffd title", "source_id": "s1"})
    assert titled.meta["title"].encode("utf-8") == b"Bad \xef\xbf\xbd title"  # storable as UTF-8
