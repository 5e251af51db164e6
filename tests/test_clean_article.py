from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from presslens.clean import clean
from presslens.errors import BadInputError
from presslens.ingest.raw import RawDoc
from presslens.settings import Settings


def _check(item: dict[str, Any], title: str | None, text: str, warnings: list[str]) -> bool:
    checks: dict[str, Callable[[str], bool]] = {
        "title": lambda v: title == v,
        "text_contains": lambda v: v in text,
        "text_not_contains": lambda v: v not in text,
        "warning_contains": lambda v: any(v in w for w in warnings),
    }
    return checks[item["check"]](item["value"])


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


def test_article_control_and_bidi_characters_are_removed_from_text_and_metadata(settings: Settings) -> None:
    raw = RawDoc(
        "w.jsonl:1",
        "text",
        "The storm\x1b[2J hit the \u202ecoast\u202c on Sunday,\x07 officials said.\x85\nResidents stayed\x0cindoors.",
        {"title": "Storm\u2066 hits\x00 coast", "outlet": "\x1b]0;pwned\x07Wire"},
    )
    article = clean(raw, settings.clean)
    # ftfy drops the terminal escape whole and reads C1 \x85 as Windows-1252 "…"; a form feed ends a line
    assert article.text == "The storm hit the coast on Sunday, officials said.\u2026\nResidents stayed\nindoors."
    assert (article.title, article.outlet) == ("Storm hits coast", "]0;pwnedWire")


def test_article_html_with_control_entities_is_stored(settings: Settings) -> None:
    body = "The council met on Monday to discuss the new budget for the city schools and roads. " * 4
    html = f"<html><body><article><p>{body}</p><p>Odd &#1;&#7;&#x1b; entities here.</p></article></body></html>"
    article = clean(RawDoc("page.html", "html", html), settings.clean)
    assert article.text.endswith("roads.\n\nOdd entities here.")


def test_article_reader_warnings_come_first(settings: Settings) -> None:
    raw = RawDoc("w.jsonl:1", "text", "The storm hit the coast on Sunday, officials said.", {"source_id": "42"}, ("JSON field 'id' is the number 42; stored as the string '42'",))
    assert clean(raw, settings.clean).warnings == ["JSON field 'id' is the number 42; stored as the string '42'"]


@pytest.mark.parametrize(
    ("text", "lang", "analyzable"),
    [
        ("Officials said Владимир Путин met reporters in Moscow on Tuesday. Later Путин told the press that talks would continue.", "en", True),
        ("قال مسؤولون في وزارة الصحة يوم الثلاثاء إن الأمطار الغزيرة تسببت في فيضانات واسعة في عدة مدن، وإن فرق الإنقاذ تعمل على إجلاء السكان من المناطق المنخفضة.", "ar", False),
    ],
)
def test_article_non_latin_script_decides_analyzable(settings: Settings, text: str, lang: str, analyzable: bool) -> None:
    article = clean(RawDoc("x.txt", "text", text), settings.clean)
    assert (article.lang, article.analyzable) == (lang, analyzable)
