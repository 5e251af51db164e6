from __future__ import annotations

import io
import json

import pytest

from presslens.cli.safe import VisibleWriter, visible

HOSTILE = "Title \x1b]0;pwned\x07 and \x1b[2J cleared \u202eevil\u202c"


def test_cli_safe_visible_escapes_controls_and_bidi() -> None:
    assert visible(HOSTILE) == "Title \\x1b]0;pwned\\x07 and \\x1b[2J cleared \\u202eevil\\u202c"


@pytest.mark.parametrize(
    ("char", "shown"),
    [("\x00", "\\x00"), ("\t", "\\t"), ("\r", "\\r"), ("\n", "\\n"), ("\x7f", "\\x7f"), ("\x85", "\\x85"),
     ("\x9b", "\\x9b"), ("\u202a", "\\u202a"), ("\u202d", "\\u202d"), ("\u2066", "\\u2066"), ("\u2069", "\\u2069")],
)
def test_cli_safe_visible_covers_c0_c1_del_and_bidi(char: str, shown: str) -> None:
    assert visible(f"a{char}b") == f"a{shown}b"


def test_cli_safe_visible_keeps_ordinary_text_and_meant_newlines() -> None:
    text = "Café «Ωμέγα» 東京 — “quoted” zero\u200dwidth joiner"
    assert visible(text) == text
    assert visible("row 1\nrow 2\x1b\n", newlines=True) == "row 1\nrow 2\\x1b\n"


def test_cli_safe_json_escapes_keep_json_valid_and_equal() -> None:
    line = json.dumps({"title": HOSTILE + "\x85"}, ensure_ascii=False) + "\n"
    shown = visible(line, newlines=True, json=True)
    assert "\x1b" not in shown and "\u202e" not in shown and "\x85" not in shown
    assert shown.endswith("}\n") and json.loads(shown) == {"title": HOSTILE + "\x85"}


def test_cli_safe_writer_escapes_what_it_writes() -> None:
    sink = io.StringIO()
    writer = VisibleWriter(sink)
    writer.write("a,\x1b[2J\n")
    writer.write("b,\u202e\n")
    assert sink.getvalue() == "a,\\x1b[2J\nb,\\u202e\n"
