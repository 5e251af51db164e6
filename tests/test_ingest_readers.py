from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from presslens.errors import UsageError
from presslens.ingest.raw import RawDoc
from presslens.ingest.readers import read_sources
from presslens.ingest.sniff import sniff_format
from presslens.ingest.raw import Quarantined
from presslens.settings import Settings

ARTICLE = "Storm hits coast\n\nThe storm hit the coast on Sunday, officials said."


def _read(settings: Settings, *paths: Path | str) -> list[RawDoc | Quarantined]:
    return list(read_sources([str(p) for p in paths], settings.ingest))


def test_readers_text_html_and_jsonl_files(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>Hi</p></body></html>", encoding="utf-8")
    lines = [{"id": "w1", "text": ARTICLE, "outlet": "Wire"}, {"id": "w2", "html": "<p>x</p>", "url": "https://example.org/x"}]
    lines[0]["author"] = "A. Reporter"
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    docs = _read(settings, tmp_path)
    assert [(d.source.rsplit("/", 1)[-1], d.kind) for d in docs if isinstance(d, RawDoc)] == [
        ("a.txt", "text"), ("b.html", "html"), ("c.jsonl:1", "text"), ("c.jsonl:2", "html"),
    ]
    assert docs[2].meta == {"outlet": "Wire", "author": "A. Reporter", "source_id": "w1"}  # type: ignore[union-attr]
    assert docs[3].meta == {"url": "https://example.org/x", "source_id": "w2"}  # type: ignore[union-attr]


def test_readers_sniff_content_over_extension() -> None:
    assert sniff_format(b"<!DOCTYPE html><html><body>", "page.txt") == "html"
    assert sniff_format(b'{"text": "a"}\n{"text": "b"}\n', "dump.txt") == "jsonl"
    assert sniff_format(b"Just words here.", "noext") == "text"
    assert sniff_format(b"<p>One</p><p>Two</p><div>Three</div>", "snippet") == "html"


def test_readers_decode_legacy_encodings(tmp_path: Path, settings: Settings) -> None:
    text = "Le président a déclaré à la presse que l'économie française résiste très bien à la crise."
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (doc,) = _read(settings, tmp_path / "latin.txt")
    assert isinstance(doc, RawDoc) and doc.content == text


def test_readers_gzip_files_are_read_transparently(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    (doc,) = _read(settings, tmp_path / "a.txt.gz")
    assert isinstance(doc, RawDoc) and doc.content == ARTICLE


def test_readers_directory_scan_skips_hidden_and_unlisted_suffixes(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes", encoding="utf-8")
    assert [d.source for d in _read(settings, tmp_path)] == [str(tmp_path / "sub" / "a.txt")]


def test_readers_stdin(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE.encode("utf-8"))))
    assert _read(settings, "-") == [RawDoc("-", "text", ARTICLE)]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "PL101"),
        ("blank.txt", b" \n\t\n", "PL101"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PL102"),
        ("nul.txt", b"abc\x00\x01\x02" * 100, "PL102"),
    ],
)
def test_readers_bad_files_are_quarantined_with_reason(
    tmp_path: Path, settings: Settings, name: str, data: bytes, code: str
) -> None:
    (tmp_path / name).write_bytes(data)
    (entry,) = _read(settings, tmp_path / name)
    assert isinstance(entry, Quarantined)
    assert (entry.source, entry.code) == (str(tmp_path / name), code)


def test_readers_oversized_file_is_quarantined_with_its_size(tmp_path: Path, settings: Settings) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        for _ in range(20):
            handle.write(b"word " * 209_716)  # 20 MB in total
    (entry,) = _read(settings, big)
    assert isinstance(entry, Quarantined) and entry.code == "PL104"
    assert "20,971,600 bytes" in entry.reason


def test_readers_bad_jsonl_lines_are_quarantined_and_the_rest_read(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok1", "text": "Fine article text."}\n'
        "{not json\n"
        '{"id": "no-body", "title": "Only a title"}\n'
        "[1, 2]\n"
        '{"id": "ok2", "text": "Another article."}\n',
        encoding="utf-8",
    )
    entries = _read(settings, path)
    assert [(e.source.rsplit(":", 1)[-1], getattr(e, "code", "ok")) for e in entries] == [
        ("1", "ok"), ("2", "PL106"), ("3", "PL107"), ("4", "PL110"), ("5", "ok"),
    ]


def test_readers_missing_path_is_a_usage_error(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(UsageError) as info:
        _read(settings, tmp_path / "nope.txt")
    assert info.value.code == "PL201"


def test_readers_folder_problems_are_quarantined_and_the_rest_read(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    entries = _read(settings, tmp_path)
    assert [(Path(e.source).name, getattr(e, "code", "ok")) for e in entries] == [
        ("a.txt", "ok"), ("gone.txt", "PL111"), ("loop", "PL111"),
    ]
    assert "No such file or directory" in entries[1].reason  # type: ignore[union-attr]
