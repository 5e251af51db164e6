from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from presslens.cli import app
from presslens.cli.evaluate import GOLD_FIELDS, check_gold
from presslens.errors import UsageError

from .cli_support import fails, runner
from .conftest import SHARED, missing_shared

DEV = SHARED / "eval"
BODY = "The council of Brask met on Monday and approved the budget for the coming year, the mayor said on Tuesday."


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_evaluate_missing_data_is_a_missing_file_error(tmp_path: Path) -> None:
    for task in ("events", "quotes", "framing", "extraction"):
        missing = tmp_path / "missing.jsonl"
        assert fails(["eval", task, "--data", str(missing)], "PL201") == f"error [PL201] no such file or directory: {missing}\n"


def test_cli_evaluate_a_gold_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    quotes = _jsonl(tmp_path / "quotes.jsonl", {"id": "q1", "text": "Burton said, \"I love cats!\"", "quotes": []})
    line = fails(["eval", "events", "--data", str(quotes)], "PL217")
    assert line == f"error [PL217] {quotes} is not events gold data: record 1 has no text+events or text+event_type\n"
    events = _jsonl(tmp_path / "events.jsonl", {"id": "e1", "text": "Arnor restored ties with Gondor.", "events": []})
    assert "is not quotes gold data: record 1 has no text+quotes" in fails(["eval", "quotes", "--data", str(events)], "PL217")
    assert "is not framing gold data" in fails(["eval", "framing", "--data", str(events)], "PL217")


def test_cli_evaluate_checks_the_first_records(tmp_path: Path) -> None:
    good = {"id": "e1", "text": "Arnor restored ties with Gondor.", "events": []}
    with pytest.raises(UsageError) as error:
        check_gold(_jsonl(tmp_path / "mixed.jsonl", good, good, {"id": "x", "text": "no gold"}), "events")
    assert error.value.code == "PL217" and "record 3 has no" in str(error.value)
    (tmp_path / "broken.jsonl").write_text(json.dumps(good) + "\nnot json\n", encoding="utf-8")
    with pytest.raises(UsageError) as error:
        check_gold(tmp_path / "broken.jsonl", "events")
    assert error.value.code == "PL208" and "record 2" in str(error.value)
    check_gold(_jsonl(tmp_path / "plover.jsonl", {"id": "p1", "text": "They agreed.", "event_type": "AGREE"}), "events")


@pytest.mark.parametrize(
    ("task", "name"),
    [(task, name) for task, names in {
        "events": ("plover_gsr.jsonl", "petr2_gsr.jsonl", "petrarch2_unit_tests.jsonl"),
        "quotes": ("polnear_dev.jsonl", "textacy_fixtures.jsonl"),
        "framing": ("ptc.jsonl", "basil.jsonl", "newsmtsc.jsonl", "babe.jsonl"),
    }.items() for name in names],
)
def test_cli_evaluate_every_dev_file_passes_the_check(task: str, name: str) -> None:
    path = DEV / task / "dev" / name
    if not path.is_file():
        missing_shared(path)
    assert task in GOLD_FIELDS
    check_gold(path, task)


def _tiny_zyte(folder: Path) -> Path:
    """A one-page data set in the Zyte benchmark's layout."""
    page = "abc123"
    (folder / "html").mkdir(parents=True)
    html = f"<html><head><title>Budget</title></head><body><nav>Home | News</nav><article><h1>Budget</h1><p>{BODY}</p></article></body></html>"
    with gzip.open(folder / "html" / f"{page}.html.gz", "wt", encoding="utf-8") as file:
        file.write(html)
    (folder / "ground-truth.json").write_text(json.dumps({page: {"articleBody": BODY, "url": "https://example.org/b"}}), encoding="utf-8")
    return folder


def test_cli_evaluate_gate_fails_when_the_data_has_no_floors(tmp_path: Path) -> None:
    data = _tiny_zyte(tmp_path / "zyte")
    plain = runner.invoke(app, ["eval", "extraction", "--data", str(data)])
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["documents"] == 1
    gated = runner.invoke(app, ["eval", "extraction", "--data", str(data), "--gate"])
    assert gated.exit_code == 1
    assert json.loads(gated.stdout) == json.loads(plain.stdout)
    assert gated.stderr.startswith(f"gate extraction on {data}: no floors in ")


def test_cli_evaluate_gate_passes_on_the_zyte_dev_set() -> None:
    data = DEV / "extraction" / "dev" / "zyte"
    if not data.is_dir():
        missing_shared(data)
    result = runner.invoke(app, ["eval", "extraction", "--data", str(data), "--gate"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"gate passed for {data}\n"


def _plover_records(tmp_path: Path) -> Path:
    texts = [("ASSAULT", "Israeli troops attacked Palestinian protesters in Gaza."),
             ("ASSAULT", "Russian jets bombed a hospital in Aleppo."),
             ("ACCUSE", "Iran condemned the Saudi air strikes in Yemen."),
             ("CONSULT", "German Chancellor Angela Merkel visited China on Monday.")]
    return _jsonl(tmp_path / "plover.jsonl", *({"id": f"p{n}", "text": text, "event_type": label, "source": [], "target": []}
                                               for n, (label, text) in enumerate(texts)))


def test_cli_evaluate_events_folds_report_before_after_and_curve(cli_nlp: object, tmp_path: Path) -> None:
    data = _plover_records(tmp_path)
    extra = _jsonl(tmp_path / "extra.jsonl", {"id": "x", "text": "Egypt condemned the attack.", "event_type": "ACCUSE"})
    result = runner.invoke(app, ["eval", "events", "--data", str(data), "--folds", "2", "--train", str(extra)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["kind"], report["folds"], report["train"]) == ("plover", 2, [str(extra)])
    assert {"before", "after", "curve", "threshold", "retype_margin"} <= set(report)
    assert report["before"]["pooled"]["type_recall"] == report["curve"][0]["type_recall"]


def test_cli_evaluate_events_folds_refuse_the_gate_and_missing_training_files(tmp_path: Path) -> None:
    data = _plover_records(tmp_path)
    line = fails(["eval", "events", "--data", str(data), "--folds", "2", "--gate"], "PL212")
    assert "--gate scores the shipped pipeline, not cross-validation: drop --folds" in line
    line = fails(["eval", "events", "--data", str(data), "--folds", "2", "--train", str(data)], "PL212")
    assert f"--train {data} is the evaluated file" in line
    missing = tmp_path / "missing.jsonl"
    assert fails(["eval", "events", "--data", str(data), "--folds", "2", "--train", str(missing)], "PL201") == (
        f"error [PL201] no such file or directory: {missing}\n")
