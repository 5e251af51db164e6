"""Text safe to store and show: surrogates replaced, control and bidi characters removed."""

from __future__ import annotations

from presslens.ingest.sanitize import replace_surrogates, strip_controls


def test_sanitize_replace_surrogates() -> None:
    assert replace_surrogates("too short \ud800 and \udcff") == "too short \ufffd and \ufffd"
    assert replace_surrogates("fine \U0001f600") == "fine \U0001f600"


def test_sanitize_strip_controls_keeps_tab_and_line_ends() -> None:
    text = "a\x00b\x07c\x1b[2Jd\x7fe\x85f\x9fg\th\ni\rj"
    assert strip_controls(text) == "abc[2Jdefg\th\ni\rj"


def test_sanitize_strip_controls_removes_bidi_overrides_and_isolates() -> None:
    assert strip_controls("invoice\u202egpj.exe \u2066x\u2069 \u202a\u202b\u202c\u202d") == "invoicegpj.exe x "
    assert strip_controls("\u200fmark\u200e") == "\u200fmark\u200e"  # directional marks are not overrides


def test_sanitize_strip_controls_vertical_tab_and_form_feed_become_line_feeds() -> None:
    assert strip_controls("page one\x0cpage two\x0bline") == "page one\npage two\nline"


def test_sanitize_strip_controls_replaces_surrogates() -> None:
    assert strip_controls("x\ud800\x01y") == "x\ufffdy"
