from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from presslens.errors import UsageError
from presslens.eval.quotes import evaluate_quotes, score, score_document
from presslens.pipeline import Pipeline
from presslens.settings import Settings

from .conftest import shared_eval

TEXT = 'Ann said "alpha beta gamma delta". Bob said "epsilon zeta". Carl said eta theta.'


def _at(piece: str, text: str = TEXT) -> dict:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


def _gold() -> list[dict]:
    return [
        {"quote": _at('"alpha beta gamma delta"'), "speaker": _at("Ann"), "type": "direct"},
        {"quote": _at('"epsilon zeta"'), "speaker": _at("Bob"), "type": "direct"},
        {"quote": _at("eta theta"), "speaker": _at("Carl"), "type": "indirect"},
    ]


def _pred(piece: str, kind: str, speaker: str | None, text: str = TEXT) -> dict:
    span = _at(piece, text)
    speaker_span = [text.index(speaker), text.index(speaker) + len(speaker)] if speaker else None
    return {**span, "kind": kind, "speaker_span": speaker_span}


def test_eval_quotes_score_document_exact_counts() -> None:
    predicted = [
        _pred("alpha beta", "direct", "Ann"),  # half of g1's words: found, right speaker
        _pred('said "epsilon zeta"', "mixed", "Carl"),  # 2 of its 3 words in g2: right; wrong speaker
        _pred("Carl said", "direct", None),  # in no attribution: wrong
        _pred("eta theta", "indirect", "Carl"),  # counts only for all-attribution recall
    ]
    counts = score_document(TEXT, _gold(), predicted)
    assert counts == {
        "gold": 2, "found": 2, "pred": 3, "right": 2, "spk_gold": 2, "spk_right": 1, "all_gold": 3, "all_found": 3
    }


def test_eval_quotes_fragments_and_summary() -> None:
    text = '"One two," she said. "Three four five six."'
    gold = [{
        "quote": {**_at(text, text), "fragments": [_at('"One two,"', text), _at('"Three four five six."', text)]},
        "speaker": _at("she", text),
        "type": "direct",
    }]
    result = score([{"id": "x", "text": text, "quotes": gold}], lambda _: [_pred('"One two,"', "direct", "she", text)])
    # 2 of the 6 fragment words are covered (not found); the prediction lies in the attribution (right)
    assert {k: result[k] for k in ("precision", "recall", "f1", "speaker_accuracy")} == {
        "precision": 1.0, "recall": 0.0, "f1": 0.0, "speaker_accuracy": None
    }


def test_eval_quotes_strict_needs_overlap() -> None:
    text = '"red blue" he said. Later red blue appeared.'
    gold = [{"quote": _at('"red blue"', text), "speaker": _at("he", text), "type": "direct"}]
    elsewhere = [{"start": 26, "end": 34, "text": "red blue", "kind": "direct", "speaker_span": None}]
    loose = score_document(text, gold, elsewhere)
    strict = score_document(text, gold, elsewhere, strict=True)
    assert (loose["found"], loose["spk_gold"], loose["spk_right"]) == (1, 1, 0)
    assert (strict["found"], strict["right"]) == (0, 0)


def test_eval_quotes_rejects_other_files(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="PL208"):
        evaluate_quotes(path, Language())


@pytest.mark.slow
def test_eval_quotes_textacy_fixtures_all_pass(settings: Settings) -> None:
    path = shared_eval("quotes/dev/textacy_fixtures.jsonl")
    result = evaluate_quotes(path, Pipeline(settings).nlp)
    assert result["presslens"]["fixtures"]["passed"] == 7
    assert result["presslens"]["f1"] == 1.0
    assert result["textacy_direct_quotations"]["fixtures"]["passed"] == 6


@pytest.mark.slow
def test_eval_quotes_polnear_dev_beats_textacy_in_one_run(settings: Settings) -> None:
    """Issue 5's bars on PolNeAR dev, with textacy's reference figures reproduced in the same run."""
    result = evaluate_quotes(shared_eval("quotes/dev/polnear_dev.jsonl"), Pipeline(settings).nlp)
    textacy, ours = result["textacy_direct_quotations"], result["presslens"]
    assert (textacy["precision"], textacy["recall"], textacy["f1"], textacy["speaker_accuracy"]) == pytest.approx(
        (0.997, 0.739, 0.849, 0.801), abs=0.001
    )
    assert ours["f1"] >= 0.92
    assert ours["speaker_accuracy"] >= 0.90
