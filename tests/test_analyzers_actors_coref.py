"""Coreference inside an article: surnames, gendered pronouns, descriptions and capitals standing for governments."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from presslens.analyzers.actors.mentions import Mention, Resolution
from presslens.analyzers.actors.surnames import people
from presslens.knowledge.actors import ActorEntry


def _mentions(doc: Doc) -> list[tuple[str, str]]:
    """(surface, actor id) of every actor mention, in text order."""
    return [(span.text, span.label_) for span in doc.spans["presslens_actors"]]


def _quotes(doc: Doc) -> list[tuple[str, str | None, str | None]]:
    """(text, speaker id, speaker surface) of every quote."""
    return [(q["text"], q["speaker"], doc.text[q["speaker_span"][0] : q["speaker_span"][1]] if q["speaker_span"] else None)
            for q in doc._.presslens_quotes["quotes"]]


def test_coref_two_people_of_one_surname_stay_two(nlp: Language) -> None:
    doc = nlp("Bill Clinton spoke in Ohio. Hillary Clinton spoke in Iowa. Later, Mrs. Clinton said the race was close.")
    assert _mentions(doc) == [
        ("Bill Clinton", "bill-clinton"), ("Hillary Clinton", "hillary-clinton"), ("Clinton", "hillary-clinton"),
    ]
    assert doc._.presslens_actors["bill-clinton"]["name"] == "Bill Clinton"


def test_coref_surname_goes_to_the_full_name(nlp: Language) -> None:
    doc = nlp("Benjamin Netanyahu met the mayor on Monday. Netanyahu later flew home.")
    assert ("Netanyahu", "benjamin-netanyahu") in _mentions(doc)
    assert "netanyahu" not in doc._.presslens_actors


def test_coref_she_said_after_a_quote_goes_to_the_woman_not_the_nearest_name(nlp: Language) -> None:
    doc = nlp('Hillary Clinton criticized Donald Trump on Monday. Trump answered in a tweet. '
              '"He has no plan for the economy," she said.')
    assert ("she", "hillary-clinton") in _mentions(doc)
    assert _quotes(doc) == [('"He has no plan for the economy,"', "hillary-clinton", "she")]


def test_coref_letter_writer_not_the_addressee(nlp: Language) -> None:
    doc = nlp('Benjamin Netanyahu wrote a letter to Senator John Smith on Tuesday. '
              '"We will never accept this deal," he wrote.')
    assert ("he", "benjamin-netanyahu") in _mentions(doc)
    assert [q[1] for q in _quotes(doc)] == ["benjamin-netanyahu"]


def test_coref_pronouns_inside_quotes_and_bound_objects_stay_unresolved(nlp: Language) -> None:
    doc = nlp('Donald Trump praised him on Friday. "He is a great man," Trump said.')
    surfaces = [text for text, _ in _mentions(doc)]
    assert "him" not in surfaces and "He" not in surfaces


def test_coref_title_description_goes_to_the_titled_person(nlp: Language) -> None:
    doc = nlp("Sen. Elizabeth Warren met Donald Trump on Monday. The senator later criticized the plan.")
    assert ("The senator", "elizabeth-warren") in _mentions(doc)


def test_coref_capital_speaking_is_the_government_not_a_place(nlp: Language) -> None:
    doc = nlp("Moscow said on Monday that it would respond to the sanctions.")
    assert ("Moscow", "government-of-russia") in _mentions(doc)
    assert doc._.presslens_actors["government-of-russia"]["country"] == "RUS"
    assert "moscow" not in doc._.presslens_places
    assert all(event.get("place") != "moscow" for event in doc._.presslens_events)


def test_coref_capital_as_location_stays_a_place(nlp: Language) -> None:
    doc = nlp("The delegation arrived in Moscow on Monday.")
    assert list(doc._.presslens_places) == ["moscow"]
    assert "government-of-russia" not in doc._.presslens_actors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks between Washington and Beijing resumed on Friday.",
         {"Washington": "federal-government-of-the-united-states", "Beijing": "government-of-china"}),
        ("Tehran denied the report, and Moscow's position did not change.",
         {"Tehran": "government-of-iran", "Moscow": "government-of-russia"}),
    ],
)
def test_coref_capitals_in_relations_and_possessives(nlp: Language, text: str, expected: dict[str, Any]) -> None:
    doc = nlp(text)
    assert {t: a for t, a in _mentions(doc) if t in expected} == expected
    assert doc._.presslens_places == {}


def test_coref_surname_tagged_as_organisation_is_the_person(nlp: Language) -> None:
    doc = nlp("Jane Doe met the board on Monday. Doe said the vote was fair.")
    pipe = nlp.get_pipe("presslens_actors")
    res = Resolution(pipe.kb)
    jane = Mention(0, 2, res.add(ActorEntry(id="jane-doe", name="Jane Doe", kind="person", provenance="ner")))
    doe_at = next(t.i for t in doc if t.text == "Doe" and t.i > 2)
    doe = Mention(doe_at, doe_at + 1, res.add(ActorEntry(id="doe", name="Doe", kind="organization", provenance="ner")))
    genders = people(doc, [jane, doe], res)
    assert (doe.actor, genders) == ("jane-doe", {"jane-doe": "female"})
