"""Score framing on the data sets of ``shared/eval/README.md`` (``framing/``): PTC, BASIL, NewsMTSC and BABE.

The data set is recognised from its records:

* **PTC** (``text`` + ``spans`` labelled with techniques): SemEval-2020 Task 11 scores of the shipped
  ``presslens_techniques`` detector. ``si``: span identification with partial-overlap credit, as the
  task's scorer computes it (gold spans of an article that overlap are merged first, predicted ones
  too; precision sums, over predicted spans, the share of each that overlaps gold spans of the same
  article and divides by their number; recall does the same over gold spans). ``tc``: technique
  micro-F1 on the gold spans (one technique per gold span, so it equals accuracy). With ``folds`` the
  same figures come from article-grouped cross-validation (the shipped model was trained on PTC dev).
* **BASIL** (``triplet_uuid``, spans labelled ``lexical``/``informational``): the same partial-credit
  span F1 of presslens's word-choice framing items (``BASIL_KINDS``) against the ``lexical`` spans.
* **NewsMTSC** (``sentence``, ``target``, ``polarity``): macro-F1 over negative/neutral/positive of a
  lexicon baseline: Liu opinion words within ``WINDOW`` words of the target, negated after a negator.
* **BABE** (``label`` Biased/Non-biased): delegated to ``presslens.eval.babe.evaluate_babe``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language

from presslens.errors import UsageError
from presslens.knowledge.techniques import load_technique_model

Span = tuple[int, int]
BASIL_KINDS = frozenset({"label", "loaded_term", "scare_quote", "intensifier", "casualty_verb_asymmetry", "motive_speculation"})
WINDOW = 6
_NEGATORS = frozenset({"not", "no", "never", "n't", "without", "nor", "hardly"})
_WORD = re.compile(r"[\w'-]+")
POLARITIES = ("negative", "neutral", "positive")


def _read(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines gold file."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err


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
    """Unweighted mean of the per-class F1."""
    scores = []
    for cls in classes:
        tp = sum(p == g == cls for p, g in zip(predicted, gold))
        n_pred, n_gold = sum(p == cls for p in predicted), sum(g == cls for g in gold)
        scores.append(2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0)
    return round(sum(scores) / len(scores), 4)


def score_ptc_predictions(records: Sequence[dict], spans: Sequence[Sequence[dict]], techniques: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """SI scores of predicted spans per record, TC micro-F1 of (predicted, gold) techniques of the gold spans."""
    gold_spans = [[(s["start"], s["end"]) for s in r["spans"]] for r in records]
    predicted = [p for p, _ in techniques]
    gold_labels = [g for _, g in techniques]
    majority = [Counter(gold_labels).most_common(1)[0][0]] * len(gold_labels) if gold_labels else []
    return {
        "si": span_prf([[(s["start"], s["end"]) for s in doc] for doc in spans], gold_spans),
        "tc_micro_f1": micro_f1(predicted, gold_labels),
        "tc_gold_spans": len(gold_labels),
        "tc_majority_baseline": micro_f1(majority, gold_labels),
    }


def evaluate_ptc(records: list[dict], nlp: Language, folds: int) -> dict[str, Any]:
    """Scores of the shipped detector and, with ``folds`` > 1, of article-grouped cross-validation."""
    from presslens.eval.ptc import cross_validate, parse, predict_spans, predict_techniques

    if "presslens_techniques" not in nlp.pipe_names:
        nlp.add_pipe("presslens_techniques")
    detector = nlp.get_pipe("presslens_techniques")
    thresholds = detector.rule
    docs = parse(records, nlp)
    model = detector.model
    result: dict[str, Any] = {"dataset": "ptc", "documents": len(records), "thresholds": list(thresholds)}
    result["shipped_model"] = score_ptc_predictions(records, predict_spans(docs, model, thresholds), predict_techniques(records, docs, model))
    if folds > 1:
        lexicons: dict[str, list[str]] = {}
        for word, names in model.lexicon.items():
            for name in names:
                lexicons.setdefault(name, []).append(word)
        spans, techniques = cross_validate(records, docs, lexicons, folds, thresholds)
        result[f"cross_validation_{folds}_fold"] = score_ptc_predictions(records, spans, techniques)
    return result


def evaluate_basil(records: list[dict], nlp: Language) -> dict[str, Any]:
    """Partial-credit span F1 of presslens's word-choice framing items against BASIL's lexical-bias spans."""
    predicted, gold, kinds = [], [], Counter()
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        items = [f for f in doc._.presslens_framing or [] if f["kind"] in BASIL_KINDS and f.get("start") is not None]
        kinds.update(f["kind"] for f in items)
        predicted.append([(f["start"], f["end"]) for f in items])
        gold.append([(s["start"], s["end"]) for s in record["spans"] if s["label"] == "lexical"])
    return {"dataset": "basil", "documents": len(records), "kinds": sorted(BASIL_KINDS), "lexical": span_prf(predicted, gold), "predicted_by_kind": dict(kinds)}


def target_polarity(sentence: str, start: int, end: int, positive: frozenset[str], negative: frozenset[str]) -> str:
    """Lexicon polarity of a target: opinion words within WINDOW words of it, flipped after a negator."""
    words = [(m.start(), m.group().lower()) for m in _WORD.finditer(sentence)]
    first = next((i for i, (pos, _) in enumerate(words) if pos >= start), len(words))
    last = next((i for i, (pos, _) in enumerate(words) if pos >= end), len(words))
    score = 0
    for i in range(max(first - WINDOW, 0), min(last + WINDOW, len(words))):
        if first <= i < last:
            continue
        word = words[i][1]
        value = (word in positive) - (word in negative)
        if value and any(w in _NEGATORS or w.endswith("n't") for _, w in words[max(i - 3, 0) : i]):
            value = -value
        score += value
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def evaluate_newsmtsc(records: list[dict]) -> dict[str, Any]:
    """Macro-F1 of the lexicon baseline (Liu lists as shipped in the technique model) over three polarities."""
    lexicon = load_technique_model().lexicon
    positive = frozenset(w for w, names in lexicon.items() if "positive" in names)
    negative = frozenset(w for w, names in lexicon.items() if "negative" in names)
    gold = [r["polarity"] for r in records]
    predicted = [target_polarity(r["sentence"], r["target"]["start"], r["target"]["end"], positive, negative) for r in records]
    return {
        "dataset": "newsmtsc",
        "sentences": len(records),
        "baseline": f"Liu opinion lexicon within {WINDOW} words of the target, negation-flipped",
        "macro_f1": macro_f1(predicted, gold, POLARITIES),
        "majority_macro_f1": macro_f1([Counter(gold).most_common(1)[0][0]] * len(gold), gold, POLARITIES),
    }


def detect_dataset(records: list[dict]) -> str:
    """Which framing data set the records belong to (raises UsageError when none fits)."""
    first = records[0] if records else {}
    if {"sentence", "target", "polarity"} <= first.keys():
        return "newsmtsc"
    if first.get("label") in ("Biased", "Non-biased", "No agreement"):
        return "babe"
    if "triplet_uuid" in first and "spans" in first:
        return "basil"
    if {"text", "spans"} <= first.keys():
        return "ptc"
    return ""


def evaluate_framing(path: Path, folds: int, load_nlp: Callable[[], Language]) -> dict[str, Any]:
    """Score the data set in ``path`` (PTC, BASIL, NewsMTSC or BABE); ``load_nlp`` builds the pipeline when needed."""
    records = _read(path)
    dataset = detect_dataset(records)
    if not dataset:
        raise UsageError("PL208", path=path, detail="not a PTC, BASIL, NewsMTSC or BABE file")
    if dataset == "babe":
        from presslens.eval.babe import evaluate_babe

        nlp = load_nlp()
        return evaluate_babe(path, folds, nlp.get_pipe("presslens_bias") if "presslens_bias" in nlp.pipe_names else None)
    if dataset == "newsmtsc":
        result = evaluate_newsmtsc(records)
    elif dataset == "basil":
        result = evaluate_basil(records, load_nlp())
    else:
        result = evaluate_ptc(records, load_nlp(), folds)
    return {"data": str(path), **result}
