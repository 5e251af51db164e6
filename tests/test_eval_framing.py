from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from presslens.cli import app
from presslens.errors import UsageError
from presslens.eval.framing import detect_dataset, evaluate_framing, macro_f1, merge_spans, micro_f1, span_prf, target_polarity
from presslens.knowledge.techniques import load_technique_model
from presslens.pipeline import Pipeline


def test_eval_framing_merge_spans_joins_overlaps_only() -> None:
    assert merge_spans([(5, 15), (0, 10), (15, 20), (30, 31)]) == [(0, 15), (15, 20), (30, 31)]


def test_eval_framing_span_prf_partial_credit_by_hand() -> None:
    gold = [[(0, 10), (5, 15), (20, 30)], [(0, 4)]]  # the first two gold spans merge into (0, 15)
    predicted = [[(0, 5), (25, 35)], []]
    # precision: (5/5 + 5/10) / 2 predicted = 0.75; recall: (5/15 + 5/10 + 0) / 3 gold = 0.2778
    result = span_prf(predicted, gold)
    assert (result["precision"], result["recall"], result["predicted"], result["gold"]) == (0.75, 0.2778, 2, 3)
    assert result["f1"] == pytest.approx(2 * 0.75 * (5 / 6 / 3) / (0.75 + 5 / 6 / 3), abs=1e-4)


def test_eval_framing_span_prf_merges_predictions_but_not_touching_ones() -> None:
    assert span_prf([[(0, 6), (3, 8)]], [[(0, 8)]])["predicted"] == 1
    touching = span_prf([[(0, 4), (4, 8)]], [[(0, 8)]])
    assert (touching["precision"], touching["recall"], touching["predicted"]) == (1.0, 1.0, 2)
    assert span_prf([[]], [[(0, 3)]])["f1"] == 0.0


def test_eval_framing_micro_and_macro_f1() -> None:
    assert micro_f1(["a", "b", "b", "c"], ["a", "b", "c", "c"]) == 0.75
    gold = ["negative", "positive", "neutral"]
    # negative 1.0, neutral 2*1/(2+1) = 0.667, positive 0.0
    assert macro_f1(["negative", "neutral", "neutral"], gold, ("negative", "neutral", "positive")) == 0.5556


def test_eval_framing_target_polarity_window_and_negation() -> None:
    model = load_technique_model()
    pos = frozenset(w for w, names in model.lexicon.items() if "positive" in names)
    neg = frozenset(w for w, names in model.lexicon.items() if "negative" in names)

    def polarity(sentence: str, target: str) -> str:
        start = sentence.index(target)
        return target_polarity(sentence, start, start + len(target), pos, neg)

    assert polarity("Critics said the reckless plan of Smith failed.", "Smith") == "negative"
    assert polarity("Smith did not fail the voters.", "Smith") == "positive"
    assert polarity("Smith spoke to reporters on Tuesday.", "Smith") == "neutral"


def test_eval_framing_detects_each_dataset() -> None:
    assert detect_dataset([{"sentence": "s", "target": {}, "polarity": "neutral"}]) == "newsmtsc"
    assert detect_dataset([{"text": "t", "label": "Biased"}]) == "babe"
    assert detect_dataset([{"text": "t", "spans": [], "triplet_uuid": "u"}]) == "basil"
    assert detect_dataset([{"text": "t", "spans": []}]) == "ptc"
    assert detect_dataset([{"id": 1}]) == ""


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_eval_framing_cli_newsmtsc(tmp_path: Path) -> None:
    rows = [
        {"sentence": "Critics said the reckless plan of Smith failed.", "target": {"start": 34, "end": 39, "text": "Smith"}, "polarity": "negative"},
        {"sentence": "Smith spoke on Tuesday.", "target": {"start": 0, "end": 5, "text": "Smith"}, "polarity": "positive"},
    ]
    result = CliRunner().invoke(app, ["eval", "framing", "--data", str(_jsonl(tmp_path / "n.jsonl", rows))])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    # negative right (F1 1), positive predicted neutral (F1 0 for both): (1 + 0 + 0) / 3
    assert (scores["dataset"], scores["sentences"], scores["macro_f1"]) == ("newsmtsc", 2, 0.3333)


def test_eval_framing_cli_rejects_unknown_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "framing", "--data", str(_jsonl(tmp_path / "x.jsonl", [{"id": 1}]))])
    assert result.exit_code == 2
    assert "PL217" in result.output  # the CLI checks the kind of gold file before scoring it


def test_eval_framing_unknown_file_raises(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="PL208"):
        evaluate_framing(_jsonl(tmp_path / "x.jsonl", [{"id": 1}]), 0, lambda: None)  # type: ignore[arg-type,return-value]


def test_eval_framing_ptc_scores_the_shipped_detector(tmp_path: Path, pipeline: Pipeline) -> None:
    text = "The corrupt regime's thugs brutally slaughtered innocent protesters in a despicable massacre."
    spans = [{"start": 21, "end": 26, "label": "Name_Calling,Labeling", "text": "thugs"}]
    path = _jsonl(tmp_path / "ptc.jsonl", [{"id": "a", "article_id": "1", "text": text, "spans": spans}])
    result = evaluate_framing(path, 0, lambda: pipeline.nlp)["shipped_model"]
    # one detected span, 0-92 (the sentence without its full stop), holds the 5-character gold span: P = 5/92, R = 1
    assert result["si"] == {"precision": 0.0543, "recall": 1.0, "f1": 0.1031, "predicted": 1, "gold": 1}
    assert (result["tc_micro_f1"], result["tc_gold_spans"]) == (1.0, 1)
