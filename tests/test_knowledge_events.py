"""The event data files load, validate and say what the component relies on."""

from __future__ import annotations

import pytest
import srsly
from pydantic import ValidationError

from presslens.knowledge import events as knowledge
from presslens.knowledge.events import Curated, build_event_knowledge, event_data, load_event_knowledge


def test_knowledge_events_codes_map_to_plover() -> None:
    k = load_event_knowledge()
    assert [k.plover(c) for c in ("042", "040", "112", "120", "130", "190", "1712", "100")] == [
        "CONSULT", "CONSULT", "ACCUSE", "REJECT", "THREATEN", "ASSAULT", "ASSAULT", "REQUEST"]
    assert k.codes["042"].mode == "visit"


def test_knowledge_events_dropped_roots_are_documented_choices() -> None:
    k = load_event_knowledge()
    assert (k.plover("010"), k.plover("01")) == (None, None)
    assert (k.plover("020"), k.plover("0211")) == ("REQUEST", "REQUEST")
    assert (k.plover("081"), k.plover("084")) == ("CONCEDE", "RETREAT")


def test_knowledge_events_verbs_and_nouns_are_indexed() -> None:
    k = load_event_knowledge()
    assert [e.code for e in k.verbs["visit"]][:2] == ["042", "042"]
    assert k.verbs["visit"][1].reverse == "043"
    assert any(e.after == ("with",) for e in k.verbs["meet"])
    assert k.nouns["operation"].needs_actor and k.nouns["attack"].code == "190"
    assert ["will", "not", "be", "silent"] in [p.words for p in k.phrases]
    assert (k.agents["troops"], k.agents["ministers"]) == ("MIL", "GOV")
    assert "officials" in k.lexicon.agent_words


def test_knowledge_events_call_on_is_a_curated_pattern() -> None:
    [pattern, *_] = [p for e in load_event_knowledge().verbs["call"][:1] for p in e.patterns]
    assert (pattern.prep, pattern.code, pattern.source.split(":")[0]) == ("on", "020", "curated.jsonl")


def test_knowledge_events_unknown_code_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    real = knowledge._read
    monkeypatch.setattr(knowledge, "_read", lambda name: (
        '{"kind": "verb", "lemma": "x", "code": "999", "note": "bad"}\n' if name == "curated.jsonl" else real(name)))
    load_event_knowledge.cache_clear()
    try:
        with pytest.raises(ValueError, match="unknown CAMEO code '999'"):
            load_event_knowledge()
    finally:
        load_event_knowledge.cache_clear()


def test_knowledge_events_entries_are_validated() -> None:
    with pytest.raises(ValidationError):
        Curated.model_validate({"kind": "adverb", "lemma": "x", "code": "010", "note": ""})


def test_knowledge_events_data_survives_msgpack() -> None:
    k = load_event_knowledge()
    rebuilt = build_event_knowledge(srsly.msgpack_loads(srsly.msgpack_dumps(event_data())))
    assert (rebuilt.codes, rebuilt.verbs, rebuilt.nouns, rebuilt.lexicon) == (k.codes, k.verbs, k.nouns, k.lexicon)
    assert rebuilt.rules == k.rules


def test_knowledge_events_senses_and_discards_are_loaded() -> None:
    rules = load_event_knowledge().rules
    assert {"abstract", "phone", "sports", "entertainment", "business", "contest_verbs"} <= set(rules.classes)
    assert "decision" in rules.classes["abstract"] and "phone" in rules.classes["phone"]
    assert any(s.lemma == "take" and s.unless_obj == "actor" for s in rules.senses)
    assert ("world", "cup") in rules.discards and ("box", "office") not in rules.discards
    assert ("world", "war", "ii") not in rules.discards  # history is background, not a discard


@pytest.mark.parametrize(("row", "message"), [
    ({"kind": "domain", "class": "nonexistent", "roots": ["19"], "note": "x"}, "unknown class"),
    ({"kind": "sense", "roots": ["99"], "origins": ["default"], "code": None, "note": "x"}, "root in"),
    ({"kind": "sense", "origins": ["default"], "code": None, "note": "x"}, "needs a lemma or roots"),
    ({"kind": "sense", "lemma": "x", "origins": ["default"], "code": "999", "note": "x"}, "unknown CAMEO code"),
])
def test_knowledge_events_senses_are_checked(row: dict, message: str) -> None:
    data = event_data()
    data["senses"] = [*data["senses"], [999, row]]
    with pytest.raises(ValueError, match=message):
        build_event_knowledge(data)
