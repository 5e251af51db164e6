"""The ``eval`` commands: check the gold file, make one call to the eval module, print, gate."""

import gzip
import importlib
import importlib.util
import itertools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from presslens.cli.common import ConfigOption, err
from presslens.cli.render import line
from presslens.errors import UsageError
from presslens.settings import load_settings

if TYPE_CHECKING:
    from spacy.language import Language

# The fields a record of each task's gold files has (one set of alternatives per task).
GOLD_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "events": (("text", "events"), ("text", "event_type")),
    "quotes": (("text", "quotes"),),
    "framing": (("text", "spans"), ("text", "label"), ("sentence", "target", "polarity")),
}
_CHECKED_RECORDS = 5

GateOption = Annotated[bool, typer.Option("--gate", help="Fail (exit 1) when a score is below its floor in tests/eval/baseline.json.")]
AllowOption = Annotated[Optional[str], typer.Option("--allow-regression", metavar="REASON", help="With --gate: accept lower scores, lowering the floors, with this reason recorded.")]


def eval_extraction(
    data: Annotated[Path, typer.Option("--data", help="A Zyte (ground-truth.json) or trafilatura (gold.jsonl) folder.")],
    gate: GateOption = False,
    allow_regression: AllowOption = None,
) -> None:
    """Score main-text extraction from HTML with the benchmark's own metric.

    Example:

        presslens eval extraction --data ../shared/eval/extraction/dev/zyte
    """
    from presslens.eval.extraction import evaluate_extraction

    _require(data)
    _report("extraction", data, evaluate_extraction(data), gate, allow_regression)


def _with_pipeline(task: str, data_help: str, summary: str, example: str) -> Callable[..., None]:
    """An eval command scoring the configured pipeline on one gold file with ``presslens.eval.TASK.evaluate_TASK``."""

    def command(
        data: Annotated[Path, typer.Option("--data", help=data_help)],
        config: ConfigOption = None,
        gate: GateOption = False,
        allow_regression: AllowOption = None,
    ) -> None:
        check_gold(data, task)
        scores = getattr(importlib.import_module(f"presslens.eval.{task}"), f"evaluate_{task}")(data, _nlp(config))
        _report(task, data, scores, gate, allow_regression)

    command.__name__ = f"eval_{task}"
    command.__doc__ = f"{summary}\n\nExample:\n\n    presslens eval {task} --data ../shared/eval/{task}/dev/{example}\n"
    return command


def eval_events(
    data: Annotated[Path, typer.Option("--data", help="A gold file: plover_gsr.jsonl, petr2_gsr.jsonl, plv_train.jsonl or petrarch2_unit_tests.jsonl.")],
    folds: Annotated[int, typer.Option("--folds", min=0, help="Cross-validate the event verifier: retrain it K times on the other folds (+ --train files), grouped by sentence (needs presslens[train]).")] = 0,
    train: Annotated[Optional[list[Path]], typer.Option("--train", help="With --folds: a gold file always added to the training folds (repeatable).")] = None,
    config: ConfigOption = None,
    gate: GateOption = False,
    allow_regression: AllowOption = None,
) -> None:
    """Score event coding: type accuracy, recall and precision, dyad F1, PLV roles, confusions, unit-test pass rates.

    Example:

        presslens eval events --data ../shared/eval/events/dev/plover_gsr.jsonl --folds 5 --train ../shared/eval/events/train/plv_train.jsonl
    """
    check_gold(data, "events")
    for path in train or []:
        check_gold(path, "events")
    if not folds:
        from presslens.eval.events import evaluate_events

        _report("events", data, evaluate_events(data, _nlp(config)), gate, allow_regression)
        return
    if gate or allow_regression is not None:
        raise UsageError("PL212", detail="--gate scores the shipped pipeline, not cross-validation: drop --folds",
                         command="presslens eval events")
    from presslens.eval.events import check_cv_arguments, cross_validate_events

    check_cv_arguments(data, folds, train or [])
    if importlib.util.find_spec("sklearn") is None:
        raise UsageError("PL211", what="--folds", package="scikit-learn", extra="train")
    _report("events", data, cross_validate_events(data, _nlp(config), folds, train or []), False, None)


eval_quotes = _with_pipeline(
    "quotes", "A gold file: polnear_dev.jsonl or textacy_fixtures.jsonl.",
    "Score quotation finding and speakers, beside textacy's direct_quotations when it is installed.", "polnear_dev.jsonl",
)


def eval_framing(
    data: Annotated[Path, typer.Option("--data", help="A gold file: ptc.jsonl, basil.jsonl, newsmtsc.jsonl or babe.jsonl.")],
    folds: Annotated[int, typer.Option("--folds", min=0, help="Also score K-fold cross-validation, grouped by article (PTC, BABE; needs presslens[train], and presslens[encoder] with encoder = true).")] = 0,
    config: ConfigOption = None,
    gate: GateOption = False,
    allow_regression: AllowOption = None,
) -> None:
    """Score framing: PTC technique spans (SI F1, TC micro-F1), BASIL lexical bias, NewsMTSC, BABE.

    Example:

        presslens eval framing --data ../shared/eval/framing/dev/ptc.jsonl --folds 5
    """
    from presslens.eval.framing import evaluate_framing

    check_gold(data, "framing")
    _report("framing", data, evaluate_framing(data, folds, lambda: _nlp(config)), gate, allow_regression)


def check_gold(path: Path, task: str) -> None:
    """Fail early unless ``path`` is a JSON Lines file whose first records have ``task``'s gold fields.

    Raises:
        UsageError: PL201 when the file does not exist, PL208 when a line is not JSON,
            PL217 when a record lacks the task's fields (a gold file of another kind).
    """
    _require(path)
    alternatives = GOLD_FIELDS[task]
    try:
        with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as file:
            lines = list(itertools.islice((text for text in file if text.strip()), _CHECKED_RECORDS))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError("PL208", path=str(path), detail=str(error)) from None
    for number, text in enumerate(lines, 1):
        try:
            record = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise UsageError("PL208", path=str(path), detail=f"record {number}: {error}") from None
        if not isinstance(record, dict) or not any(all(field in record for field in fields) for fields in alternatives):
            wanted = " or ".join("+".join(fields) for fields in alternatives)
            raise UsageError("PL217", path=str(path), task=task, line=number, fields=wanted)


def _require(path: Path) -> None:
    """Fail with PL201 when the evaluation data does not exist."""
    if not path.exists():
        raise UsageError("PL201", path=str(path))


def _nlp(config: Optional[Path]) -> "Language":
    """The configured pipeline, loaded only by the commands that analyze."""
    from presslens.nlp.build import load_nlp

    return load_nlp(load_settings(config))


def _report(task: str, data: Path, scores: dict[str, Any], gate: bool, allow_regression: str | None) -> None:
    """Print the scores as JSON; with the gate, print its problems and exit 1 when there is any."""
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")
    if not gate and allow_regression is None:
        return
    from presslens.eval.gate import check

    problems = check(task, scores, allow_regression, data=data)
    for problem in problems:
        err.print(line(problem, "red", "gate"))
    if problems:
        raise typer.Exit(1)
    err.print(line(f"gate passed for {data}"))
