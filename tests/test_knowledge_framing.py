from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from presslens.knowledge.framing import LabelNoun, check_framing_file, load_framing_knowledge, read_framing_knowledge

PACKAGED = Path(__file__).resolve().parent.parent / "presslens" / "data" / "framing" / "lexicon.yaml"


def _variant(tmp_path: Path, change) -> Path:
    """A copy of the packaged lexicon with one change applied."""
    data = yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_knowledge_framing_packaged_lexicon_is_valid() -> None:
    assert check_framing_file() == []
    knowledge = load_framing_knowledge()
    assert knowledge.technique("label") == "Name_Calling,Labeling"
    assert {w.tone for w in knowledge.deaths.entries} == {"neutral", "condemning", "glorifying"}


def test_knowledge_framing_label_plurals() -> None:
    assert LabelNoun(term="militia", stance="neutral").forms() == ["militia", "militias"]
    assert LabelNoun(term="junta", stance="delegitimising", plural=None).forms() == ["junta"]
    assert LabelNoun(term="hero", stance="legitimising", plural="heroes").forms() == ["hero", "heroes"]
    assert LabelNoun(term="gang", stance="delegitimising").forms() == ["gang", "gangs"]


def test_knowledge_framing_undeclared_source_is_rejected(tmp_path: Path) -> None:
    path = _variant(tmp_path, lambda d: d["hedges"]["entries"].append({"term": "arguendo", "source": "nowhere"}))
    [problem] = check_framing_file(path)
    assert "nowhere" in problem


def test_knowledge_framing_duplicate_terms_are_rejected(tmp_path: Path) -> None:
    path = _variant(tmp_path, lambda d: d["loaded_terms"]["entries"].append({"term": "excuse"}))
    with pytest.raises(ValueError, match="duplicate loaded terms"):
        read_framing_knowledge(path)


def test_knowledge_framing_death_word_needs_lemma_or_phrase(tmp_path: Path) -> None:
    both = {"lemma": "kill", "phrase": "killed", "tone": "neutral"}
    path = _variant(tmp_path, lambda d: d["deaths"]["entries"].append(both))
    [problem] = check_framing_file(path)
    assert "exactly one of lemma and phrase" in problem
