"""Train the propaganda-technique detector on PTC records and predict held-out folds (needs ``presslens[train]``)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from presslens.analyzers.techniques import detect, span_features, token_features
from presslens.errors import UsageError
from presslens.knowledge.techniques import TechniqueModel, invert_lexicons, model_from_dict

TOKEN_C = 0.1
TECHNIQUE_C = 1.0
# Weight rows whose largest absolute weight is below these are dropped (keeps the model file under 5 MB).
TOKEN_PRUNE = 0.03
TECHNIQUE_PRUNE = 0.1


def read_ptc(path: Path) -> list[dict[str, Any]]:
    """PTC records (``text`` and ``spans`` with ``start``, ``end``, ``label``) of a JSON Lines file."""
    try:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err
    return records


def parse(records: Sequence[dict[str, Any]], nlp: Language) -> list[Doc]:
    """Parse the article texts with the model's own components only (tagger, parser, lemmatizer)."""
    names = [name for name in nlp.pipe_names if not name.startswith("presslens_")]
    with nlp.select_pipes(enable=names):
        return list(nlp.pipe((r["text"] for r in records), batch_size=8))


def _token_labels(record: dict[str, Any], doc: Doc) -> list[int]:
    """1 for a token whose characters lie mostly inside a gold span."""
    covered = np.zeros(len(record["text"]) + 1, dtype=bool)
    for span in record["spans"]:
        covered[span["start"] : span["end"]] = True
    return [int(covered[t.idx : t.idx + len(t)].mean() > 0.5) for t in doc]


def _gold_spans(record: dict[str, Any], doc: Doc) -> Iterator[tuple[int, int, str]]:
    """Gold spans in token offsets (expanded to whole tokens), with their technique."""
    for span in record["spans"]:
        tokens = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if tokens is not None and len(tokens):
            yield tokens.start, tokens.end, span["label"]


def technique_examples(records: Sequence[dict], docs: Sequence[Doc], lexicon: dict) -> tuple[list[list[str]], list[str]]:
    """Technique-classifier features and labels of every gold span."""
    rows, labels = [], []
    for record, doc in zip(records, docs):
        lowered = doc.text.lower()
        for start, end, label in _gold_spans(record, doc):
            rows.append(span_features(doc, start, end, lexicon, lowered))
            labels.append(label)
    return rows, labels


def _fit(rows: list[list[str]], labels: Sequence, c: float, prune: float) -> dict[str, Any]:
    """A logistic regression over string features, as the LinearSpec dict of the model file."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:
        raise UsageError("PL211", what="training the technique detector", package="scikit-learn", extra="train") from err
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(row, 1) for row in rows])
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(matrix, labels)
    coef = model.coef_.T  # features x classes (one column for a binary model)
    classes = ["propaganda"] if coef.shape[1] == 1 else [str(x) for x in model.classes_]
    keep = np.abs(coef).max(axis=1) >= prune
    names = vectorizer.get_feature_names_out()
    return {
        "classes": classes,
        "bias": [round(float(b), 3) for b in model.intercept_],
        "weights": {str(names[i]): [round(float(w), 3) for w in coef[i]] for i in np.flatnonzero(keep)},
    }


def train(records: Sequence[dict], docs: Sequence[Doc], lexicons: dict[str, list[str]], trained_on: str) -> dict[str, Any]:
    """The contents of a model file trained on the given PTC records."""
    lexicon = invert_lexicons(lexicons)
    rows: list[list[str]] = []
    labels: list[int] = []
    for record, doc in zip(records, docs):
        rows.extend(token_features(doc, lexicon))
        labels.extend(_token_labels(record, doc))
    span_rows, techniques = technique_examples(records, docs, lexicon)
    return {
        "version": 1,
        "trained_on": trained_on,
        "lexicons": {name: sorted(words) for name, words in sorted(lexicons.items())},
        "tokens": _fit(rows, labels, TOKEN_C, TOKEN_PRUNE),
        "techniques": _fit(span_rows, techniques, TECHNIQUE_C, TECHNIQUE_PRUNE),
    }


def folds_of(records: Sequence[dict], k: int) -> list[int]:
    """A fold number per record, the same for every record of one article (round-robin over sorted article ids)."""
    articles = sorted({str(r.get("article_id", r.get("id"))) for r in records})
    fold = {article: i % k for i, article in enumerate(articles)}
    return [fold[str(r.get("article_id", r.get("id")))] for r in records]


def predict_spans(docs: Sequence[Doc], model: TechniqueModel, thresholds: tuple[float, float]) -> list[list[dict]]:
    """Detected technique spans of each doc as character offsets with their technique."""
    out = []
    for doc in docs:
        found = detect(doc, model, *thresholds)
        out.append([{"start": doc[d.start].idx, "end": doc[d.end - 1].idx + len(doc[d.end - 1]), "label": d.technique} for d in found])
    return out


def predict_techniques(records: Sequence[dict], docs: Sequence[Doc], model: TechniqueModel) -> list[tuple[str, str]]:
    """(predicted, gold) technique of every gold span."""
    rows, gold = technique_examples(records, docs, model.lexicon)
    classes = model.techniques.classes
    return [(classes[int(model.techniques.scores(row).argmax())], label) for row, label in zip(rows, gold)]


def cross_validate(
    records: Sequence[dict], docs: Sequence[Doc], lexicons: dict[str, list[str]], k: int, thresholds: tuple[float, float]
) -> tuple[list[list[dict]], list[tuple[str, str]]]:
    """Held-out span predictions and gold-span techniques from ``k`` article-grouped folds."""
    fold = folds_of(records, k)
    spans: list[list[dict]] = [[] for _ in records]
    techniques: list[list[tuple[str, str]]] = [[] for _ in records]
    for f in range(k):
        train_idx = [i for i, x in enumerate(fold) if x != f]
        test_idx = [i for i, x in enumerate(fold) if x == f]
        model = model_from_dict(train([records[i] for i in train_idx], [docs[i] for i in train_idx], lexicons, f"fold {f}"))
        for i, found in zip(test_idx, predict_spans([docs[i] for i in test_idx], model, thresholds)):
            spans[i] = found
        for i in test_idx:
            techniques[i] = predict_techniques([records[i]], [docs[i]], model)
    return spans, [pair for per_record in techniques for pair in per_record]
