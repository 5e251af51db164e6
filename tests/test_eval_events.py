"""Event evaluation: exact metrics on tiny inputs, the gold files as Examples through ``nlp.evaluate``, the dev figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from presslens.analyzers.events.scorer import KIND_KEY, event_predictions, score_event_examples, score_events
from presslens.errors import UsageError
from presslens.eval.events import CURVE, MARGINS, cross_validate_events, evaluate_events, gold_sentences

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


def test_eval_events_plover_dev_scores_the_verified_events(nlp: Language) -> None:
    # The shipped verifier was trained on this file (in-sample: the unseen figures are the CV ones of the model card).
    result = evaluate_events(shared_eval("events/dev/plover_gsr.jsonl"), nlp)
    assert (result["kind"], result["sentences"], result["gold_events"]) == ("plover", 167, 170)
    # The default threshold keeps every candidate, so the verifier only ranks: the top event per sentence
    # is right more often (0.725 in-sample; 0.689 cross-validated) than by the heuristic score (0.635).
    assert result["accuracy"] > 0.7 and result["type_recall"] > 0.7


def test_eval_events_petr2_dev_scores_the_cameo_roots(nlp: Language) -> None:
    result = evaluate_events(shared_eval("events/dev/petr2_gsr.jsonl"), nlp)
    assert (result["kind"], result["sentences"]) == ("cameo", 43)
    assert set(result["confusion"]) <= {"NONE", *(f"{n:02d}" for n in range(1, 21))}


def test_eval_events_plv_records_become_marked_roles() -> None:
    record = {"id": "plv-1", "text": "Egypt has lifted a state of emergency.", "events": [
        {"source": "Egypt", "target": "a recipient", "root": "YIELD",
         "marked": "<s>Egypt</s> has lifted a state of emergency."},
        {"source": "Egypt", "target": "emergency", "root": "ACCUSE",
         "marked": "<s>Egypt</s> has lifted a state of <t>emergency</t>."}]}
    kind, sentences = gold_sentences([record])
    assert kind == "plv"
    assert sentences[0]["marked"] == [{"label": "YIELD", "source": [0, 5]},
                                      {"label": "ACCUSE", "source": [0, 5], "target": [28, 37]}]
    assert sentences[0]["gold"] == [{"label": "YIELD", "code": None, "dyads": []},
                                    {"label": "ACCUSE", "code": None, "dyads": []}]


def test_eval_events_plv_roles_need_type_source_and_target() -> None:
    sentence = {"gold": [{"label": "ACCUSE", "code": None, "dyads": []}, {"label": "YIELD", "code": None, "dyads": []}],
                "marked": [{"label": "ACCUSE", "source": [0, 5], "target": [20, 30]}, {"label": "YIELD", "source": [0, 5]}]}
    actors = {"egypt": {"mentions": [[0, 5]]}, "israel": {"mentions": [[22, 28]]}, "un": {"mentions": [[40, 42]]}}
    events = [{"type": "ACCUSE", "cameo": "112", "source": "egypt", "target": "un", "confidence": 0.9},
              {"type": "ACCUSE", "cameo": "112", "source": "un", "target": "israel", "confidence": 0.8},
              {"type": "RETREAT", "cameo": "087", "source": "egypt", "target": None, "confidence": 0.7}]
    predicted = event_predictions(events, actors, "plv")
    assert [p["label"] for p in predicted] == ["ACCUSE", "ACCUSE", "YIELD"]
    roles = score_events("plv", [sentence], [predicted])["roles"]
    # ACCUSE: a right source (first event) and a right target (second), never both in one event; YIELD: no target marked.
    assert roles == {"marked": 2, "type_right": 1.0, "source_right": 1.0, "target_right": 1.0, "both_right": 0.5}


def _plover(tmp_path: Path) -> Path:
    texts = {"ASSAULT": ["Israeli troops attacked Palestinian protesters in Gaza.",
                         "Syrian forces shelled the rebel town of Douma on Sunday.",
                         "Russian jets bombed a hospital in Aleppo."],
             "ACCUSE": ["Iran condemned the Saudi air strikes in Yemen.",
                        "France accused Russia of hacking its election."],
             "CONSULT": ["The president of Egypt met the king of Jordan in Cairo.",
                         "German Chancellor Angela Merkel visited China on Monday."],
             "PROTEST": ["Police arrested dozens of protesters in Moscow.",
                         "Russian police detained Navalny supporters in Moscow."]}
    records = [{"id": f"{label}-{n}", "text": text, "event_type": label, "source": [], "target": []}
               for label, group in texts.items() for n, text in enumerate(group)]
    return _write(tmp_path / "plover.jsonl", records)


def test_eval_events_cross_validation_retrains_per_fold(nlp: Language, tmp_path: Path) -> None:
    result = cross_validate_events(_plover(tmp_path), nlp, 2)
    again = cross_validate_events(_plover(tmp_path), nlp, 2)
    assert result == again  # seeded folds, deterministic training
    assert (result["kind"], result["folds"], result["train"]) == ("plover", 2, [])
    assert len(result["curve"]) == len(CURVE) * len(MARGINS)
    before, first = result["before"]["pooled"], result["curve"][0]
    assert (first["threshold"], first["retype_margin"]) == (0.0, 1.0)
    # At threshold 0 without re-typing the verifier keeps every candidate and its type: the same type figures.
    assert (first["type_recall"], first["type_precision"]) == (before["type_recall"], before["type_precision"])
    assert set(result["after"]["folds"]["type_precision"]) == {"mean", "std", "min", "max"}
    assert all(0.0 <= c["type_precision"] <= 1.0 for c in result["curve"])


def test_eval_events_cross_validation_needs_two_folds(nlp: Language, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cross-validation needs --folds 2 or more"):
        cross_validate_events(_plover(tmp_path), nlp, 1)


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
