"""presslens.events_scorer.v1: event types, dyads and PETRARCH2 unit-test pass rates against gold Examples.

The gold of an Example is in its reference Doc: ``reference._.presslens_events`` holds
``[{label, code, dyads: [[source country, target country], ...]}]`` and
``reference.user_data["presslens_events_kind"]`` says how events are labelled: ``"plover"`` (the
PLOVER type), ``"plv"`` (the PLOVER type, CONCEDE and RETREAT both counting as the 2016 label
YIELD; ``user_data["presslens_events_marked"]`` holds the marked roles ``[{label, source, target}]``
as character spans, scored as ``roles``), ``"cameo"`` or ``"unit"`` (the 2-digit CAMEO root; ``unit``
also scores the PETRARCH2 unit tests by ``user_data["presslens_events_category"]``). The metrics are those of
``presslens.eval.events`` (its docstring defines them); every key is prefixed ``events_``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import spacy
from spacy.training import Example

from presslens.analyzers.actors.scorer import actor_country
from presslens.analyzers.component import Scorer

KIND_KEY = "presslens_events_kind"
CATEGORY_KEY = "presslens_events_category"
MARKED_KEY = "presslens_events_marked"
NONE = "NONE"
_YIELD = frozenset({"CONCEDE", "RETREAT"})


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 with their counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def predictions(example: Example, kind: str) -> list[dict[str, Any]]:
    """What is scored of the predicted events of an Example (see ``event_predictions``)."""
    return event_predictions(example.predicted._.presslens_events or [], example.predicted._.presslens_actors or {}, kind)


def event_predictions(events: list[Any], actors: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """``[{label, code, source_country, target_country, source_mentions, target_mentions, confidence}]`` of events."""
    return [{
        "label": _label(e, kind),
        "code": e["cameo"],
        "source_country": actor_country(actors.get(e["source"] or "") or {}),
        "target_country": actor_country(actors.get(e["target"] or "") or {}),
        "source_mentions": (actors.get(e["source"] or "") or {}).get("mentions") or [],
        "target_mentions": (actors.get(e["target"] or "") or {}).get("mentions") or [],
        "confidence": e["confidence"],
    } for e in events]


def _label(event: dict[str, Any], kind: str) -> str:
    """The scored label of a predicted event: PLOVER type (YIELD for CONCEDE/RETREAT in PLV data) or CAMEO root."""
    if kind == "plv" and event["type"] in _YIELD:
        return "YIELD"
    return str(event["type"]) if kind in {"plover", "plv"} else str(event["cameo"][:2])


def _fills(mentions: list[list[int]], span: list[int] | None) -> bool:
    """Whether a mention shares a character with the marked ``span`` (a role not marked in the text needs nothing)."""
    return span is None or any(start < span[1] and span[0] < end for start, end in mentions)


def score_roles(sentences: list[dict[str, Any]], predicted: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """PLV marked roles: the share of marked events some prediction gets right (type; type + source; type + target; all).

    A prediction fills a marked event when its label is the event's root (CONCEDE and RETREAT
    count as YIELD); it gets the source right when one mention of its source actor shares a
    character with the marked ``<s>`` span, the target likewise with ``<t>``; ``both_right`` needs
    one prediction doing all three. A role the record marks nowhere in the text (24 PLV events
    name an implied target such as "a recipient") is not required.
    """
    counts: Counter[str] = Counter()
    for sent, pred in zip(sentences, predicted, strict=True):
        for mark in sent.get("marked") or []:
            typed = [p for p in pred if p["label"] == mark["label"]]
            src = [_fills(p["source_mentions"], mark.get("source")) for p in typed]
            tgt = [_fills(p["target_mentions"], mark.get("target")) for p in typed]
            counts["marked"] += 1
            counts["type"] += bool(typed)
            counts["source"] += any(src)
            counts["target"] += any(tgt)
            counts["both"] += any(s and t for s, t in zip(src, tgt))
    n = counts["marked"]
    return {"marked": n, **{f"{key}_right": round(counts[key] / n, 4) if n else 0.0
                            for key in ("type", "source", "target", "both")}}


def score_events(kind: str, sentences: list[dict[str, Any]], predicted: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Score predicted events (``predictions`` per sentence) against ``[{gold, category}]`` sentences."""
    correct = recalled = gold_events = 0
    pair_tp: Counter[str] = Counter()
    pair_fp: Counter[str] = Counter()
    pair_fn: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    dyad: Counter[str] = Counter()
    units: dict[str, Counter[str]] = defaultdict(Counter)
    for sent, pred in zip(sentences, predicted, strict=True):
        gold_labels = {g["label"] for g in sent["gold"]}
        pred_labels = {p["label"] for p in pred}
        top = max(pred, key=lambda p: p["confidence"])["label"] if pred else NONE
        correct += (top in gold_labels) if gold_labels else (not pred)
        confusion[sent["gold"][0]["label"] if sent["gold"] else NONE][top] += 1
        for g in sent["gold"]:
            gold_events += 1
            recalled += g["label"] in pred_labels
        for label in gold_labels | pred_labels:
            if label in gold_labels and label in pred_labels:
                pair_tp[label] += 1
            elif label in pred_labels:
                pair_fp[label] += 1
            else:
                pair_fn[label] += 1
        gold_triples = {(s, t, g["label"]) for g in sent["gold"] for s, t in g["dyads"]}
        pred_triples = {(p["source_country"], p["target_country"], p["label"]) for p in pred}
        dyad["tp"] += len(gold_triples & pred_triples)
        dyad["fp"] += len(pred_triples - gold_triples)
        dyad["fn"] += len(gold_triples - pred_triples)
        if kind == "unit":
            cat = units[sent["category"]]
            cat["n"] += 1
            cat["pass"] += {g["code"] for g in sent["gold"]} == {p["code"] for p in pred}
            cat["root_pass"] += gold_labels == pred_labels
    labels = sorted(set(pair_tp) | set(pair_fp) | set(pair_fn))
    result: dict[str, Any] = {
        "kind": kind,
        "sentences": len(sentences),
        "gold_events": gold_events,
        "accuracy": round(correct / len(sentences), 4) if sentences else 0.0,
        "type_recall": round(recalled / gold_events, 4) if gold_events else 0.0,
        "per_type": {label: _prf(pair_tp[label], pair_fp[label], pair_fn[label]) for label in labels},
        "micro": _prf(sum(pair_tp.values()), sum(pair_fp.values()), sum(pair_fn.values())),
        "confusion": {g: dict(sorted(row.items())) for g, row in sorted(confusion.items())},
        "dyad": _prf(dyad["tp"], dyad["fp"], dyad["fn"]),
    }
    if kind == "unit":
        result.update(_unit_rates(units))
    if kind == "plv":
        result["roles"] = score_roles(sentences, predicted)
    return result


