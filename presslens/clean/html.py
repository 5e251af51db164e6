"""Main text and metadata of an HTML page, extracted with trafilatura."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura


@dataclass(frozen=True)
class HtmlExtract:
    """Main text (paragraphs separated by a blank line) and metadata of one HTML page."""

    text: str
    title: str | None
    author: str | None
    published: str | None
    sitename: str | None
    url: str | None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    """Extract the main text and metadata of ``html``; text is "" when nothing is found."""
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    except Exception:  # noqa: BLE001
        doc = None
    if doc is None:
        return HtmlExtract("", None, None, None, None, url)
    text = "\n\n".join(line.strip() for line in (doc.text or "").splitlines() if line.strip())
    return HtmlExtract(text, doc.title, doc.author, doc.date, doc.sitename, doc.url or url)
