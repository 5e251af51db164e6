"""The eval gate: dev-set scores against the floors of ``tests/eval/baseline.json``.

The baseline names, per task, the ``presslens eval`` command, its dev data (a path under the eval
root, ``../shared/eval`` beside the repository), the sha256 of that data and the floors, keyed by
dotted paths into the JSON the command prints (``"plover.type_recall"``), so a renamed metric is a
problem ("metric missing"), never a silent pass. A score holds its floor when, rounded to the
floor's decimals, it is not below it. A floor is lowered (and a changed dev file accepted) only
through ``allow_regression`` with a reason, which is recorded in the baseline's ``lowered`` log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from presslens.errors import UsageError

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "tests" / "eval" / "baseline.json"


def load(baseline: Path = BASELINE) -> dict[str, Any]:
    """The baseline document (``tasks`` and the ``lowered`` log).

    Raises:
        UsageError: PL201 when the baseline file does not exist (an installed package has none).
    """
    if not baseline.is_file():
        raise UsageError("PL201", path=baseline)
    return json.loads(baseline.read_text(encoding="utf-8"))


def eval_root(baseline: Path = BASELINE) -> Path:
    """The folder the tasks' data paths are relative to (``eval_root`` of the baseline, from the repository)."""
    return (baseline.parent.parent.parent / load(baseline)["eval_root"]).resolve()


def data_sha256(path: Path) -> str:
    """sha256 of a file, or of a folder's files (relative paths and contents, in sorted order)."""
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(f"{file.relative_to(path).as_posix()}\0{hashlib.sha256(file.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def task_for(command: str, data: Path, baseline: Path = BASELINE, scores: Mapping[str, Any] | None = None) -> str | None:
    """The task of ``presslens eval COMMAND --data DATA``: the one whose data path ends ``data``'s path.

    Tasks that share a data file tell their runs apart by ``match`` (dotted keys and the values the
    scores hold for them, e.g. ``{"folds": 5}``); without ``scores``, the first task of the file.
    """
    path = data.resolve().as_posix()
    for name, task in load(baseline)["tasks"].items():
        if task["command"] != command or not path.endswith("/" + task["data"].strip("/")):
            continue
        if scores is None or all(metric(scores, key) == value for key, value in task.get("match", {}).items()):
            return name
    return None


def metric(scores: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted path into the scores (None when a step is missing)."""
    value: Any = scores
    for key in dotted.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def _decimals(floor: float) -> int:
    """How many decimals a floor is written with (0.729 -> 3)."""
    text = repr(float(floor))
    return len(text.partition(".")[2]) if "e" not in text else 6


def rounded(value: float, decimals: int) -> float:
    """A score rounded half up from its printed digits (0.9005 -> 0.901, where round() gives 0.9)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def _holds(value: float, floor: float) -> bool:
    """Whether a score, rounded to the floor's decimals, is at or above the floor."""
    return rounded(value, _decimals(floor)) >= floor


def _resolve(task: str, baseline: Path, data: Path | None, scores: Mapping[str, Any]) -> str | None:
    """The baseline task named ``task``, or the one a command name, its data and its scores point to."""
    tasks = load(baseline)["tasks"]
    if task in tasks:
        return task
    return task_for(task, data, baseline, scores) if data is not None else None


def check(
    task: str, scores: Mapping[str, Any], allow_regression: str | None = None, baseline: Path = BASELINE, data: Path | None = None
) -> list[str]:
    """The gate's problems for one task's scores (empty when it passes).

    ``task`` is a baseline task name ("plover") or an eval command name ("events") with ``data``, the
    ``--data`` path it ran on. Problems: no floors for the task, its dev data absent or not the file
    the floors were measured on (sha256), a metric missing or not a number, a score below its floor.
    With ``allow_regression`` (a reason), regressions and a changed sha256 are accepted: the floors
    are lowered to the scores and the sha256 replaced in the baseline, with the reason recorded.

    Raises:
        UsageError: PL201 without a baseline file, PL205 when ``allow_regression`` is given but empty.
    """
    name = _resolve(task, baseline, data, scores)
    if name is None:
        where = f" on {data}" if data is not None else ""
        return [f"{task}{where}: no floors in {baseline}"]
    entry = load(baseline)["tasks"][name]
    path = data if data is not None else eval_root(baseline) / entry["data"]
    if not path.exists():
        return [f"{name}: dev data {path} is absent"]
    sha = data_sha256(path)
    changed = [] if sha == entry["sha256"] else [
        f"{name}: {entry['data']} has sha256 {sha[:12]}…, the floors were measured on {entry['sha256'][:12]}… "
        "(check the scores, then accept the new file with --allow-regression REASON)"
    ]
    missing, below, lowered = [], [], {}
    for key, floor in entry["floors"].items():
        value = metric(scores, key)
        if value is None:
            missing.append(f"{name}: metric {key!r} missing from the scores (renamed? fix {baseline.name})")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            missing.append(f"{name}: metric {key!r} is {value!r}, not a number")
        elif not _holds(value, floor):
            lowered[key] = rounded(value, _decimals(floor))
            below.append(f"{name}: {key} {lowered[key]} is below its floor {floor}")
    if allow_regression is None or missing or not (changed or below):
        return changed + missing + below
    update(name, lowered, allow_regression, baseline, sha)
    return []


def update(task: str, floors: Mapping[str, float], reason: str, baseline: Path = BASELINE, sha256: str | None = None) -> None:
    """Rewrite the baseline with new floors (and sha256) for one task, the reason recorded in ``lowered``.

    Raises:
        UsageError: PL205 when the reason is empty.
    """
    if not reason.strip():
        raise UsageError("PL205", detail="lowering an eval floor needs a reason (--allow-regression REASON)")
    document = load(baseline)
    entry = document["tasks"][task]
    today = date.today().isoformat()
    for key, value in floors.items():
        document["lowered"].append({"date": today, "task": task, "metric": key, "from": entry["floors"][key], "to": value, "reason": reason})
        entry["floors"][key] = value
    if sha256 is not None and sha256 != entry["sha256"]:
        document["lowered"].append({"date": today, "task": task, "sha256": {"from": entry["sha256"], "to": sha256}, "reason": reason})
        entry["sha256"] = sha256
    entry["measured"] = today
    baseline.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
