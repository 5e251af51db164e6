"""The eval gate on synthetic scores and a synthetic baseline, and the real baseline against ../shared."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from presslens.errors import UsageError
from presslens.eval import gate

from .conftest import ROOT, shared_eval

SCORES = {"type_recall": 0.7294, "micro": {"f1": 0.5891}, "kind": "plover"}


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    """A repository with tests/eval/baseline.json whose one task reads ../eval/events/dev/gold.jsonl."""
    data = tmp_path / "eval" / "events" / "dev" / "gold.jsonl"
    data.parent.mkdir(parents=True)
    data.write_text('{"id": 1}\n', encoding="utf-8")
    path = tmp_path / "repo" / "tests" / "eval" / "baseline.json"
    path.parent.mkdir(parents=True)
    task = {"command": "events", "data": "events/dev/gold.jsonl", "sha256": gate.data_sha256(data), "measured": "2026-12-01",
            "ci": True, "floors": {"type_recall": 0.729, "micro.f1": 0.59}}
    path.write_text(json.dumps({"eval_root": "../eval", "tasks": {"plover": task}, "lowered": []}), encoding="utf-8")
    return path


def _doc(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_eval_gate_passes_at_the_floors_after_rounding(baseline: Path) -> None:
    assert gate.check("plover", SCORES, baseline=baseline) == []
    assert gate.check("plover", {**SCORES, "type_recall": 0.9}, baseline=baseline) == []


def test_eval_gate_reports_a_regression(baseline: Path) -> None:
    assert gate.check("plover", {**SCORES, "micro": {"f1": 0.5849}}, baseline=baseline) == [
        "plover: micro.f1 0.58 is below its floor 0.59"
    ]


def test_eval_gate_reports_a_renamed_or_non_numeric_metric(baseline: Path) -> None:
    scores = {"type_recall_all": 0.7294, "micro": {"f1": "n/a"}}
    assert gate.check("plover", scores, baseline=baseline) == [
        "plover: metric 'type_recall' missing from the scores (renamed? fix baseline.json)",
        "plover: metric 'micro.f1' is 'n/a', not a number",
    ]


def test_eval_gate_reports_changed_dev_data(baseline: Path) -> None:
    old = _doc(baseline)["tasks"]["plover"]["sha256"]
    data = baseline.parents[3] / "eval" / "events" / "dev" / "gold.jsonl"
    data.write_text('{"id": 2}\n', encoding="utf-8")
    assert gate.check("plover", SCORES, baseline=baseline) == [
        f"plover: events/dev/gold.jsonl has sha256 {gate.data_sha256(data)[:12]}…, the floors were measured on {old[:12]}… "
        "(check the scores, then accept the new file with --allow-regression REASON)"
    ]


def test_eval_gate_reports_absent_data_and_unknown_tasks(baseline: Path) -> None:
    (baseline.parents[3] / "eval" / "events" / "dev" / "gold.jsonl").unlink()
    assert gate.check("plover", SCORES, baseline=baseline) == [
        f"plover: dev data {baseline.parents[3].resolve() / 'eval' / 'events' / 'dev' / 'gold.jsonl'} is absent"
    ]
    assert gate.check("petr2", SCORES, baseline=baseline) == [f"petr2: no floors in {baseline}"]


def test_eval_gate_allowed_regression_lowers_the_floor_and_records_the_reason(baseline: Path) -> None:
    regressed = {**SCORES, "type_recall": 0.7012}
    assert gate.check("plover", regressed, allow_regression="negation rules removed (issue 14)", baseline=baseline) == []
    document = _doc(baseline)
    assert document["tasks"]["plover"]["floors"] == {"type_recall": 0.701, "micro.f1": 0.59}
    assert [{k: v for k, v in row.items() if k != "date"} for row in document["lowered"]] == [
        {"task": "plover", "metric": "type_recall", "from": 0.729, "to": 0.701, "reason": "negation rules removed (issue 14)"}
    ]
    assert gate.check("plover", regressed, baseline=baseline) == []


def test_eval_gate_allowed_regression_accepts_new_dev_data(baseline: Path) -> None:
    data = baseline.parents[3] / "eval" / "events" / "dev" / "gold.jsonl"
    data.write_text('{"id": 2}\n', encoding="utf-8")
    assert gate.check("plover", SCORES, allow_regression="dev set re-converted", baseline=baseline) == []
    assert _doc(baseline)["tasks"]["plover"]["sha256"] == gate.data_sha256(data)
    assert _doc(baseline)["lowered"][0]["reason"] == "dev set re-converted"


def test_eval_gate_never_lowers_for_a_missing_metric_or_without_a_reason(baseline: Path) -> None:
    before = baseline.read_text(encoding="utf-8")
    problems = gate.check("plover", {"type_recall": 0.5}, allow_regression="anything", baseline=baseline)
    assert problems == [
        "plover: metric 'micro.f1' missing from the scores (renamed? fix baseline.json)",
        "plover: type_recall 0.5 is below its floor 0.729",
    ]
    assert baseline.read_text(encoding="utf-8") == before
    with pytest.raises(UsageError) as info:
        gate.check("plover", {**SCORES, "type_recall": 0.5}, allow_regression="  ", baseline=baseline)
    assert info.value.code == "PL205" and baseline.read_text(encoding="utf-8") == before


def test_eval_gate_finds_the_task_of_a_command_and_its_data(baseline: Path) -> None:
    data = baseline.parents[3] / "eval" / "events" / "dev" / "gold.jsonl"
    assert gate.task_for("events", data, baseline) == "plover"
    assert gate.task_for("quotes", data, baseline) is None
    assert gate.check("events", {**SCORES, "type_recall": 0.5}, baseline=baseline, data=data) == [
        "plover: type_recall 0.5 is below its floor 0.729"
    ]


def test_eval_gate_tells_apart_tasks_of_one_file_by_their_scores(baseline: Path) -> None:
    document = _doc(baseline)
    plover = document["tasks"]["plover"]
    document["tasks"] = {"plover": {**plover, "match": {"folds": 0}}, "plover_cv": {**plover, "match": {"folds": 5}, "floors": {"type_recall": 0.6}}}
    baseline.write_text(json.dumps(document), encoding="utf-8")
    data = baseline.parents[3] / "eval" / "events" / "dev" / "gold.jsonl"
    assert gate.task_for("events", data, baseline, {"folds": 5}) == "plover_cv"
    assert gate.check("events", {**SCORES, "type_recall": 0.65, "folds": 5}, baseline=baseline, data=data) == []
    assert gate.check("events", {**SCORES, "type_recall": 0.65, "folds": 0}, baseline=baseline, data=data) == [
        "plover: type_recall 0.65 is below its floor 0.729"
    ]


def test_eval_gate_folder_sha_covers_names_and_contents(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("1", encoding="utf-8")
    first = gate.data_sha256(tmp_path / "a")
    (tmp_path / "a" / "x.txt").rename(tmp_path / "a" / "y.txt")
    second = gate.data_sha256(tmp_path / "a")
    (tmp_path / "a" / "y.txt").write_text("2", encoding="utf-8")
    assert len({first, second, gate.data_sha256(tmp_path / "a")}) == 3


def test_eval_gate_real_baseline_matches_the_shared_dev_data() -> None:
    """Every task of tests/eval/baseline.json names dev or train data (never holdout) whose sha256 is the recorded one."""
    tasks = gate.load()["tasks"]
    assert {t["command"] for t in tasks.values() if t.get("ci")} == {"extraction", "events", "quotes", "framing"}
    for name, task in tasks.items():
        assert ("/dev/" in f"/{task['data']}/" or "/train/" in f"/{task['data']}/") and "holdout" not in task["data"], name
        assert gate.data_sha256(shared_eval(task["data"])) == task["sha256"], name
        assert task["floors"] and all(type(v) in (int, float) for v in task["floors"].values()), name


# -- the gate on the real dev sets (the tasks marked "ci"), run in-process on the session model --------

CI_TASKS = sorted(name for name, task in gate.load()["tasks"].items() if task.get("ci"))
OUT = ROOT / "out" / "eval"


@pytest.mark.slow
@pytest.mark.parametrize("task", CI_TASKS)
def test_eval_gate_holds_on_the_dev_set(task: str, cli_nlp: Language) -> None:
    """`presslens eval COMMAND --data DEV --gate` holds every floor of the baseline; its JSON is kept in out/eval/."""
    from presslens.cli import app

    entry = gate.load()["tasks"][task]
    command = ["eval", entry["command"], "--data", str(shared_eval(entry["data"])), *entry.get("args", []), "--gate"]
    result = CliRunner().invoke(app, command, catch_exceptions=False)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{task}.json").write_text(result.stdout, encoding="utf-8")
    assert result.exit_code == 0, result.stderr
    assert gate.check(task, json.loads(result.stdout)) == []


def test_eval_gate_script_checks_saved_outputs(baseline: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """scripts/eval_gate.py --no-run: exit 0 on a passing saved output, 1 (the problems on stderr) otherwise."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        script = importlib.import_module("eval_gate")
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "plover.json").write_text(json.dumps(SCORES), encoding="utf-8")
    assert script.main([str(out), "--no-run", "--baseline", str(baseline)]) == 0
    (out / "plover.json").write_text(json.dumps({**SCORES, "type_recall": 0.5}), encoding="utf-8")
    assert script.main([str(out), "--no-run", "--baseline", str(baseline)]) == 1
    assert "plover: type_recall 0.5 is below its floor 0.729" in capsys.readouterr().err
