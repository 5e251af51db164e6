from __future__ import annotations

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from presslens.knowledge.quotes import QuoteKnowledge, load_quote_knowledge


def _raw() -> dict:
    return json.loads((resources.files("presslens") / "data" / "quotes" / "cues.json").read_text(encoding="utf-8"))


def test_knowledge_quotes_loads_cue_verbs_with_sources() -> None:
    knowledge = load_quote_knowledge()
    assert {"say", "warn", "emphasize", "point", "report"} <= knowledge.cue_lemmas
    assert {"address", "provide"}.isdisjoint(knowledge.cue_lemmas)  # removed upstream as too noisy
    assert set(knowledge.sources) == {verb.source for verb in knowledge.verbs}
    assert knowledge.particles["point"] == ["out"]


def test_knowledge_quotes_is_loaded_once() -> None:
    assert load_quote_knowledge() is load_quote_knowledge()


def test_knowledge_quotes_rejects_duplicate_lemmas() -> None:
    raw = _raw()
    raw["verbs"].append({"lemma": "say", "source": "presslens"})
    with pytest.raises(ValidationError, match="duplicate cue verb"):
        QuoteKnowledge.model_validate(raw)


def test_knowledge_quotes_rejects_particles_of_unknown_verbs() -> None:
    raw = _raw()
    raw["particles"]["shout"] = ["out"]
    raw["verbs"] = [v for v in raw["verbs"] if v["lemma"] != "shout"]
    with pytest.raises(ValidationError, match="not cue verbs"):
        QuoteKnowledge.model_validate(raw)


def test_knowledge_quotes_rejects_unknown_source() -> None:
    raw = _raw()
    raw["verbs"][0]["source"] = "somewhere"
    with pytest.raises(ValidationError):
        QuoteKnowledge.model_validate(raw)
