from __future__ import annotations

from presslens.clean.title import split_title


def test_title_caption_line_becomes_title() -> None:
    assert split_title("Hamas leader Ismail Haniyeh\n\nHamas is refusing to call.", 20) == (
        "Hamas leader Ismail Haniyeh",
        "Hamas is refusing to call.",
    )


def test_title_sentence_first_paragraph_is_body() -> None:
    text = "The storm hit the coast on Sunday.\n\nMore rain is expected."
    assert split_title(text, 20) == (None, text)


def test_title_single_paragraph_text_has_no_title() -> None:
    assert split_title("Storm hits coast", 20) == (None, "Storm hits coast")


def test_title_long_first_line_is_body() -> None:
    text = " ".join(["word"] * 25) + "\n\nSecond paragraph."
    assert split_title(text, 20) == (None, text)
