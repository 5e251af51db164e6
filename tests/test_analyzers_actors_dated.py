"""presslens_actors on dated articles, unknown titled persons, all-caps text and junk words (the real model)."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from .actors_support import run_actors


def _actors(nlp: Language, text: str, published: str | None = None) -> dict[str, dict[str, Any]]:
    return run_actors(nlp, text, published)._.presslens_actors


@pytest.mark.parametrize(("published", "holder"), [("2019-06-01", "mike-pompeo"), ("2023-06-01", "antony-blinken")])
def test_actors_office_resolves_to_the_holder_on_the_article_date(nlp: Language, published: str, holder: str) -> None:
    actors = _actors(nlp, "The US Secretary of State met reporters in Brussels.", published)
    assert actors[holder]["aliases"] == ["The US Secretary of State"]
    assert (actors[holder]["cameo"], actors[holder]["role"]) == ("USAGOV", "United States Secretary of State")


def test_actors_title_with_surname_resolves_by_date(nlp: Language) -> None:
    actors = _actors(nlp, "Foreign Minister Lavrov said Moscow would respond.", "2016-05-01")
    assert (actors["sergey-lavrov"]["cameo"], actors["sergey-lavrov"]["role"]) == ("RUSGOV", "Foreign Minister of Russia")


def test_actors_former_office_holder_is_an_elite_after_the_term(nlp: Language) -> None:
    actors = _actors(nlp, "Joe Biden spoke at a rally in Iowa.", "2019-11-19")
    assert (actors["joe-biden"]["cameo"], actors["joe-biden"]["role"]) == (
        "USAELI", "former Vice President of the United States")


def test_actors_date_from_the_text_else_today_with_a_warning(nlp: Language) -> None:
    dated = run_actors(nlp, "WASHINGTON, June 3, 2019 - The American president said it would pass.")
    assert "donald-trump" in dated._.presslens_actors and not dated._.presslens_warnings
    undated = run_actors(nlp, "The American president said it would pass.")
    assert [w["message"] for w in undated._.presslens_warnings] == [
        "no publication date: actors' roles resolved as of today"]


def test_actors_unknown_senator_gets_a_composed_code(nlp: Language) -> None:
    actors = _actors(nlp, "Senator Jane Holloway said the bill would fail.", "2020-01-01")
    assert {k: actors["jane-holloway"][k] for k in ("kind", "country", "cameo")} == {
        "kind": "person", "country": "USA", "cameo": "USALEG"}


def test_actors_unknown_minister_takes_the_country_of_the_possessive(nlp: Language) -> None:
    actors = _actors(nlp, "Iran's unification minister Kazem Bahrami spoke on Monday.", "2020-01-01")
    assert (actors["kazem-bahrami"]["country"], actors["kazem-bahrami"]["cameo"]) == ("IRN", "IRNGOV")


def test_actors_apposition_gives_the_title_and_the_country(nlp: Language) -> None:
    actors = _actors(nlp, "Arkady Petrov, a Russian opposition leader, was arrested in Moscow.", "2020-01-01")
    assert (actors["arkady-petrov"]["country"], actors["arkady-petrov"]["cameo"]) == ("RUS", "RUSOPP")


def test_actors_all_caps_text_matches_the_dictionary(nlp: Language) -> None:
    actors = _actors(nlp, "RUSSIAN FOREIGN MINISTER SERGEY LAVROV MET NATO OFFICIALS IN BRUSSELS.", "2016-05-01")
    assert actors["sergey-lavrov"]["cameo"] == "RUSGOV"
    assert actors["nato"]["kind"] == "igo"


def test_actors_lower_case_words_in_mixed_case_text_are_no_actors(nlp: Language) -> None:
    actors = _actors(nlp, "Officials said they ate turkey and chad before the vote. Police said it was calm.",
                     "2020-01-01")
    assert not {"turkey", "chad", "officials", "police"} & set(actors)


def test_actors_title_abbreviations_are_no_actors(nlp: Language) -> None:
    actors = _actors(nlp, "Sens. Lindsey Graham and Chris Coons wrote to the Pentagon.", "2020-01-01")
    assert not {"sens", "sen"} & set(actors)
    assert actors["lindsey-graham"]["cameo"] == "USALEG"


def test_actors_bare_legislature_is_the_main_countrys(nlp: Language) -> None:
    actors = _actors(nlp, "Nigerian lawmakers met in Abuja. The Senate adjourned after the Nigerian president spoke.",
                     "2018-10-09")
    assert actors["senate-of-nigeria"]["cameo"] == "NGALEG"
    us = _actors(nlp, "The White House said the Senate would vote on Tuesday.", "2020-01-01")
    assert (us["white-house"]["cameo"], us["united-states-senate"]["cameo"]) == ("USAGOV", "USALEG")


def test_actors_country_after_a_preposition_is_not_the_persons(nlp: Language) -> None:
    actors = _actors(nlp, "U.S. Ambassador to the European Union Gordon Sondland testified. Kurt Volker, the former "
                          "special envoy to Ukraine, also spoke.", "2019-11-19")
    assert (actors["gordon-sondland"]["country"], actors["gordon-sondland"]["cameo"]) == ("USA", "USAGOV")
    assert actors["kurt-volker"]["country"] != "UKR"


def test_actors_state_named_before_a_profession_is_its_subject(nlp: Language) -> None:
    actors = _actors(nlp, "Derek Scissors, a China scholar with the American Enterprise Institute, disagreed.",
                     "2019-11-20")
    assert actors["derek-scissors"]["country"] is None


@pytest.mark.parametrize(("text", "person", "code"), [
    ("Jeb Bush or Sen. Ted Cruz (Tex.) spoke on Monday.", "ted-cruz", "USALEG"),  # an abbreviated title is read
    ("The race changes if Gov. Terry McAuliffe (D) appoints him.", "terry-mcauliffe", "USAGOV"),  # "(D)" gives USA
    ("The bill of Adam Schiff (D-Calif.) passed.", "adam-schiff", "USAPTY"),  # no title: a party member
    ("Republican Phil Bryant won in a landslide.", "phil-bryant", "USAPTY"),
])
def test_actors_us_titles_and_party_markers_compose_codes(nlp: Language, text: str, person: str, code: str) -> None:
    actors = _actors(nlp, text, "2016-09-01")
    assert (actors[person]["country"], actors[person]["cameo"]) == ("USA", code)


def test_actors_parenthesis_that_is_no_marker_gives_no_country(nlp: Language) -> None:
    actors = _actors(nlp, "Hans Meyer (Reuters) said the plan was dead.", "2016-09-01")
    assert (actors["hans-meyer"]["country"], actors["hans-meyer"]["cameo"]) == (None, None)


def test_actors_dictionary_person_before_any_office_is_an_elite(nlp: Language) -> None:
    actors = _actors(nlp, "Donald Trump held a rally in Ohio.", "2016-09-01")
    assert (actors["donald-trump"]["country"], actors["donald-trump"]["cameo"], actors["donald-trump"]["role"]) == (
        "USA", "USAELI", None)
