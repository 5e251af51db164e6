"""evaluate_babe: the shipped model scored on a small BABE-format file written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presslens.errors import UsageError
from presslens.eval.babe import evaluate_babe
from presslens.pipeline import Pipeline

ROWS = [
    ("The corrupt regime's thugs brutally crushed the peaceful protesters in a shameful display of tyranny.", "Biased"),
    ("Radical extremists are shamelessly spreading their dangerous lies to brainwash gullible voters.", "Biased"),
    ("The city council will meet on Tuesday to discuss the budget for next year.", "Non-biased"),
    ("The company reported quarterly revenue of $2.1 billion, up 4 percent from a year earlier.", "Non-biased"),
    ("Annotators could not agree on this one.", "No agreement"),
]


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    records = [{"id": f"t{i}", "text": text, "label": label, "news_link": f"https://example.org/{i}"} for i, (text, label) in enumerate(rows)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_eval_babe_shipped_model_scores_file(tmp_path: Path, pipeline: Pipeline) -> None:
    result = evaluate_babe(_write(tmp_path / "babe.jsonl", ROWS), pipeline.nlp)
    assert result["n"] == 4 and result["folds"] is None
    assert result["macro_f1"] == 1.0
    assert result["classes"]["Biased"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_eval_babe_bad_file_is_a_usage_error(tmp_path: Path, pipeline: Pipeline) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "no label"}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="PL208"):
        evaluate_babe(path, pipeline.nlp)
