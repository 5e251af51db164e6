"""Scoring arithmetic shared by the presslens scorers and ``presslens eval``: partial-credit spans, class F1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Span = tuple[int, int]


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """Overlapping character ranges joined (touching ones stay apart, as in the SemEval scorer)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def span_prf(predicted: Sequence[Sequence[Span]], gold: Sequence[Sequence[Span]]) -> dict[str, float]:
    """Partial-overlap precision, recall and F1 over documents (predicted[i] and gold[i] are one document's)."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for pred_doc, gold_doc in zip(predicted, gold):
        pred_doc, gold_doc = merge_spans(pred_doc), merge_spans(gold_doc)
        n_pred += len(pred_doc)
        n_gold += len(gold_doc)
        for ps, pe in pred_doc:
            for gs, ge in gold_doc:
                overlap = min(pe, ge) - max(ps, gs)
                if overlap > 0:
                    p_sum += overlap / (pe - ps)
                    r_sum += overlap / (ge - gs)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "predicted": n_pred, "gold": n_gold}


def micro_f1(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """Micro-F1 of single-label predictions, one per gold item (it equals accuracy)."""
    return round(sum(p == g for p, g in zip(predicted, gold)) / len(gold), 4) if gold else 0.0


def macro_f1(predicted: Sequence[str], gold: Sequence[str], classes: Sequence[str]) -> float:
    """Unweighted mean of the per-class F1 (Dice form: 2 tp / (predicted + gold))."""
    scores = []
    for cls in classes:
        tp = sum(p == g == cls for p, g in zip(predicted, gold))
        n_pred, n_gold = sum(p == cls for p in predicted), sum(g == cls for g in gold)
        scores.append(2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0)
    return round(sum(scores) / len(scores), 4)


def class_scores(gold: Sequence[int], predicted: Sequence[int], labels: Sequence[str]) -> dict[str, Any]:
    """Precision, recall and F1 of each class (class i is label i), their macro-F1 and the number of items."""
    per_class = {}
    for value, label in enumerate(labels):
        tp = sum(p == g == value for p, g in zip(predicted, gold))
        p = tp / max(sum(x == value for x in predicted), 1)
        r = tp / max(sum(x == value for x in gold), 1)
        per_class[label] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}
    macro = sum(c["f1"] for c in per_class.values()) / len(per_class)
    return {"macro_f1": round(macro, 4), "classes": per_class, "n": len(gold)}
