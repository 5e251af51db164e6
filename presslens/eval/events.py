"""Score event coding on the PLOVER and PETRARCH2 gold sets (``shared/eval/README.md``, ``events/``).

Every gold file is a JSON Lines file of sentences; the sentence is analyzed by ``nlp`` (its
``date``, when given, is passed as the publication date through ``doc.user_data["published"]``)
and the events of ``doc._.presslens_events`` are compared with the gold events of the sentence.
The "label" of an event is its PLOVER type for PLOVER data (2016 labels mapped: DEMAND->REQUEST,
DISAPPROVE->ACCUSE, INVESTIGATE->ACCUSE, FIGHT->ASSAULT) and the 2-digit CAMEO root for CAMEO data.

Metrics (sentence = the gold records sharing one text):

* ``accuracy``: per sentence, the label of the first predicted event of highest confidence is
  one of the gold labels; a sentence with no gold event is correct only when nothing is output.
  On ``petr2_gsr`` this is the "CAMEO root accuracy".
* ``type_recall``: gold events whose label is the label of at least one predicted event of the
  same sentence, over all gold events (actors are not required to match). On ``plover_gsr``
  this is the "PLOVER type recall" of the issue's bar.
* ``per_type``: precision, recall and F1 over (sentence, label) pairs, per label and micro.
* ``confusion``: gold label (first gold event) x predicted label (top event, or ``NONE``).
* ``dyad``: precision, recall and F1 over (source country, target country, label) triples per
  sentence; a country is the first three letters of a CAMEO actor code (gold) or of the actor's
  ``cameo`` code, else its ISO ``country`` (predicted); a missing actor is ``None``.
* PETRARCH2 unit tests (fictional actors such as ARN/GON that no real dictionary knows) are
  scored on event codes only: a test passes when the set of predicted CAMEO codes equals the
  gold set (``pass_rate``) or, leniently, when the sets of roots are equal (``root_pass_rate``);
  tests expecting no event (``expect_no_events`` or ``expected_error``) pass only when nothing
  is output. Both are reported overall and by ``category``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from spacy.language import Language

import presslens.nlp.extensions  # noqa: F401  (registers Doc._.presslens_events)
from presslens.errors import UsageError

LABELS_2016 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
NONE = "NONE"


def _read(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines gold file."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err


def _country(code: str | None) -> str | None:
    """Country part (first three letters) of a CAMEO actor code."""
    return code[:3] if code else None


def _actor_country(actors: dict[str, dict], actor_id: str | None) -> str | None:
    """Country of a predicted actor: the first three letters of its CAMEO code, else its ISO country."""
    actor = actors.get(actor_id or "") or {}
    return _country(actor.get("cameo")) or actor.get("country")


def _gold_sentences(records: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """The kind of file and its sentences: ``{text, date, id, category, gold: [{label, code, dyads}]}``."""
    if records and "event_type" in records[0]:
        by_text: dict[str, dict[str, Any]] = {}
        for rec in records:
            sent = by_text.setdefault(
                rec["text"], {"text": rec["text"], "date": rec.get("date"), "gold": [], "id": rec["id"]})
            label = LABELS_2016.get(rec["event_type"], rec["event_type"])
            sources = [_country(a.get("code")) for a in rec.get("source") or []] or [None]
            targets = [_country(a.get("code")) for a in rec.get("target") or []] or [None]
            sent["gold"].append({"label": label, "code": None, "dyads": [(s, t) for s in sources for t in targets]})
        return "plover", list(by_text.values())
    kind = "unit" if "UnitTest" in str(records[0].get("origin", "")) else "cameo"
    sentences = []
    for rec in records:
        none = rec.get("expect_no_events") or rec.get("expected_error")
        gold = [] if none else [
            {"label": e["code"][:2], "code": e["code"],
             "dyads": [(_country(e.get("source")), _country(e.get("target")))]}
            for e in rec.get("events") or []
        ]
        date = rec.get("date")
        iso = f"{date[:4]}-{date[4:6]}-{date[6:8]}" if date and len(date) == 8 and date.isdigit() else date
        sentences.append({"text": rec["text"], "date": iso, "gold": gold, "id": rec["id"],
                          "category": rec.get("category") or rec["id"].split("-")[0]})
    return kind, sentences


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 with their counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def score_events(kind: str, sentences: list[dict[str, Any]], predictions: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Score predicted events (``[{label, code, source_country, target_country, confidence}]`` per sentence)."""
    correct = recalled = gold_events = 0
    pair_tp: Counter[str] = Counter()
    pair_fp: Counter[str] = Counter()
    pair_fn: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    dyad = Counter()
    units: dict[str, Counter[str]] = defaultdict(Counter)
    for sent, pred in zip(sentences, predictions, strict=True):
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
        n = sum(c["n"] for c in units.values())
        result["pass_rate"] = round(sum(c["pass"] for c in units.values()) / n, 4) if n else 0.0
        result["root_pass_rate"] = round(sum(c["root_pass"] for c in units.values()) / n, 4) if n else 0.0
        result["by_category"] = {
            cat: {"n": c["n"], "pass_rate": round(c["pass"] / c["n"], 4),
                  "root_pass_rate": round(c["root_pass"] / c["n"], 4)}
            for cat, c in sorted(units.items())
        }
    return result


def _predict(kind: str, sentences: list[dict[str, Any]], nlp: Language) -> list[list[dict[str, Any]]]:
    """Run ``nlp`` on each sentence (publication date from ``date``) and keep what is scored."""
    docs = (nlp.make_doc(s["text"]) for s in sentences)
    out = []
    for sent, doc in zip(sentences, docs, strict=True):
        if sent.get("date"):
            doc.user_data["published"] = sent["date"]
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        actors = doc._.presslens_actors or {}
        preds = [{
            "label": e["type"] if kind == "plover" else e["cameo"][:2],
            "code": e["cameo"],
            "source_country": _actor_country(actors, e["source"]),
            "target_country": _actor_country(actors, e["target"]),
            "confidence": e["confidence"],
        } for e in doc._.presslens_events or []]
        out.append(preds)
    return out


def evaluate_events(path: Path, nlp: Language) -> dict[str, Any]:
    """Score ``nlp`` (a pipeline ending in ``presslens_events``) on one gold file; JSON-serialisable.

    Raises:
        UsageError: the file cannot be read or is not one of the documented formats (PL208).
    """
    path = Path(path)
    records = _read(path)
    if not records or "text" not in records[0]:
        raise UsageError("PL208", path=path, detail="expected JSON Lines records with a 'text' field")
    kind, sentences = _gold_sentences(records)
    result = score_events(kind, sentences, _predict(kind, sentences, nlp))
    return {"data": str(path), **result}