def _unit_rates(units: dict[str, Counter[str]]) -> dict[str, Any]:
    """Exact and root-level pass rates of the PETRARCH2 unit tests, overall and by category."""
    n = sum(c["n"] for c in units.values())
    return {
        "pass_rate": round(sum(c["pass"] for c in units.values()) / n, 4) if n else 0.0,
        "root_pass_rate": round(sum(c["root_pass"] for c in units.values()) / n, 4) if n else 0.0,
        "by_category": {
            cat: {"n": c["n"], "pass_rate": round(c["pass"] / c["n"], 4),
                  "root_pass_rate": round(c["root_pass"] / c["n"], 4)}
            for cat, c in sorted(units.items())
        },
    }


def score_event_examples(examples: Iterable[Example]) -> dict[str, Any]:
    """The event metrics of gold Examples, keys prefixed ``events_`` (``events_type_f``: micro type F1)."""
    examples = [eg for eg in examples if KIND_KEY in eg.reference.user_data]  # only events gold is scored
    if not examples:
        return {}
    kind = examples[0].reference.user_data[KIND_KEY]
    sentences = [{"gold": eg.reference._.presslens_events or [], "category": eg.reference.user_data.get(CATEGORY_KEY),
                  "marked": eg.reference.user_data.get(MARKED_KEY)} for eg in examples]
    result = score_events(kind, sentences, [predictions(eg, kind) for eg in examples])
    scores = {f"events_{key}": value for key, value in result.items()}
    for name, part in (("type", result["micro"]), ("dyad", result["dyad"])):
        scores.update({f"events_{name}_p": part["precision"], f"events_{name}_r": part["recall"],
                       f"events_{name}_f": part["f1"]})
    return scores


@spacy.registry.scorers("presslens.events_scorer.v1")
def make_events_scorer() -> Scorer:
    """The events scorer (``nlp.evaluate`` calls it through the component's ``score``)."""
    return score_event_examples
