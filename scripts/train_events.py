"""Train the event verifier and write presslens/data/events/verifier.npz (model card: presslens/data/events/README.md).

Usage: .venv/bin/python scripts/train_events.py [--folds 5] [--target-precision 0.8] [--config FILE]
Needs ``pip install -e '.[train]'`` (scikit-learn). Runs the configured pipeline with the verifier off on
../shared/eval/events/train/plv_train.jsonl, dev/plover_gsr.jsonl and dev/petr2_gsr.jsonl, fits the
verifier on all of them, and records in the file's card (and prints) the sentence-grouped K-fold
cross-validation figures of the pooled held-out predictions at several thresholds and re-typing
margins, with the threshold it recommends for ``min_confidence``: the lowest multiple of 0.05 whose
pooled micro type precision over the PLOVER and PETRARCH2 records, without re-typing, reaches the
target (PLV marks one event a sentence, so its precision is not measured). About 2 minutes on one core.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from presslens.analyzers.events.component import event_coder
from presslens.analyzers.events.scorer import event_predictions, score_events
from presslens.analyzers.events.verifier import MODEL_PATH, Scores, Verifier, decide, save_verifier, verify
from presslens.eval.events import CURVE, MARGINS, gold_sentences, read_records
from presslens.settings import load_settings
from presslens.train.events import C, Sentence, candidate_pipeline, collect, fit, folds_of

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT.parent / "shared" / "eval" / "events"
FILES = ("train/plv_train.jsonl", "dev/plover_gsr.jsonl", "dev/petr2_gsr.jsonl")


def _figures(held_out: list[tuple[Sentence, list[Scores]]], codes: dict[str, tuple[str, str | None]],
             threshold: float, margin: float) -> dict[str, dict[str, Any]]:
    """``score_events`` of the pooled held-out predictions per kind of data at one threshold and re-typing margin."""
    by_kind: dict[str, tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]] = {}
    for sent, scores in held_out:
        events = verify(sent.events, [decide(s, margin) for s in scores], threshold, codes)
        gold, predicted = by_kind.setdefault(sent.kind, ([], []))
        gold.append(sent.gold)
        predicted.append(event_predictions(events, sent.actors, sent.kind))
    return {kind: score_events(kind, gold, predicted) for kind, (gold, predicted) in sorted(by_kind.items())}


def _brief(result: dict[str, Any]) -> dict[str, float]:
    """Type precision and recall, accuracy and dyad F1 (PLV: marked roles) of one result."""
    out = {"P": result["micro"]["precision"], "R": result["micro"]["recall"], "acc": result["accuracy"]}
    return {**out, "roles": result["roles"]["both_right"]} if "roles" in result else {**out, "dyad_f1": result["dyad"]["f1"]}


def _exhaustive_precision(figures: dict[str, dict[str, Any]]) -> float:
    """Micro type precision over the PLOVER and PETRARCH2 records (PLV marks one event a sentence, so not there)."""
    tp = sum(r["micro"]["tp"] for kind, r in figures.items() if kind != "plv")
    fp = sum(r["micro"]["fp"] for kind, r in figures.items() if kind != "plv")
    return tp / (tp + fp) if tp + fp else 0.0


def main() -> None:
    """Collect candidates, cross-validate, fit on everything and write the weights with their card."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--target-precision", type=float, default=0.8)
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    nlp = candidate_pipeline(load_settings(args.config))
    k = event_coder(nlp).k
    sentences: list[Sentence] = []
    for name in FILES:
        sentences += collect(nlp, *gold_sentences(read_records(EVENTS / name)))
    fold = folds_of(len(sentences), args.folds)
    held_out: list[tuple[Sentence, list[Scores]]] = []
    for f in range(args.folds):
        verifier = Verifier(fit([s for s, g in zip(sentences, fold) if g != f], k))
        held_out += [(s, [verifier.scores(h, e["type"], True) for e, h in zip(s.events, s.hashes)])
                     for s, g in zip(sentences, fold) if g == f]
    data = fit(sentences, k)
    codes = {t: (c, k.codes[c].mode) for t, c in data["type_codes"].items()}
    grid = [round(t, 2) for t in np.arange(0.0, 0.96, 0.05)]
    figures = {(t, m): _figures(held_out, codes, t, m) for m in MARGINS for t in grid}
    precise = [t for t in grid if _exhaustive_precision(figures[t, 1.0]) >= args.target_precision]
    curve = {f"threshold {t:.2f}, retype margin {m:.1f}": {kind: _brief(r) for kind, r in figures[t, m].items()}
             for m in MARGINS for t in CURVE}
    data["card"] = {"files": list(FILES), "sentences": len(sentences), "candidates": sum(len(s.events) for s in sentences),
                    "C": C, "folds": args.folds, "target_precision": args.target_precision,
                    "recommended_min_confidence": precise[0] if precise else None, "cv_pooled": curve}
    save_verifier(data, args.out)
    print(json.dumps(data["card"], indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes); recommended threshold "
          f"{data['card']['recommended_min_confidence']} (min_confidence = null in [components.presslens_events] uses it)")


if __name__ == "__main__":
    main()
