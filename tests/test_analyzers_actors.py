"""presslens_actors through the configured pipeline (model, places, actors), on blank pipelines and hand-built Examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from presslens.analyzers.actors.scorer import score_actors
from presslens.clean import clean
from presslens.ingest.raw import RawDoc
from presslens.knowledge.names import slug
from presslens.settings import Settings

from .actors_support import run_actors
from .conftest import SEED

LIONS_DEN = {"id": "lions-den", "name": "Lions' Den", "kind": "armed_group", "country": "PSE", "cameo": "PSEREB",
             "aliases": ["Areen al-Usood"], "provenance": "my newsroom"}


@pytest.fixture(scope="module")
def seed_doc(nlp: Language, settings: Settings) -> Doc:
    article = clean(RawDoc(str(SEED), "text", SEED.read_text(encoding="utf-8")), settings.clean)
    return run_actors(nlp, article.text)


def _actors(nlp: Language, text: str, published: str | None = None) -> dict[str, dict[str, Any]]:
    return run_actors(nlp, text, published)._.presslens_actors


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


def test_analyzers_actors_a_place_the_model_calls_a_person_is_no_actor(nlp: Language) -> None:
    for text in (
        "Soldiers were on patrol near the village of Upper Kessel when they came under fire.",
        "In Upper Kessel, shops stayed shut on Wednesday.",
    ):
        assert "upper-kessel" not in _actors(nlp, text)
    assert set(_actors(nlp, "Joe Biden met Mahmoud Abbas in Ramallah.")) >= {"joe-biden", "mahmoud-abbas"}


def test_analyzers_actors_a_state_as_a_given_name_is_the_person(nlp: Language) -> None:
    actors = _actors(nlp, "Jordan Smith, a teacher from Ohio, said she was disappointed.")
    assert [(a["name"], a["kind"]) for a in actors.values()] == [("Jordan Smith", "person")]
    actors = _actors(nlp, "Jordan and Egypt signed the deal on Monday.")
    assert set(actors) == {"jordan", "egypt"}


def test_analyzers_actors_a_titled_person_takes_the_country_of_the_title(nlp: Language) -> None:
    actors = _actors(nlp, "Chilean President Gabriel Boric criticized the plan on Monday.")
    boric = actors["gabriel-boric"]
    assert (boric["country"], boric["cameo"], boric["role"], boric["affiliation"]) == ("CHL", "CHLGOV", "President", "chile")


def test_analyzers_actors_non_latin_names_get_non_empty_unique_ids(nlp: Language) -> None:
    doc = run_actors(nlp, "Officials said Владимир Путин met reporters in Moscow on Tuesday. "
                    "Later Путин told the press that talks would continue.")
    putin = doc._.presslens_actors["владимир-путин"]
    assert (putin["name"], putin["kind"], putin["aliases"]) == ("Владимир Путин", "person", ["Владимир Путин", "Путин"])
    assert all(actor_id for actor_id in doc._.presslens_actors)


def test_analyzers_actors_token_index_covers_every_mention_token(seed_doc: Doc) -> None:
    by_token = {t.i: t._.presslens_actor for t in seed_doc if t._.presslens_actor is not None}
    from_spans = {i: span.label_ for span in seed_doc.spans["presslens_actors"] for i in range(span.start, span.end)}
    assert by_token == from_spans and len(by_token) > 50
    first = min(by_token)
    assert Doc(seed_doc.vocab).from_bytes(seed_doc.to_bytes())[first]._.presslens_actor == by_token[first]


def _blank_with_extra(path: Path) -> Language:
    """A blank pipeline whose actors component reads ``path`` through the initialize config, as config.cfg shows."""
    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_actors")
    nlp.config["initialize"]["components"]["presslens_actors"] = {
        "extra": {"@readers": "srsly.read_jsonl.v1", "path": str(path)}}
    nlp.initialize()
    return nlp


def test_analyzers_actors_extra_rows_are_read_at_load_and_saved_with_the_pipeline(tmp_path: Path) -> None:
    rows = tmp_path / "mine.jsonl"
    rows.write_text(json.dumps(LIONS_DEN) + "\n", encoding="utf-8")
    nlp = _blank_with_extra(rows)
    text = "Areen al-Usood and Hamas claimed the attack."
    actors = nlp(text)._.presslens_actors
    assert (list(actors), actors["lions-den"]["aliases"]) == (["lions-den", "hamas"], ["Areen al-Usood"])
    nlp.to_disk(tmp_path / "pipeline")
    rows.unlink()  # the saved pipeline holds the rows; it never reads the file again
    reloaded = spacy.load(tmp_path / "pipeline")
    assert reloaded(text)._.presslens_actors == actors
    assert "extra_files" not in reloaded.config["components"]["presslens_actors"]


def test_analyzers_actors_extra_rows_may_come_as_several_lists() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_actors").initialize(extra=[[LIONS_DEN], [{**LIONS_DEN, "id": "red", "name": "Red",
                                                                        "aliases": []}]])
    assert list(nlp("Red and Areen al-Usood.")._.presslens_actors) == ["red", "lions-den"]


def test_analyzers_actors_invalid_extra_row_fails_at_load(tmp_path: Path) -> None:
    rows = tmp_path / "bad.jsonl"
    rows.write_text(json.dumps({**LIONS_DEN, "aliases": ["IDF"]}) + "\n" + json.dumps({"id": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"extra:2: name: Field required.*alias 'IDF' is claimed by israel-defense-forces"):
        _blank_with_extra(rows)


def _example(predicted: dict[str, dict], gold: dict[str, dict]) -> Example:
    vocab = spacy.blank("en").vocab
    example = Example(Doc(vocab, words=["x"]), Doc(vocab, words=["x"]))
    example.predicted._.presslens_actors = predicted
    example.reference._.presslens_actors = gold
    return example


def test_analyzers_actors_scorer_counts_found_actors_and_their_country() -> None:
    gold = {"a": {"cameo": "USAGOV", "mentions": [[0, 9]]}, "b": {"cameo": "IRN", "mentions": [[20, 24]]},
            "c": {"cameo": "ISR", "mentions": [[30, 36]]}, "unmarked": {"cameo": "EGY", "mentions": []}}
    predicted = {"usa": {"cameo": None, "country": "USA", "mentions": [[4, 9]]},
                 "iraq": {"cameo": "IRQ", "country": "IRQ", "mentions": [[20, 24]]}}
    scorer = spacy.registry.scorers.get("presslens.actors_scorer.v1")()
    assert scorer([_example(predicted, gold)]) == {"actors_found": 0.6667, "actors_country_acc": 0.5}
    assert score_actors([_example(predicted, {})]) == {"actors_found": None, "actors_country_acc": None}
