from __future__ import annotations

from presslens.analyzers.quotes.marks import (
    Quotation,
    find_quotations,
    inner_text,
    is_speech_like,
    is_title,
    paragraph_ranges,
    scan_paragraph,
)


def test_analyzers_quotes_marks_find_quotations_curly_open_straight_close() -> None:
    text = "\u201cThe plan is bad. It will fail,\" the statement said."
    [quotation] = find_quotations(text)
    assert text[quotation.start : quotation.end] == "\u201cThe plan is bad. It will fail,\""
    assert quotation.closed


def test_analyzers_quotes_marks_find_quotations_survives_unbalanced_paragraph() -> None:
    text = 'He said "we will stay.\n\n"We will not leave," he added. Then a "word" came.'
    found = [(text[q.start : q.end], q.closed, q.continues) for q in find_quotations(text)]
    assert found == [('"we will stay.', False, False), ('"We will not leave,"', True, True), ('"word"', True, False)]


def test_analyzers_quotes_marks_find_quotations_nested_curly_marks() -> None:
    text = "\u201cI\u2019d rather live in what he calls \u201chell\u201d than this.\u201d \u2015 A. Reader"
    [quotation] = find_quotations(text)
    assert text[quotation.start : quotation.end].endswith("than this.\u201d")


def test_analyzers_quotes_marks_single_quotes_only_without_double_ones() -> None:
    text = "Officials called it a \u2018historic step\u2019 on Monday.\nHe said \"yes\" and \u2018no\u2019."
    found = [text[q.start : q.end] for q in find_quotations(text)]
    assert found == ["\u2018historic step\u2019", '"yes"']
    lo, hi = paragraph_ranges(text)[1]
    assert [text[q.start : q.end] for q in scan_paragraph(text, lo, hi, single=True)] == ["\u2018no\u2019"]


def test_analyzers_quotes_marks_paragraph_ranges_skip_blank_lines() -> None:
    assert paragraph_ranges("One.\n\n  \nTwo.") == [(0, 4), (9, 13)]


def test_analyzers_quotes_marks_titles_and_speech() -> None:
    assert is_title("One Hundred Years of Solitude", 6)
    assert not is_title("One Hundred Years of Solitude", 4)
    assert not is_title("We Will Win.", 6)
    text = '"Person of the Year" and "we will not leave" and "" too'
    title, speech, empty = find_quotations(text)
    assert [is_speech_like(text, q, 6) for q in (title, speech, empty)] == [False, True, False]
    assert inner_text(text, speech) == "we will not leave"
    assert inner_text('"open end', Quotation(0, 9, False, False)) == "open end"
