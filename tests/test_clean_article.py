from __future__ import annotations

import hashlib
from typing import Any

import pytest

from presslens.clean import clean
from presslens.errors import BadInputError
from presslens.ingest.raw import RawDoc
from presslens.settings import Settings


def _check(item: dict[str, Any], title: str | None, text: str, warnings: list[str]) -> bool:
    return {
        "title": lambda v: title == v,
        "text_contains": lambda v: v in text,
        "text_not_contains": lambda v: v not in text,
        "warning_contains": lambda v: any(v in w for w in warnings),
    }[item["check"]](item["value"])


def test_article_seed_meets_every_must_cleaning_check(
    pipeline: Any, seed_text: str, seed_expected: dict[str, Any]
) -> None:
    record = pipeline.analyze_one(seed_text, source="seed.txt")
    for item in seed_expected["cleaning"]["must"]:
        assert _check(item, record.title, record.text, record.warnings), item["note"]


def test_article_seed_meets_should_cleaning_checks(pipeline: Any, seed_text: str, seed_expected: dict[str, Any]) -> None:
    record = pipeline.analyze_one(seed_text, source="seed.txt")
    for item in seed_expected["cleaning"]["should"]:
        assert _check(item, record.title, record.text, record.warnings), item["note"]


def test_article_id_is_sha256_of_cleaned_text(settings: Settings, seed_text: str) -> None:
    article = clean(RawDoc("seed.txt", "text", seed_text), settings.clean)
    assert article.id == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert article.text.startswith("Hamas is refusing to call")


def test_article_same_text_from_two_sources_has_one_id(settings: Settings, seed_text: str) -> None:
    a = clean(RawDoc("a.txt", "text", seed_text), settings.clean)
    b = clean(RawDoc("b.jsonl:3", "text", seed_text.replace("\n", "\r\n") + "\n\n"), settings.clean)
    assert a.id == b.id


def test_article_non_english_is_flagged_not_analyzable(settings: Settings) -> None:
    text = (
        "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mietpreise in den "
        "Großstädten begrenzen soll. Die Opposition kritisierte den Entwurf scharf."
    )
    article = clean(RawDoc("de.txt", "text", text), settings.clean)
    assert (article.lang, article.analyzable) == ("de", False)
    assert article.warnings == ["[PL108] not English (detected 'de'): kept unanalyzed"]


def test_article_html_without_article_is_rejected(settings: Settings) -> None:
    with pytest.raises(BadInputError) as info:
        clean(RawDoc("empty.html", "html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"), settings.clean)
    assert info.value.code == "PL105"


def test_article_jsonl_metadata_wins_and_date_is_iso(settings: Settings) -> None:
    raw = RawDoc(
        "w.jsonl:1",
        "text",
        "Storm hits coast\n\nThe storm hit the coast on Sunday, officials said.",
        {"title": "Storm hits coast", "published": "2026-03-01T10:00:00Z", "outlet": "Wire"},
    )
    article = clean(raw, settings.clean)
    assert (article.title, article.published, article.outlet) == ("Storm hits coast", "2026-03-01T10:00:00+00:00", "Wire")
    assert article.text == "The storm hit the coast on Sunday, officials said."
