"""Article: the cleaned text every later offset refers to, with its metadata."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from presslens.clean.boilerplate import strip_boilerplate
from presslens.clean.html import extract_html
from presslens.clean.lang import detect_language
from presslens.clean.mojibake import repair_mojibake
from presslens.clean.title import split_title
from presslens.errors import BadInputError
from presslens.ingest.raw import RawDoc
from presslens.ingest.sanitize import strip_controls
from presslens.settings import CleanSettings

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass
class Article:
    """A cleaned article ready for NLP; ``id`` is the sha256 of ``text``."""

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    lang: str | None = None
    source_id: str | None = None
    warnings: list[str] = field(default_factory=list)
    # False for articles in a language the English pipeline must not analyze.
    analyzable: bool = True


def clean(raw: RawDoc, settings: CleanSettings) -> Article:
    """Turn a RawDoc into an Article: extract, repair, strip boilerplate, find the title, identify the language.

    Control characters (but tab and line feed) and bidi overrides are removed from the text and the
    metadata, after the mojibake repair (which reads C1 controls as Windows-1252 punctuation).

    Raises:
        BadInputError: PL105 for HTML without an article, PL109 when too little text remains.
    """
    meta = dict(raw.meta)
    warnings = list(raw.warnings)
    text = raw.content
    if raw.kind == "html":
        page = extract_html(text, meta.get("url"))
        if not page.text.strip():
            raise BadInputError("PL105")
        text = page.text
        page_meta = {"title": page.title, "url": page.url, "outlet": page.sitename, "author": page.author, "published": page.published}
        for key, value in page_meta.items():
            if value and key not in meta:
                meta[key] = value
    text = _normalise_whitespace(strip_controls(repair_mojibake(text, tuple(settings.codepages))))
    meta = {key: safe for key, value in meta.items() if (safe := strip_controls(value))}
    text, removed = strip_boilerplate(text, settings.boilerplate_max_words)
    if removed:
        warnings.append(f"removed boilerplate lines: {', '.join(sorted(set(removed)))}")
    if raw.kind == "text":
        title, body = split_title(text, settings.title_max_words)
        if title and ("title" not in meta or _same(title, meta["title"])):
            meta.setdefault("title", title)
            text = body
    if len(text) < settings.min_chars:
        if raw.kind == "html":
            raise BadInputError("PL105")
        raise BadInputError("PL109", chars=len(text), minimum=settings.min_chars)
    if len(text) > settings.max_chars:
        raise BadInputError("PL112", chars=len(text), limit=settings.max_chars)
    lang = detect_language(text, settings)
    analyzable = lang is None or lang in settings.languages
    if not analyzable:
        warnings.append(BadInputError("PL108", lang=lang).args[0])
    return Article(
        id=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=text,
        source=raw.source,
        title=meta.get("title"),
        url=meta.get("url"),
        outlet=meta.get("outlet"),
        author=meta.get("author"),
        published=_iso_date(meta.get("published"), warnings),
        lang=lang,
        source_id=meta.get("source_id"),
        warnings=warnings,
        analyzable=analyzable,
    )


def _normalise_whitespace(text: str) -> str:
    """Unify line ends, collapse runs of spaces and of blank lines, strip each line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _same(a: str, b: str) -> bool:
    """Titles compare equal ignoring case and spacing."""
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _iso_date(value: str | None, warnings: list[str]) -> str | None:
    """Normalise a publication date to ISO 8601, warning (not failing) when it cannot be read."""
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) == 10:  # a date alone stays a date: no invented midnight
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        warnings.append(f"unreadable publication date {value!r} ignored")
        return None
