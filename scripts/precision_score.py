"""Score the blind precision study: strict and lenient precision with Wilson 95% intervals, overall, by data source and by event type.

Reads the sample manifest (``eval/precision/sample-DATE.jsonl``) and one or more judgement files, each
line ``id<TAB>verdict<TAB>reason`` (the ``judgements-K.tsv`` the sampler writes, header optional) or a
JSON object with ``id``, ``verdict`` and ``reason``; the verdict is ``strict``, ``lenient`` or ``wrong``
(eval/precision/PROTOCOL.md). Strict precision counts ``strict`` verdicts, lenient precision ``strict``
and ``lenient`` ones, over the judged events. An event judged in two files is scored by its lower
verdict, and the agreement on such events is printed. Example::

    .venv/bin/python scripts/precision_score.py eval/precision/sample-2026-12-02.jsonl out/precision/judgements-*.tsv
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

VERDICTS = ("wrong", "lenient", "strict")  # worst first: min() of their ranks is the lower verdict


class JudgementError(ValueError):
    """A judgement line that cannot be read (bad verdict, unknown sample id)."""


def wilson(hits: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval of a proportion (95% by default); (0, 1) when nothing was judged."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def read_judgements(path: Path, known: set[str]) -> dict[str, tuple[str, str]]:
    """id -> (verdict, reason) of one judgement file; lines without a verdict yet are skipped.

    Raises:
        JudgementError: naming the file and line of a verdict that is not strict/lenient/wrong or an id not in the sample.
    """
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            row = json.loads(line)
            sample_id, verdict, reason = str(row["id"]), str(row.get("verdict") or ""), str(row.get("reason") or "")
        else:
            sample_id, verdict, reason = ([*line.split("\t"), "", ""])[:3]
        sample_id, verdict = sample_id.strip(), verdict.strip().lower()
        if (sample_id, verdict) == ("id", "verdict") or not verdict:
            continue
        if verdict not in VERDICTS:
            raise JudgementError(f"{path}:{number}: verdict {verdict!r} is not one of strict, lenient, wrong")
        if sample_id not in known:
            raise JudgementError(f"{path}:{number}: {sample_id!r} is not in the sample manifest")
        found[sample_id] = (verdict, reason.strip())
    return found


def combine(files: list[dict[str, tuple[str, str]]]) -> tuple[dict[str, str], int, int]:
    """The verdict per id (the lower one when judged twice), and (ids judged twice, of them agreed)."""
    seen: dict[str, list[str]] = defaultdict(list)
    for judged in files:
        for sample_id, (verdict, _) in judged.items():
            seen[sample_id].append(verdict)
    twice = [v for v in seen.values() if len(v) > 1]
    verdicts = {i: VERDICTS[min(VERDICTS.index(v) for v in vs)] for i, vs in seen.items()}
    return verdicts, len(twice), sum(len(set(v)) == 1 for v in twice)


def table(verdicts: dict[str, str], manifest: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per group (all, each data source, each event type): n, strict and lenient precision with intervals."""
    groups: dict[str, list[str]] = defaultdict(list)
    for sample_id, verdict in verdicts.items():
        row = manifest[sample_id]
        for group in ("all", f"source {row['source']}", f"type {row['event']['type']}"):
            groups[group].append(verdict)
    rows = []
    for group in sorted(groups, key=lambda g: (g != "all", g)):
        found = groups[group]
        strict, lenient = found.count("strict"), found.count("strict") + found.count("lenient")
        rows.append({"group": group, "n": len(found), "strict": strict / len(found), "strict_ci": wilson(strict, len(found)),
                     "lenient": lenient / len(found), "lenient_ci": wilson(lenient, len(found))})
    return rows


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", type=Path, help="eval/precision/sample-DATE.jsonl")
    parser.add_argument("judgements", type=Path, nargs="+", help="judgement files (TSV or JSON Lines)")
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the precision table; exit 2 on an unreadable judgement."""
    args = parse_args(argv)
    manifest = {row["id"]: row for row in map(json.loads, args.manifest.read_text(encoding="utf-8").splitlines()) if row}
    try:
        verdicts, twice, agreed = combine([read_judgements(path, set(manifest)) for path in args.judgements])
    except JudgementError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    rows = table(verdicts, manifest)
    if args.json:
        print(json.dumps({"judged": len(verdicts), "sample": len(manifest), "judged_twice": twice, "agreed": agreed, "rows": rows}, indent=2))
        return 0
    print(f"{len(verdicts)} of {len(manifest)} sampled events judged; {twice} judged twice, {agreed} of them alike")
    print(f"{'group':<28} {'n':>4}  {'strict':>6} {'95% CI':>13}  {'lenient':>7} {'95% CI':>13}")
    for r in rows:
        print(f"{r['group']:<28} {r['n']:>4}  {r['strict']:>6.3f} [{r['strict_ci'][0]:.3f}-{r['strict_ci'][1]:.3f}]"
              f"  {r['lenient']:>7.3f} [{r['lenient_ci'][0]:.3f}-{r['lenient_ci'][1]:.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
