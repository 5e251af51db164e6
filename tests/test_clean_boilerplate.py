from __future__ import annotations

from presslens.clean.boilerplate import load_rules, match_boilerplate, strip_boilerplate


def test_boilerplate_rules_load_and_compile() -> None:
    categories = {rule.category for rule in load_rules()}
    assert {"newsletter", "consent", "cookies", "share", "related"} <= categories


def test_boilerplate_removes_footer_block_and_keeps_prose() -> None:
    text = (
        "The council voted on Monday.\n\nIt will meet again in May.\n\n"
        "Sign Up For The Daily Newsletter\n\nI agree with the Terms and conditions and the Privacy policy\n"
        "Share this article\nFacebook\nTwitter\n\nRelated articles\nCouncil budget passes after long debate"
    )
    cleaned, removed = strip_boilerplate(text, max_words=40)
    assert cleaned == "The council voted on Monday.\n\nIt will meet again in May."
    assert set(removed) == {"newsletter", "consent", "share", "related"}


def test_boilerplate_keeps_long_lines_that_mention_newsletters() -> None:
    line = (
        "The minister said she would sign up to the newsletter of the opposition party, a move that critics "
        "called a stunt and supporters welcomed as a sign of dialogue between the parties before the election."
    )
    assert match_boilerplate(line, max_words=20) is None


def test_boilerplate_keeps_short_closing_quote_at_the_end() -> None:
    text = "Talks resumed.\n\n\u201cWe will not give up,\u201d she said."
    assert strip_boilerplate(text, max_words=40) == (text, [])


def test_boilerplate_removes_cookie_banner_anywhere() -> None:
    text = "We use cookies to improve your experience.\n\nThe storm hit the coast on Sunday."
    assert strip_boilerplate(text, max_words=40) == ("The storm hit the coast on Sunday.", ["cookies"])


def test_boilerplate_keeps_matching_lines_inside_the_body() -> None:
    body = [
        "The council voted on Monday.",
        "Thousands of residents rushed to sign up for the city's emergency flood alerts.",
        "Read more: the full text of the agreement will be published on Friday.",
        "The river peaked overnight.",
    ]
    text = "\n\n".join(body)
    assert strip_boilerplate(text, max_words=40) == (text, [])


def test_boilerplate_never_removes_quoted_speech() -> None:
    text = (
        "Talks resumed.\n\n"
        "\u201cI agree with the terms of the ceasefire, but not with its timing,\u201d the minister told reporters."
    )
    assert strip_boilerplate(text, max_words=40) == (text, [])


def test_boilerplate_removes_opening_run_but_keeps_the_headline() -> None:
    text = "Advertisement\nSubscribe to our daily briefing\n\nStorm hits coast\n\nThe storm hit the coast on Sunday."
    assert strip_boilerplate(text, max_words=40) == (
        "Storm hits coast\n\nThe storm hit the coast on Sunday.",
        ["advertising", "newsletter"],
    )
