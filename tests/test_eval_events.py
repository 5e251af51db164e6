"""Event evaluation: exact metrics on tiny inputs, the gold files as Examples through ``nlp.evaluate``, the dev figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from presslens.analyzers.events.scorer import KIND_KEY, score_event_examples, score_events
from presslens.errors import UsageError
from presslens.eval.events import evaluate_events

from .conftest import shared_eval

SEEN_PUBLISHED: list[str | None] = []


def _pred(label: str, code: str, src: str | None, tgt: str | None, confidence: float) -> dict:
    return {"label": label, "code": code, "source_country": src, "target_country": tgt, "confidence": confidence}


def test_eval_events_cameo_metrics_exact() -> None:
    sentences = [
        {"gold": [{"label": "19", "code": "190", "dyads": [("ISR", "PSE")]}]},
        {"gold": []},
        {"gold": [{"label": "04", "code": "042", "dyads": [("EGY", "USA")]}]},
    ]
    predictions = [
        [_pred("19", "190", "ISR", "PSE", 0.9), _pred("11", "112", "ISR", None, 0.5)],
        [_pred("13", "130", "IND", "PAK", 0.6)],
        [],
    ]
    result = score_events("cameo", sentences, predictions)
    assert (result["accuracy"], result["type_recall"], result["gold_events"]) == (0.3333, 0.5, 2)
    assert result["micro"] == {"precision": 0.3333, "recall": 0.5, "f1": 0.4, "tp": 1, "fp": 2, "fn": 1}
    assert result["per_type"]["19"]["f1"] == 1.0 and result["per_type"]["04"]["recall"] == 0.0
    assert result["confusion"] == {"04": {"NONE": 1}, "19": {"19": 1}, "NONE": {"13": 1}}
    assert (result["dyad"]["tp"], result["dyad"]["fp"], result["dyad"]["fn"]) == (1, 2, 1)


def test_eval_events_unit_tests_pass_rate_by_category() -> None:
    sentences = [
        {"category": "DEMO", "gold": [{"label": "06", "code": "064", "dyads": [("ARN", "GON")]}]},
        {"category": "DEMO", "gold": [{"label": "03", "code": "032", "dyads": [("DAG", "GON")]},
                                      {"label": "03", "code": "033", "dyads": [("GON", "DAG")]}]},
        {"category": "NEG", "gold": []},
    ]
    predictions = [[_pred("06", "064", None, None, 0.5)], [_pred("03", "032", None, None, 0.5)], []]
    result = score_events("unit", sentences, predictions)
    assert (result["pass_rate"], result["root_pass_rate"]) == (0.6667, 1.0)
    assert result["by_category"] == {
        "DEMO": {"n": 2, "pass_rate": 0.5, "root_pass_rate": 1.0},
        "NEG": {"n": 1, "pass_rate": 1.0, "root_pass_rate": 1.0},
    }


class _FakeEvents:
    """Stand-in coder: one REQUEST (CAMEO 100) from USA to IRN in every text that says 'demanded'."""

    def __call__(self, doc: Doc) -> Doc:
        SEEN_PUBLISHED.append(doc.user_data.get("published"))
        doc._.presslens_actors = {"usa": {"cameo": "USA", "country": "USA", "mentions": [[4, 6]]},
                                  "iran": {"cameo": None, "country": "IRN", "mentions": []}}
        doc._.presslens_events = [
            {"type": "REQUEST", "cameo": "100", "source": "usa", "target": "iran", "confidence": 0.8}
        ] if "demanded" in doc.text else []
        return doc

    def score(self, examples: list[Example], **kwargs: object) -> dict:
        return score_event_examples(examples)


@Language.factory("test_eval_events_fake")
def _make_fake_events(nlp: Language, name: str) -> _FakeEvents:
    return _FakeEvents()


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_eval_events_plover_file_maps_2016_labels(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("test_eval_events_fake")
    text = "The US demanded that Iran stop, and agreed to talks."
    records = [
        {"id": "a", "text": text, "event_type": "DEMAND", "source": [{"code": "USAGOV"}], "target": [{"code": "IRN"}]},
        {"id": "b", "text": text, "event_type": "AGREE", "source": [{"code": "USA"}], "target": []},
        {"id": "c", "text": "Nothing happened.", "event_type": "FIGHT", "source": [], "target": []},
    ]
    result = evaluate_events(_write(tmp_path / "plover.jsonl", records), nlp)
    assert (result["kind"], result["sentences"], result["gold_events"]) == ("plover", 2, 3)
    assert (result["type_recall"], result["accuracy"]) == (0.3333, 0.5)
    assert result["confusion"] == {"ASSAULT": {"NONE": 1}, "REQUEST": {"REQUEST": 1}}
    assert (result["dyad"]["tp"], result["dyad"]["fn"]) == (1, 2)
    assert "actors" not in result  # the stand-in has no actors scorer
    json.dumps(result)


def test_eval_events_cameo_file_passes_date_as_publication(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("test_eval_events_fake")
    records = [{"id": "x", "text": "The US demanded a halt.", "date": "20080806", "events": [
        {"source": "USAGOV", "target": "IRN", "code": "1011"}], "expect_no_events": False}]
    SEEN_PUBLISHED.clear()
    result = evaluate_events(_write(tmp_path / "petr2.jsonl", records), nlp)
    assert SEEN_PUBLISHED == ["2008-08-06"]
    assert (result["kind"], result["accuracy"], result["dyad"]["f1"]) == ("cameo", 1.0, 1.0)


def test_eval_events_bad_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(UsageError, match="PL208"):
        evaluate_events(bad, spacy.blank("en"))


def test_eval_events_plover_dev_reproduces_the_readme_figures(nlp: Language) -> None:
    result = evaluate_events(shared_eval("events/dev/plover_gsr.jsonl"), nlp)
    assert (result["sentences"], result["gold_events"]) == (167, 170)
    assert (result["type_recall"], result["accuracy"]) == (0.7294, 0.6347)  # README: 0.729, 0.635
    assert (result["micro"]["f1"], result["dyad"]["f1"]) == (0.5891, 0.1917)
    assert result["actors"] == {"found": 0.8492, "country_acc": 0.8225}


def test_eval_events_petr2_dev_reproduces_the_readme_root_accuracy(nlp: Language) -> None:
    result = evaluate_events(shared_eval("events/dev/petr2_gsr.jsonl"), nlp)
    assert (result["kind"], result["accuracy"], result["type_recall"]) == ("cameo", 0.7442, 0.8372)  # README: 0.744


def test_eval_events_nlp_evaluate_reports_the_presslens_scores(nlp: Language) -> None:
    text = "Hamas fired rockets at Israel."
    reference = nlp.make_doc(text)
    reference._.presslens_events = [{"label": "ASSAULT", "code": None, "dyads": [["PSE", "ISR"]]}]
    reference._.presslens_actors = {"Hamas": {"cameo": "PSEREB", "mentions": [[0, 5]]}}
    reference.user_data[KIND_KEY] = "plover"
    with nlp.select_pipes(disable=nlp.pipe_names[nlp.pipe_names.index("presslens_events") + 1 :]):
        scores = nlp.evaluate([Example(nlp.make_doc(text), reference)])
    assert (scores["events_type_recall"], scores["events_accuracy"], scores["events_dyad_f"]) == (1.0, 1.0, 1.0)
    assert (scores["actors_found"], scores["actors_country_acc"]) == (1.0, 1.0)


def test_eval_events_scorer_ignores_examples_without_events_gold() -> None:
    nlp = spacy.blank("en")
    reference = nlp.make_doc("A quotation, not an event.")
    reference._.presslens_events = [{"type": "ASSAULT", "cameo": "190"}]  # another task's shape, no events gold kind
    assert score_event_examples([Example(nlp.make_doc(reference.text), reference)]) == {}
