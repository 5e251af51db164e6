"""The Phoenix-derived actor dictionary, the dated office-holders and the title table (no model loaded)."""

from __future__ import annotations

from datetime import date

import pytest

from presslens.analyzers.actors.component import text_date
from presslens.knowledge.actors import checked_extra_rows, load_actor_knowledge, read_entries

from .conftest import SHARED, missing_shared

PHOENIX_DIR = SHARED / "knowledge" / "petrarch"


def test_knowledge_actors_phoenix_entry_keeps_its_file_and_line() -> None:
    npa = load_actor_knowledge().entries["new-peoples-army"]
    assert (npa.name, npa.kind, npa.country, npa.cameo) == ("New People's Army", "armed_group", "PHL", "PHLREB")
    source, line = npa.provenance.split(":")
    assert source == "Phoenix.MilNonState.actors.txt"
    if not PHOENIX_DIR.is_dir():
        missing_shared(PHOENIX_DIR)
    raw = (PHOENIX_DIR / source).read_text(encoding="utf-8", errors="replace").splitlines()
    assert raw[int(line) - 1].startswith("NEW_PEOPLE'S_ARMY [PHLREB]")


def test_knowledge_actors_phoenix_dated_codes_are_roles() -> None:
    kyuma = load_actor_knowledge().entries["fumio-kyuma"]  # [JPNGOVMIL 061001-070731] in the Countries file
    assert [(r.cameo, r.start, r.end) for r in kyuma.roles] == [("JPNGOVMIL", date(2006, 10, 1), date(2007, 7, 31))]
    assert kyuma.role_at(date(2007, 1, 1)).cameo == "JPNGOVMIL"
    former = kyuma.role_at(date(2012, 1, 1))  # none held then: a former official is an elite of the country
    assert (former.title, former.cameo) == ("former government (JPNGOVMIL)", "JPNELI")
    assert kyuma.role_at(date(2000, 1, 1)) is None  # a role not begun yet is never used


def test_knowledge_actors_curated_entries_win_over_phoenix() -> None:
    kb = load_actor_knowledge()
    merkel = kb.entries["angela-merkel"]
    assert merkel.provenance.startswith("curated") and merkel.roles[0].source == "English Wikipedia: List of chancellors of Germany"
    assert not any(e.provenance.startswith("Phoenix.") for e in kb.entries.values() if e.name == "Angela Merkel")
    assert all(not kb.entries[i].provenance.startswith("Phoenix.") for i in kb.institutions.values())


@pytest.mark.parametrize(("country", "office", "when", "holder"), [
    ("USA", "secretary of state", date(2019, 6, 1), "mike-pompeo"),
    ("USA", "secretary of state", date(2023, 6, 1), "antony-blinken"),
    ("GBR", "defence secretary", date(2020, 3, 1), "ben-wallace"),
    ("RUS", "foreign minister", date(2016, 5, 1), "sergey-lavrov"),
    ("DEU", "chancellor", date(2025, 6, 1), "friedrich-merz"),
    ("nato", "secretary-general", date(2019, 1, 1), "jens-stoltenberg"),
    ("united-nations", "secretary-general", date(2015, 1, 1), "ban-ki-moon"),
])
def test_knowledge_actors_office_holder_by_date(country: str, office: str, when: date, holder: str) -> None:
    assert load_actor_knowledge().office_holder(country, office, when) == holder


def test_knowledge_actors_officeholders_have_dates_and_sources() -> None:
    from presslens.knowledge.actors import data_dir

    rows = [row for _, row in read_entries(data_dir() / "officeholders.jsonl")]
    assert len(rows) >= 250
    for row in rows:
        assert all(role["from"] and role["source"].startswith("English Wikipedia: ") for role in row["roles"]), row["id"]


def test_knowledge_actors_title_table_gives_agent_codes() -> None:
    kb = load_actor_knowledge()
    assert kb.title_code(["iran", "unification", "minister"]) == ("GOV", "unification minister")
    assert kb.title_code(["sen."]) == ("LEG", "senator")
    assert kb.title_code(["rebel", "commander"]) == ("REB", "rebel commander")
    assert kb.title_code(["u.s.", "ambassador", "to", "the", "european", "union"]) == ("GOV", "ambassador to")
    assert kb.title_code(["dentist"]) == ("HLH", "dentist")  # Phoenix codes health workers HLH
    assert kb.title_code(["the", "blue", "table"]) == (None, "")


def test_knowledge_actors_validator_rejects_bad_dated_roles() -> None:
    backwards = {"id": "jane-roe", "name": "Jane Roe", "kind": "person", "country": "FRA", "provenance": "x",
                 "roles": [{"title": "Foreign Minister of France", "office": "foreign minister", "affiliation": "france",
                            "from": "2021-05-01", "to": "2020-01-01"}]}
    with pytest.raises(ValueError, match="extra:1: role 'Foreign Minister of France' ends before it starts"):
        checked_extra_rows([backwards])
    overlapping = backwards | {"roles": [backwards["roles"][0] | {"from": "2019-01-01", "to": "2020-01-01"}]}
    with pytest.raises(ValueError, match="extra:1: jane-roe holds 'foreign minister' of FRA from 2019-01-01 while "
                                         "jean-yves-le-drian does"):
        checked_extra_rows([overlapping])


@pytest.mark.parametrize(("text", "found"), [
    ("WASHINGTON (AP) — Nov. 21, 2019 — Lawmakers met.", date(2019, 11, 21)),
    ("Posted 3 June 2019 by the desk", date(2019, 6, 3)),
    ("Updated 2019-06-03T10:00", date(2019, 6, 3)),
    ("No date here, only 2019.", None),
    ("February 30, 2019 is no date", None),
])
def test_knowledge_actors_text_date(text: str, found: date | None) -> None:
    assert text_date(text) == found
