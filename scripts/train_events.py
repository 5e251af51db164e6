"""Train the event verifier and the role model: presslens/data/events/verifier.npz and roles.npz (cards: data/events/README.md).

Usage: .venv/bin/python scripts/train_events.py [--folds 5] [--target-precision 0.5] [--config FILE]
Needs ``pip install -e '.[train]'`` (scikit-learn). Runs the configured pipeline with the verifier and the
role model off on ../shared/eval/events/train/plv_train.jsonl, dev/plover_gsr.jsonl and
dev/petr2_gsr.jsonl and on the articles readers labelled (``eval/precision/labels-*``, see
``scripts/label_sample.py``), fits the role model on the PLV marks and then the verifier on the
candidates with those roles, and records in the files' cards (and prints) the K-fold cross-validation
figures (grouped by sentence or article; both models refitted per fold) of the pooled held-out
predictions at several thresholds and re-typing margins, with the threshold it recommends for
``min_confidence``: the lowest multiple of 0.05 at which the held-out labelled-article candidates kept
are real events of the right type at least ``--target-precision`` of the time (0.5: a kept event is
more likely right than wrong). About 3 minutes on one core.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from label_sample import labelled_articles

from presslens.analyzers.events.component import event_coder
from presslens.analyzers.events.scorer import event_predictions, score_events
from presslens.analyzers.events.roles import MODEL_PATH as ROLES_PATH
from presslens.analyzers.events.roles import RoleModel, Roles
from presslens.analyzers.events.verifier import MODEL_PATH, Scores, Verifier, decide, verify
from presslens.analyzers.events.weights import save_hashed
from presslens.eval.events import CURVE, MARGINS, gold_sentences, read_records
from presslens.settings import load_settings
from presslens.train.events import ARTICLE, C, Sentence, candidate_pipeline, candidates_of, fit, folds_of, parse
from presslens.train.roles import C as ROLE_C
from presslens.train.roles import fit_roles

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT.parent / "shared" / "eval" / "events"
FILES = ("train/plv_train.jsonl", "dev/plover_gsr.jsonl", "dev/petr2_gsr.jsonl")
LABELS = ROOT / "eval" / "precision"  # labels-DATE.jsonl manifests with their readers' sheets (scripts/label_sample.py)


def _figures(held_out: list[tuple[Sentence, list[Scores]]], codes: dict[str, tuple[str, str | None]],
             threshold: float, margin: float) -> dict[str, dict[str, Any]]:
    """``score_events`` of the pooled held-out predictions per kind of data at one threshold and re-typing margin."""
    by_kind: dict[str, tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]] = {}
    articles = [(sent, scores) for sent, scores in held_out if sent.kind == ARTICLE]
    out = {ARTICLE: _article_figures(articles, threshold)} if articles and margin == 1.0 else {}
    for sent, scores in held_out:
        if sent.kind == ARTICLE:
            continue
        events = verify(sent.events, [decide(s, margin) for s in scores], threshold, codes)
        gold, predicted = by_kind.setdefault(sent.kind, ([], []))
        gold.append(sent.gold)
        predicted.append(event_predictions(events, sent.actors, sent.kind))
    return out | {kind: score_events(kind, gold, predicted) for kind, (gold, predicted) in sorted(by_kind.items())}


def _article_figures(held_out: list[tuple[Sentence, list[Scores]]], threshold: float) -> dict[str, Any]:
    """Over the readers' judged candidates of held-out articles: the share of those kept at ``threshold`` that are
    real events of the right type (precision), or real events at all, and the share of right ones kept (recall)."""
    judged = [(judgement, score[1] >= threshold) for sent, scores in held_out
              for judgement, score in zip(sent.judged, scores, strict=True) if judgement is not None]
    kept = [j for j, keep in judged if keep]
    right = sum(real and typed for real, typed in kept)
    return {"judged": len(judged), "kept": len(kept), "precision": round(right / len(kept), 4) if kept else 0.0,
            "real": round(sum(real for real, _ in kept) / len(kept), 4) if kept else 0.0,
            "recall": round(right / max(sum(r and t for (r, t), _ in judged), 1), 4)}


def _brief(result: dict[str, Any]) -> dict[str, float]:
    """Type precision and recall, accuracy and dyad F1 (PLV: marked roles) of one result (articles: as they are)."""
    if "judged" in result:
        return result
    out = {"P": result["micro"]["precision"], "R": result["micro"]["recall"], "acc": result["accuracy"]}
    return {**out, "roles": result["roles"]["both_right"]} if "roles" in result else {**out, "dyad_f1": result["dyad"]["f1"]}


def _exhaustive_precision(figures: dict[str, dict[str, Any]]) -> float:
    """Micro type precision over the PLOVER and PETRARCH2 records (PLV marks one event a sentence, so not there)."""
    tp = sum(r["micro"]["tp"] for kind, r in figures.items() if kind not in {"plv", ARTICLE})
    fp = sum(r["micro"]["fp"] for kind, r in figures.items() if kind not in {"plv", ARTICLE})
    return tp / (tp + fp) if tp + fp else 0.0


def main() -> None:
    """Collect candidates, cross-validate, fit on everything and write the weights with their card."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--target-precision", type=float, default=0.5,
                        help="out-of-fold precision on the labelled articles the recommended threshold reaches")
    parser.add_argument("--config", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--roles-out", type=Path, default=ROLES_PATH)
    args = parser.parse_args()
    nlp = candidate_pipeline(load_settings(args.config))
    coder = event_coder(nlp)
    k = coder.k
    parsed = [p for name in FILES for p in parse(nlp, *gold_sentences(read_records(EVENTS / name)))]
    articles = labelled_articles(LABELS, args.config)
    parsed += parse(nlp, ARTICLE, articles)
    rules = candidates_of(coder, parsed)
    fold = folds_of(len(parsed), args.folds)
    held_out: list[tuple[Sentence, list[Scores]]] = []
    for f in range(args.folds):
        roles = Roles(RoleModel(fit_roles([s for s, g in zip(rules, fold) if g != f])))
        sentences = candidates_of(coder, parsed, roles)
        verifier = Verifier(fit([s for s, g in zip(sentences, fold) if g != f], k))
        held_out += [(s, [verifier.scores(h, e["type"], True) for e, h in zip(s.events, s.hashes)])
                     for s, g in zip(sentences, fold) if g == f]
    role_data = fit_roles(rules, card={"files": list(FILES), "sentences": len(parsed), "C": ROLE_C, "folds": args.folds})
    sentences = candidates_of(coder, parsed, Roles(RoleModel(role_data)))
    data = fit(sentences, k)
    codes = {t: (c, k.codes[c].mode) for t, c in data["type_codes"].items()}
    grid = [round(t, 2) for t in np.arange(0.0, 0.96, 0.05)]
    figures = {(t, m): _figures(held_out, codes, t, m) for m in MARGINS for t in grid}
    precise = [t for t in grid if figures[t, 1.0][ARTICLE]["precision"] >= args.target_precision]
    gold_precise = [t for t in grid if _exhaustive_precision(figures[t, 1.0]) >= 0.8]
    curve = {f"threshold {t:.2f}, retype margin {m:.1f}": {kind: _brief(r) for kind, r in figures[t, m].items()}
             for m in MARGINS for t in CURVE}
    judged = [j for s in sentences for j in s.judged if j is not None]
    data["card"] = {"files": list(FILES), "labelled_articles": {"articles": len(articles), "labels": sum(
                        len(a["labels"]) for a in articles), "matched": len(judged), "real": sum(r for r, _ in judged),
                        "real_and_typed": sum(r and t for r, t in judged)},
                    "sentences": len(sentences), "candidates": sum(len(s.events) for s in sentences),
                    "C": C, "folds": args.folds, "target_precision": args.target_precision,
                    "recommended_min_confidence": precise[0] if precise else None,
                    "gold_precision_0.8_at": gold_precise[0] if gold_precise else None, "cv_pooled": curve}
    role_data["card"]["cv_pooled_plv"] = {key: value["plv"] for key, value in curve.items() if "plv" in value}
    save_hashed(data, args.out)
    save_hashed(role_data, args.roles_out)
    print(json.dumps(data["card"], indent=1))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes); recommended threshold "
          f"{data['card']['recommended_min_confidence']} (min_confidence = null in [components.presslens_events] uses it)")


if __name__ == "__main__":
    main()
