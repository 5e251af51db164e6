"""HTML extraction keeps pages whose paragraphs hold character references to control characters."""

from __future__ import annotations

from presslens.clean.html import extract_html

PARAGRAPH = "The council met on Monday to discuss the new budget for the city schools and roads. " * 4


def _page(odd: str) -> str:
    return (
        "<html><head><title>Budget talks</title></head><body><article><h1>Budget talks</h1>"
        f"<p>{PARAGRAPH}</p><p>The mayor{odd} said the plan would pass this week.</p><p>{PARAGRAPH}</p>"
        "</article></body></html>"
    )


def test_html_control_character_references_are_dropped_not_fatal() -> None:
    page = extract_html(_page("&#1;&#7;&#x1b;&#X1B&#0000127;"))
    assert page.text == extract_html(_page("")).text
    assert "The mayor said the plan would pass this week." in page.text.split("\n\n")


def test_html_other_character_references_are_kept() -> None:
    page = extract_html(_page(" &#8217;&#x2014;&#9;&#150;"))
    assert "The mayor \u2019\u2014 \u2013 said the plan would pass this week." in page.text
