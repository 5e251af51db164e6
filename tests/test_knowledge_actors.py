from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import srsly

from presslens.knowledge.actors import (
    actor_data,
    build_actor_knowledge,
    check_actor_files,
    checked_extra_rows,
    load_actor_knowledge,
)
from presslens.knowledge.names import actor_id, slug


def _write(path: Path, entries: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    return path


def test_knowledge_actors_bundled_files_have_no_problems() -> None:
    assert check_actor_files() == []


def test_knowledge_actors_slug_is_lower_case_ascii() -> None:
    assert slug("Israel Defense Forces") == "israel-defense-forces"
    assert slug("Médecins Sans Frontières") == "medecins-sans-frontieres"
    assert slug("Al-Aqsa Martyrs' Brigades") == "al-aqsa-martyrs-brigades"


def test_knowledge_actors_actor_id_is_non_empty_and_distinct_in_any_script() -> None:
    assert actor_id("Israel Defense Forces") == slug("Israel Defense Forces") == "israel-defense-forces"
    assert actor_id("Médecins Sans Frontières") == "medecins-sans-frontieres"
    assert (actor_id("Владимир Путин"), actor_id("Путин")) == ("владимир-путин", "путин")
    assert actor_id("محمود عباس") == "محمود-عباس" and actor_id("Łukasz Nowak") == "łukasz-nowak"
    assert actor_id("★") != actor_id("☆") and actor_id("★").startswith("actor-") and len(actor_id("★")) == 18


def test_knowledge_actors_a_user_entry_may_have_a_non_latin_id(tmp_path: Path) -> None:
    extra = _write(tmp_path / "ru.jsonl", [
        {"id": "владимир-путин", "name": "Владимир Путин", "kind": "person", "country": "RUS", "provenance": "x"},
        {"id": "Путин", "name": "Путин", "kind": "person", "provenance": "x"},
    ])
    assert check_actor_files([extra]) == ["ru.jsonl:2: id 'Путин' is not a lower-case slug"]


def test_knowledge_actors_states_use_wikipedia_names_and_demonyms() -> None:
    kb = load_actor_knowledge()
    states = {e.country: e for e in kb.entries.values() if e.kind == "state"}
    assert len(states) == 249
    assert {states[c].name for c in ("IRN", "RUS", "SYR", "USA", "PSE", "GBR")} == {
        "Iran", "Russia", "Syria", "United States", "State of Palestine", "United Kingdom",
    }
    assert kb.aliases["Egyptians"] == "egypt"
    assert kb.aliases["American"] == "united-states"
    assert kb.aliases["Palestinians"] == "palestinians"  # the people, not the state


def test_knowledge_actors_lookups_resolve_institutions_and_office_holders() -> None:
    kb = load_actor_knowledge()
    assert kb.states["PSE"] == "state-of-palestine"
    assert kb.institutions["ISRMIL", "military"] == "israel-defense-forces"
    assert kb.office_holder("USA", "president", date(2023, 2, 2)) == "joe-biden"
    assert kb.office_holder("USA", "president", date(2019, 6, 1)) == "donald-trump"
    assert kb.office_holder("USA", "president", None) == "donald-trump"  # the latest holder
    assert kb.office_holder("ISR", "prime minister", date(2022, 1, 1)) == "naftali-bennett"
    haniyeh = kb.entries["ismail-haniyeh"].role_at(date(2023, 2, 2))
    assert (haniyeh.title, haniyeh.affiliation) == ("head of the Political Bureau", "hamas")


def test_knowledge_actors_check_reports_each_problem(tmp_path: Path) -> None:
    extra = _write(tmp_path / "mine.jsonl", [
        {"id": "hamas", "name": "Hamas", "kind": "armed_group", "country": "PSE", "cameo": "PSEREB", "provenance": "x"},
        {"id": "blue-group", "name": "Blue Group", "kind": "gang", "country": "XXX", "cameo": "PSEXYZ", "provenance": "x"},
        {"id": "Red", "name": "Red", "kind": "party", "aliases": ["IDF"], "provenance": "x"},
        {"id": "jane-doe", "name": "Jane Doe", "kind": "person", "provenance": "x",
         "roles": [{"title": "mayor", "affiliation": "nowhere", "from": "2020-01-01", "to": "2019-01-01"}]},
        {"id": "no-provenance", "name": "No Provenance", "kind": "party"},
    ])
    problems = check_actor_files([extra])
    assert "mine.jsonl:1: duplicate id 'hamas' (first at curated.jsonl:11)" in problems
    assert any(p.startswith("mine.jsonl:2: unknown kind 'gang'") for p in problems)
    assert "mine.jsonl:2: country 'XXX' is not an ISO 3166 alpha-3 code" in problems
    assert "mine.jsonl:2: bad CAMEO actor code 'PSEXYZ'" in problems
    assert "mine.jsonl:3: id 'Red' is not a lower-case slug" in problems
    assert any(p.startswith("alias 'IDF' is claimed by israel-defense-forces") for p in problems)
    assert "mine.jsonl:4: role 'mayor' ends before it starts" in problems
    assert "mine.jsonl:4: role affiliation 'nowhere' names no actor" in problems
    assert "mine.jsonl:5: provenance: Field required" in problems


def test_knowledge_actors_user_file_extends_the_dictionary(tmp_path: Path) -> None:
    extra = _write(tmp_path / "local.jsonl", [
        {"id": "lions-den", "name": "Lions' Den", "kind": "armed_group", "country": "PSE", "cameo": "PSEREB",
         "aliases": ["Areen al-Usood"], "provenance": "my newsroom"},
    ])
    assert check_actor_files([extra]) == []
    kb = load_actor_knowledge((str(extra),))
    assert kb.aliases["Areen al-Usood"] == "lions-den"
    assert "lions-den" not in load_actor_knowledge().entries


def test_knowledge_actors_extra_rows_are_checked_like_actor_files() -> None:
    assert checked_extra_rows([{"id": "lions-den", "name": "Lions' Den", "kind": "armed_group", "provenance": "x"}]) == [
        ("extra:1", {"id": "lions-den", "name": "Lions' Den", "kind": "armed_group", "provenance": "x"})]
    with pytest.raises(ValueError, match=r"^extra:1: unknown kind 'gang'"):
        checked_extra_rows([{"id": "red", "name": "Red", "kind": "gang", "provenance": "x"}])


def test_knowledge_actors_data_survives_msgpack() -> None:
    data = actor_data()
    rebuilt = build_actor_knowledge(srsly.msgpack_loads(srsly.msgpack_dumps(data)))
    assert rebuilt.entries == load_actor_knowledge().entries and rebuilt.aliases == load_actor_knowledge().aliases


def test_knowledge_actors_load_rejects_an_invalid_entry(tmp_path: Path) -> None:
    bad = _write(tmp_path / "bad.jsonl", [{"id": "x", "name": "X", "kind": "party", "colour": "red", "provenance": "x"}])
    with pytest.raises(ValueError, match="bad.jsonl:1"):
        load_actor_knowledge((str(bad),))
