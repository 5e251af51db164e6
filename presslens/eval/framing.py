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
from typing import Any, cast

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.vocab import Vocab

from presslens.analyzers.framing import BASIL_KINDS
from presslens.analyzers.metrics import macro_f1, merge_spans, micro_f1, span_prf
from presslens.analyzers.techniques import SPANS_KEY, TechniqueDetector
from presslens.errors import UsageError
from presslens.knowledge.techniques import load_technique_model
from presslens.nlp.outputs import FramingOut

__all__ = ["evaluate_framing", "detect_dataset", "macro_f1", "merge_spans", "micro_f1", "span_prf", "target_polarity"]
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


def gold_doc(vocab: Vocab, text: str, cuts: Sequence[int]) -> Doc:
    """A reference Doc of ``text`` whose tokens break at every whitespace edge and at ``cuts``, so gold character spans align exactly."""
    edges = {0, len(text), *cuts}
    for match in re.finditer(r"\s+", text):
        edges.update(match.span())
    bounds = sorted(e for e in edges if 0 <= e <= len(text))
    words = [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    return Doc(vocab, words=words, spaces=[False] * len(words))


def ptc_examples(records: Sequence[dict], docs: Sequence[Doc]) -> list[Example]:
    """Parsed PTC articles paired with references holding the gold technique spans (``doc.spans[SPANS_KEY]``)."""
    examples = []
    for record, doc in zip(records, docs):
        reference = gold_doc(doc.vocab, record["text"], [x for s in record["spans"] for x in (s["start"], s["end"])])
        spans = (reference.char_span(s["start"], s["end"], label=s["label"]) for s in record["spans"])
        reference.spans[SPANS_KEY] = [span for span in spans if span is not None]
        examples.append(Example(doc, reference))
    return examples


def evaluate_ptc(records: list[dict], nlp: Language, folds: int) -> dict[str, Any]:
    """Scores of the configured detector (``nlp.evaluate`` for span identification) and, with ``folds`` > 1, of cross-validation."""
    from presslens.eval.ptc import parse
    from presslens.train.techniques import cross_validate, predict_techniques

    if "presslens_techniques" not in nlp.pipe_names:
        nlp.add_pipe("presslens_techniques")
    detector = cast(TechniqueDetector, nlp.get_pipe("presslens_techniques"))
    if detector.data is None:
        detector.initialize(nlp=nlp)  # a pipe just added loads its model now, not on its first Doc
    model = detector.model
    assert model is not None  # initialize built it
    docs = parse(records, nlp)
    detector.spans_key = SPANS_KEY  # write the detected spans the scorer compares, for this evaluation only
    try:
        with nlp.select_pipes(enable=["presslens_techniques"]):
            scores = nlp.evaluate(ptc_examples(records, docs))
    finally:
        detector.spans_key = None
    techniques = predict_techniques(records, docs, model)
    gold_labels = [g for _, g in techniques]
    majority = [Counter(gold_labels).most_common(1)[0][0]] * len(gold_labels) if gold_labels else []
    si = {"precision": scores["techniques_si_p"], "recall": scores["techniques_si_r"], "f1": scores["techniques_si_f"],
          "predicted": scores["techniques_si_predicted"], "gold": scores["techniques_si_gold"]}
    result: dict[str, Any] = {"dataset": "ptc", "documents": len(records), "thresholds": list(detector.rule)}
    result["shipped_model"] = {"si": si, "tc_micro_f1": micro_f1([p for p, _ in techniques], gold_labels),
                               "tc_gold_spans": len(gold_labels), "tc_majority_baseline": micro_f1(majority, gold_labels)}
    if folds > 1:
        lexicons: dict[str, list[str]] = {}
        for word, names in model.lexicon.items():
            for name in names:
                lexicons.setdefault(name, []).append(word)
        spans, techniques = cross_validate(records, docs, lexicons, folds, detector.rule)
        result[f"cross_validation_{folds}_fold"] = score_ptc_predictions(records, spans, techniques)
    return result


def basil_examples(records: Sequence[dict], nlp: Language) -> list[Example]:
    """BASIL articles paired with references whose ``presslens_framing`` holds the ``lexical`` gold spans."""
    examples = []
    for record in records:
        reference = nlp.make_doc(record["text"])
        gold: list[FramingOut] = [
            {"kind": "loaded_term", "start": s["start"], "end": s["end"], "text": record["text"][s["start"] : s["end"]], "target": None,
             "voice": "outlet", "note": "BASIL lexical bias", "technique": None}
            for s in record["spans"] if s["label"] == "lexical"
        ]
        reference._.presslens_framing = gold
        examples.append(Example(nlp.make_doc(record["text"]), reference))
    return examples


def evaluate_basil(records: list[dict], nlp: Language) -> dict[str, Any]:
    """Partial-credit span F1 of presslens's word-choice framing items against BASIL's lexical-bias spans (``nlp.evaluate``)."""
    names = nlp.pipe_names
    with nlp.select_pipes(enable=names[: names.index("presslens_framing") + 1]):
        scores = nlp.evaluate(basil_examples(records, nlp))
    lexical = {"precision": scores["framing_p"], "recall": scores["framing_r"], "f1": scores["framing_f"],
               "predicted": scores["framing_predicted"], "gold": scores["framing_gold"]}
    return {"dataset": "basil", "documents": len(records), "kinds": sorted(BASIL_KINDS), "lexical": lexical,
            "predicted_by_kind": scores["framing_per_kind"]}


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

        return evaluate_babe(path, load_nlp(), folds)
    if dataset == "newsmtsc":
        result = evaluate_newsmtsc(records)
    elif dataset == "basil":
        result = evaluate_basil(records, load_nlp())
    else:
        result = evaluate_ptc(records, load_nlp(), folds)
    return {"data": str(path), **result}
