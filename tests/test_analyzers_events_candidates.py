"""Event candidates right by construction: verb senses, source actors, modality, background, merging, dates, discards."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from presslens.analyzers.events.dates import _weekday
from presslens.analyzers.events.dedup import Candidate, merge
from presslens.nlp.outputs import EventOut
from tests.test_analyzers_events import _parsed, analyze, brief

PUBLISHED = "2019-11-20"  # a Wednesday


def test_analyzers_events_candidates_abstract_object_of_take_is_no_seizure(nlp: Language) -> None:
    text = "Hamas took key decisions and Israel took the time to respond."
    assert brief(analyze(nlp, text), text) == []


def test_analyzers_events_candidates_take_an_actor_is_a_seizure(nlp: Language) -> None:
    text = "Russian forces took Kharkiv."
    assert [(e["type"], e["cameo"]) for e in analyze(nlp, text)] == [("COERCE", "192")]  # occupy territory
    text = "Hamas took Israeli forces captive."  # PETRARCH2's "take captive" pattern: abduction
    assert [(e["type"], e["cameo"]) for e in analyze(nlp, text)] == [("ASSAULT", "181")]


def test_analyzers_events_candidates_taking_to_the_stage(nlp: Language) -> None:
    assert analyze(nlp, "Joe Biden took to the stage in Washington.") == []


def test_analyzers_events_candidates_naming_is_no_phone_call(nlp: Language) -> None:
    text = "Joe Biden called Volodymyr Zelensky a liar."  # PETRARCH2's "call ... liar" pattern: a criticism
    assert brief(analyze(nlp, text), text) == [("ACCUSE", "111", "called", "joe-biden", "volodymyr-zelenskyy")]
    assert analyze(nlp, "Joe Biden called Volodymyr Zelensky weak.") == []
    assert analyze(nlp, "Joe Biden called Volodymyr Zelensky a disaster on Tuesday.") == []  # no "call on" appeal
    assert analyze(nlp, "Joe Biden called Volodymyr Zelensky.") == []
    text = "Joe Biden called Volodymyr Zelensky by phone."
    assert brief(analyze(nlp, text), text) == [("CONSULT", "041", "called", "joe-biden", "volodymyr-zelenskyy"),
                                               ("CONSULT", "041", "called", "volodymyr-zelenskyy", "joe-biden")]


def test_analyzers_events_candidates_force_on_an_abstract_object_is_figurative(nlp: Language) -> None:
    events = analyze(nlp, "Joe Biden's visit to Israel was aimed at derailing the deal.")
    assert [(e["type"], e["source"], e["target"]) for e in events] == [("CONSULT", "joe-biden", "israel")]
    assert analyze(nlp, "Hamas derailed the deal.") == []


def test_analyzers_events_candidates_petrarch_verb_needs_an_actor_source(nlp: Language) -> None:
    # "fire" is coded by PETRARCH2 only: a pronoun or nothing as source is not enough.
    assert analyze(nlp, "It fired at Israel.") == []
    text = "Hamas fired at Israel."
    assert [(e["type"], e["source"], e["target"]) for e in analyze(nlp, text)] == [("ASSAULT", "hamas", "israel")]


@pytest.mark.parametrize("text", [
    "Hamas could attack Israel.",
    "Hamas would attack Israel.",
    "Hamas is able to attack Israel.",
    "Hamas is expected to attack Israel.",
    "Egypt sent Islamic Jihad a message so that Hamas attacks Israel.",
    "If Hamas attacks Israel, Egypt will respond.",
    "Did Hamas attack Israel?",
    "Experts believe that Hamas attacked Israel.",
    "Egypt rejected the idea that Hamas attacked Israel.",
])
def test_analyzers_events_candidates_unasserted_attack_is_hypothetical(nlp: Language, text: str) -> None:
    [event] = [e for e in analyze(nlp, text) if e["cameo"] == "190"]
    assert (event["source"], event["target"], event["hypothetical"]) == ("hamas", "israel", True)


def test_analyzers_events_candidates_reported_would_is_an_announcement(nlp: Language) -> None:
    text = "Hamas said it would attack Israel."
    assert [(e["type"], e["cameo"], e["hypothetical"]) for e in analyze(nlp, text)] == [("THREATEN", "138", False)]


def test_analyzers_events_candidates_purpose_clause_is_hypothetical(nlp: Language) -> None:
    events = analyze(nlp, "Hamas met Egyptian officials to criticise Israel.")
    assert [(e["type"], e["target"], e["hypothetical"]) for e in events] == [
        ("CONSULT", "egypt", False), ("ACCUSE", "israel", True)]


def test_analyzers_events_candidates_relative_pronoun_object_is_its_antecedent(nlp: Language) -> None:
    events = analyze(nlp, "Egypt met Hamas, which Israel accused of attacks.")
    assert [(e["type"], e["source"], e["target"]) for e in events if e["type"] == "ACCUSE"] == [("ACCUSE", "israel", "hamas")]


def test_analyzers_events_candidates_object_control(nlp: Language) -> None:
    text = "Egypt urged Hamas to stop attacking Israel."
    events = analyze(nlp, text)
    assert [(e["type"], e["source"]) for e in events] == [("REQUEST", "egypt"), ("RETREAT", "hamas")]


@pytest.mark.parametrize(("text", "background"), [
    ("In 2014, Hamas attacked Israel.", True),
    ("Hamas attacked Israel two years ago.", True),
    ("Hamas, which had attacked Israel, met Egyptian officials.", True),
    ("Hamas attacked Israel in August 2019.", True),
    ("Hamas attacked Israel in October 2019.", False),  # the month ends less than 30 days before
    ("Hamas attacked Israel on Tuesday.", False),
    ("Hamas attacked Israel.", False),
])
def test_analyzers_events_candidates_background(nlp: Language, text: str, background: bool) -> None:
    [event] = [e for e in analyze(nlp, text, PUBLISHED) if e["cameo"] == "190"]
    assert event["background"] is background


@pytest.mark.parametrize(("text", "date"), [
    ("Hamas attacked Israel on Tuesday.", "2019-11-19"),
    ("Hamas attacked Israel on Wednesday.", "2019-11-20"),
    ("Hamas attacked Israel yesterday.", "2019-11-19"),
    ("Hamas attacked Israel last week.", "2019-11-13"),
    ("Hamas attacked Israel earlier this month.", "2019-11-01"),
    ("Hamas will attack Israel on Tuesday.", "2019-11-26"),
])
def test_analyzers_events_candidates_relative_dates(nlp: Language, text: str, date: str) -> None:
    [event] = [e for e in analyze(nlp, text, PUBLISHED) if e["type"] in {"ASSAULT", "THREATEN"}]
    assert event["date"] == date


def test_analyzers_events_candidates_chained_date(nlp: Language) -> None:
    text = "Hamas attacked Israel on November 2. Two days later, Egypt condemned Hamas."
    events = analyze(nlp, text, PUBLISHED)
    assert [(e["type"], e["date"]) for e in events] == [("ASSAULT", "2019-11-02"), ("ACCUSE", "2019-11-04")]


def test_analyzers_events_candidates_weekday_arithmetic() -> None:
    wednesday = datetime(2019, 11, 20)
    assert _weekday(wednesday, 2, future=False, strictly_past=False).isoformat() == "2019-11-20"
    assert _weekday(wednesday, 2, future=False, strictly_past=True).isoformat() == "2019-11-13"
    assert _weekday(wednesday, 2, future=True, strictly_past=False).isoformat() == "2019-11-27"


def _candidate(doc: Doc, i: int, kind: str, source: str | None, target: str | None, confidence: float,
               paired: bool = False) -> Candidate:
    event = {"type": kind, "negated": False, "source": source, "target": target, "confidence": confidence}
    return Candidate(cast(EventOut, event), doc[i], paired)


def test_analyzers_events_candidates_merge(nlp: Language) -> None:
    doc = _parsed(nlp, "Hamas criticised and condemned Israel, Israel attacked.")
    cases = [
        ([_candidate(doc, 1, "ACCUSE", "hamas", "israel", 0.9), _candidate(doc, 3, "ACCUSE", "israel", "hamas", 0.6)],
         [("hamas", "israel")]),  # a reversed double: the more confident stays
        ([_candidate(doc, 1, "ACCUSE", "hamas", None, 0.9), _candidate(doc, 1, "ACCUSE", "hamas", "israel", 0.6)],
         [("hamas", "israel")]),  # a twin in one clause: the more specific stays
        ([_candidate(doc, 1, "CONSULT", "hamas", "israel", 0.9), _candidate(doc, 1, "CONSULT", "israel", "hamas", 0.6, True)],
         [("hamas", "israel"), ("israel", "hamas")]),  # a paired reverse (visit/host) stays
        ([_candidate(doc, 1, "ACCUSE", "hamas", None, 0.9), _candidate(doc, 6, "ACCUSE", None, "hamas", 0.6)],
         [("hamas", None), (None, "hamas")]),  # one role each: two events
    ]
    for candidates, kept in cases:
        assert [(e["source"], e["target"]) for e in merge(candidates)] == kept


def test_analyzers_events_candidates_paired_call_keeps_its_reverse(nlp: Language) -> None:
    events = analyze(nlp, "Hamas telephoned Egypt.")
    assert [(e["cameo"], e["source"], e["target"]) for e in events] == [("041", "hamas", "egypt"), ("041", "egypt", "hamas")]


@pytest.mark.parametrize("text", [
    "India beat Pakistan 3-1 in the final.",
    "The Indian team attacked Pakistan's defence.",
    "The film attacks India.",
    "India won the World Cup after it beat Pakistan.",
])
def test_analyzers_events_candidates_sports_and_entertainment_are_discarded(nlp: Language, text: str) -> None:
    assert [e["type"] for e in analyze(nlp, text) if e["type"] in {"ASSAULT", "COERCE", "ACCUSE"}] == []


def test_analyzers_events_candidates_conflict_is_not_discarded(nlp: Language) -> None:
    assert [e["type"] for e in analyze(nlp, "India attacked Pakistan in Kashmir.")] == ["ASSAULT"]
