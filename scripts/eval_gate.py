"""Run ``presslens eval`` on the dev sets of ``tests/eval/baseline.json`` and check the eval gate.

Each task's JSON goes to ``OUT/<task>.json`` (what ``scripts/eval_table.py`` turns into the README's
Evaluation table). By default only the tasks marked ``"ci": true`` (the cheap ones ``make test``
runs) are evaluated; ``--all`` runs every task. Exit 1 when the gate finds a problem. A floor is
lowered only with ``--allow-regression REASON``, recorded in the baseline. Examples::

    .venv/bin/python scripts/eval_gate.py                       # what make test runs
    .venv/bin/python scripts/eval_gate.py --all --jobs 1         # every task, for the README table
    .venv/bin/python scripts/eval_gate.py --no-run out/eval      # check saved outputs only
    .venv/bin/python scripts/eval_gate.py out/eval --tasks ptc --allow-regression "REASON"
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from presslens.eval import gate

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "out" / "eval", help="folder of the <task>.json outputs")
    parser.add_argument("--all", action="store_true", help="every task, not only the ones marked ci")
    parser.add_argument("--tasks", nargs="+", help="only these tasks")
    parser.add_argument("--no-run", action="store_true", help="check the saved outputs without evaluating again")
    parser.add_argument("--jobs", type=int, default=2, help="evaluations run at the same time (each loads the model)")
    parser.add_argument("--allow-regression", metavar="REASON", help="lower the floors that regressed, recording REASON")
    parser.add_argument("--baseline", type=Path, default=gate.BASELINE)
    return parser.parse_args(argv)


def selected(args: argparse.Namespace) -> list[str]:
    """The tasks to evaluate and check."""
    tasks = gate.load(args.baseline)["tasks"]
    if args.tasks:
        return list(args.tasks)
    return [name for name, task in tasks.items() if args.all or task.get("ci")]


def evaluate(name: str, task: dict[str, Any], root: Path, out: Path) -> str | None:
    """Run one task's ``presslens eval`` into ``out/<name>.json``; the failure's last line, if any."""
    command = [sys.executable, "-m", "presslens", "eval", task["command"], "--data", str(root / task["data"]), *task.get("args", [])]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    sys.stderr.write(f"{name}: presslens eval {task['command']} ({time.perf_counter() - started:.0f} s)\n")
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["no output"]
        return f"{name}: `{' '.join(command[2:])}` failed (exit {done.returncode}): {lines[-1]}"
    (out / f"{name}.json").write_text(done.stdout, encoding="utf-8")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate, then check every selected task; print the problems and return the exit status."""
    args = parse_args(argv)
    names, tasks, root = selected(args), gate.load(args.baseline)["tasks"], gate.eval_root(args.baseline)
    args.out.mkdir(parents=True, exist_ok=True)
    problems = [f"{name}: no such task in {args.baseline}" for name in names if name not in tasks]
    names = [name for name in names if name in tasks]
    if not args.no_run:
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            failed = list(pool.map(lambda name: evaluate(name, tasks[name], root, args.out), names))
        problems += [failure for failure in failed if failure]
    for name in names:
        saved = args.out / f"{name}.json"
        if saved.is_file():
            scores = json.loads(saved.read_text(encoding="utf-8"))
            problems += gate.check(name, scores, args.allow_regression, args.baseline)
        elif args.no_run:
            problems.append(f"{name}: no saved output {saved}")
    for problem in problems:
        sys.stderr.write(problem + "\n")
    sys.stderr.write(f"eval gate: {len(names)} task(s), {len(problems)} problem(s)\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
