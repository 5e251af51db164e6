from __future__ import annotations

import io

import pytest
from rich.console import Console

from presslens.cli.render import Tracker, print_summary, shorten, table
from presslens.ingest.raw import Quarantined
from presslens.record.models import Actor, ArticleRecord, Quote, Sentence

HOSTILE = "\x1b]0;pwned\x07Council\x1b[2J \u202eapproves"
SHOWN = "\\x1b]0;pwned\\x07Council\\x1b[2J \\u202eapproves"
RAW = ("\x1b]0;pwned", "\x1b[2J", "\u202e", "\x07")


def _render(record: ArticleRecord) -> str:
    sink = io.StringIO()
    print_summary(record, Console(file=sink, width=200, highlight=False))
    return sink.getvalue()


def test_cli_render_pretty_summary_escapes_every_field() -> None:
    text = f"{HOSTILE} the budget, the mayor said. \"It is {HOSTILE} [sic],\" she said."
    first_end, quote_start = text.index("said.") + 5, text.index('"')
    quote_end = text.index('"', quote_start + 1) + 1
    record = ArticleRecord(
        id="ab" * 32, source=f"story{HOSTILE}.txt", title=HOSTILE, outlet=f"The {HOSTILE} Post", lang="en", text=text,
        actors=[Actor(id="mayor", name=f"Mayor {HOSTILE}", kind="person")],
        quotes=[Quote(start=quote_start, end=quote_end, text=text[quote_start:quote_end], kind="direct", speaker="mayor", cue="said")],
        sentences=[Sentence(start=0, end=first_end, bias=0.75)], warnings=[f"[PL199] odd {HOSTILE}"],
    )
    shown = _render(record)
    assert not any(raw in shown for raw in RAW)
    lines = shown.splitlines()
    assert SHOWN in lines[0]
    assert f"outlet The {SHOWN} Post" in lines[1]
    assert f"actors: Mayor {SHOWN} (person)" in lines
    assert any(line.startswith(f"quote direct Mayor {SHOWN}: ") and "[sic]" in line for line in lines)
    assert f"most biased sentence (0.75): {SHOWN} the budget, the mayor said." in lines
    assert f"warning [PL199] odd {SHOWN}" in lines


def test_cli_render_table_escapes_headers_and_cells_and_keeps_brackets() -> None:
    sink = io.StringIO()
    Console(file=sink, width=200).print(table(["[b]x[/b]", HOSTILE], [("[/]", HOSTILE), (None, 3)]))
    shown = sink.getvalue()
    assert not any(raw in shown for raw in RAW)
    assert "[b]x[/b]" in shown and "[/]" in shown and shown.count(SHOWN) == 2


def test_cli_render_tracker_counts_and_escapes_quarantine_lines(capsys: pytest.CaptureFixture[str]) -> None:
    with Tracker(["en"]) as tracker:
        tracker(Quarantined(source=f"bad{HOSTILE}.txt", code="PL101", reason=f"empty {HOSTILE}"))
        tracker(ArticleRecord(id="1", text="Storm hits the coast.", lang="en"))
        tracker(ArticleRecord(id="2", text="Sturm trifft die Küste.", lang="de"))
        tracker(object())  # an unchanged article
    assert tracker.summary() == "2 articles (1 kept unanalyzed: not English), 1 unchanged, 1 quarantined"
    assert capsys.readouterr().err == f"quarantined bad{SHOWN}.txt: [PL101] empty {SHOWN}\n"


def test_cli_render_shorten() -> None:
    assert shorten("a  b\n c") == "a b c"
    assert shorten("x" * 100, 10) == "x" * 9 + "…"
