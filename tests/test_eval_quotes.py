from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from presslens.errors import UsageError
from presslens.eval.quotes import evaluate_quotes, gold_examples, read_gold

from .conftest import shared_eval

# PolNeAR dev, as the README's Evaluation table gives them (presslens; textacy's direct_quotations).
POLNEAR_DEV = {"precision": 0.964, "recall": 0.9583, "f1": 0.9611, "speaker_accuracy": 0.9089, "all_recall": 0.8052}
POLNEAR_DEV_STRICT = {"precision": 0.9529, "recall": 0.8974, "f1": 0.9243, "speaker_accuracy": 0.9441}
TEXTACY_POLNEAR_DEV = {"precision": 0.997, "recall": 0.7388, "f1": 0.8487, "speaker_accuracy": 0.8013, "all_recall": 0.4361}


def test_eval_quotes_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"id": 1, "text": "Troops withdrew."}\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"PL217.*not quotes gold data: record 1"):
        evaluate_quotes(path, Language())


def test_eval_quotes_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="PL201"):
        read_gold(tmp_path / "missing.jsonl")
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(UsageError, match="PL208"):
        read_gold(tmp_path / "bad.jsonl")


def test_eval_quotes_gold_goes_to_the_reference() -> None:
    record = {"id": "d1", "text": 'Ann said "hi there".', "quotes": [
        {"quote": {"start": 9, "end": 19, "text": '"hi there"'}, "cue": None, "type": "direct"},
    ]}
    [example] = gold_examples(spacy.blank("en"), [record])
    assert example.reference._.presslens_quotes == {"id": "d1", "attributions": [
        {"quote": {"start": 9, "end": 19, "text": '"hi there"'}, "speaker": None, "type": "direct"},
    ]}
    assert example.predicted._.presslens_quotes is None
    assert example.predicted.text == example.reference.text


@pytest.mark.textacy
def test_eval_quotes_textacy_fixtures_all_pass(nlp: Language) -> None:
    result = evaluate_quotes(shared_eval("quotes/dev/textacy_fixtures.jsonl"), nlp)
    assert result["presslens"]["fixtures"]["passed"] == 7
    assert result["presslens"]["f1"] == 1.0
    assert result["textacy_direct_quotations"]["fixtures"]["passed"] == 6


@pytest.mark.textacy
def test_eval_quotes_polnear_dev_reproduces_the_readme(nlp: Language) -> None:
    """The README's PolNeAR dev figures, presslens and textacy measured in one nlp.evaluate run."""
    result = evaluate_quotes(shared_eval("quotes/dev/polnear_dev.jsonl"), nlp)
    ours, textacy = result["presslens"], result["textacy_direct_quotations"]
    assert result["documents"] == 84
    assert ours["counts"]["gold"] == 624
    assert {k: ours[k] for k in POLNEAR_DEV} == POLNEAR_DEV
    assert {k: ours["strict"][k] for k in POLNEAR_DEV_STRICT} == POLNEAR_DEV_STRICT
    assert {k: textacy[k] for k in TEXTACY_POLNEAR_DEV} == TEXTACY_POLNEAR_DEV
