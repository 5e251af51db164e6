"""Score sentence bias on BABE (``shared/eval/README.md``, ``framing/``): macro-F1 of Biased vs Non-biased.

Rows labelled "No agreement" are dropped. Without ``folds`` the configured ``presslens_bias``
models score the file (a sentence is biased at probability 0.5 or more). With ``folds`` they are
retrained k times on stratified folds grouped by source article (``news_link``), so no article
straddles a fold, and scored on the held-out sentences; this needs the ``train`` extra. The linear
model is always reported; with ``encoder = true`` so are the encoder alone and the mix the
component uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from rich.console import Console
from rich.progress import Progress

from presslens.analyzers.bias import BiasModel, SentenceBias
from presslens.errors import UsageError
from presslens.settings import load_settings

LABELS = ("Non-biased", "Biased")


def read_babe(path: Path) -> tuple[list[str], np.ndarray, list[str], list[list[str]]]:
    """Texts, labels (1 = Biased), article keys and marked biased words of a BABE file, "No agreement" rows dropped."""
    try:
        records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = [r for r in records if r["label"] in LABELS]
        texts, marked = [r["text"] for r in rows], [list(r.get("biased_words") or []) for r in rows]
        return texts, np.array([LABELS.index(r["label"]) for r in rows]), [r.get("news_link") or r["id"] for r in rows], marked
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UsageError("PL208", path=path, detail=f"expected BABE JSON Lines with 'text' and 'label' ({err})") from err


def parse(texts: list[str]) -> list:
    """One Doc per text, from the configured spaCy model (its tagger, lemmatizer and parser)."""
    return list(spacy.load(load_settings().nlp.model, exclude=["ner"]).pipe(texts, batch_size=64))


def scores(gold: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    """Macro-F1 plus precision, recall and F1 of each class."""
    per_class = {}
    for value, label in enumerate(LABELS):
        tp = int(np.sum((predicted == value) & (gold == value)))
        p = tp / max(int(np.sum(predicted == value)), 1)
        r = tp / max(int(np.sum(gold == value)), 1)
        per_class[label] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}
    macro = float(np.mean([c["f1"] for c in per_class.values()]))
    return {"macro_f1": round(macro, 4), "classes": per_class, "n": int(len(gold))}


def grouped_folds(labels: np.ndarray, groups: list[str], folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs of ``folds`` stratified folds in which no article (group) straddles two folds."""
    try:
        from sklearn.model_selection import StratifiedGroupKFold
    except ImportError as err:
        raise UsageError("PL211", what="cross-validation", package="scikit-learn", extra="train") from err
    return list(StratifiedGroupKFold(folds, shuffle=True, random_state=seed).split(labels, labels, groups))


def cross_validate(
    docs: list, labels: np.ndarray, groups: list[str], biased_words: list[list[str]], folds: int, lexicons: list[set[str]], seed: int = 0
) -> np.ndarray:
    """Out-of-fold bias probabilities from ``folds`` retrainings (stratified, grouped by article)."""
    from presslens.analyzers.bias_training import fit  # the train extra, imported only here

    out = np.zeros(len(docs))
    for train, test in grouped_folds(labels, groups, folds, seed):
        model = fit([docs[i] for i in train], labels[train], [biased_words[i] for i in train], lexicons)
        out[test] = [model.predict(docs[i], np.array([0]))[0] for i in test]
    return out


def cross_validate_encoder(texts: list[str], labels: np.ndarray, groups: list[str], folds: int, members: int, seed: int = 0) -> np.ndarray:
    """Out-of-fold encoder probabilities: per fold, the mean of ``members`` adapters tuned from different seeds.

    Shows a progress bar on stderr (about 4 minutes a fold and member on 2 CPU cores).
    """
    from presslens.analyzers.bias_encoder_training import BATCH, EPOCHS, fit_encoder  # the encoder extra, imported only here

    out = np.zeros(len(texts))
    splits = grouped_folds(labels, groups, folds, seed)
    batches = sum(members * EPOCHS * -(-len(train) // BATCH) for train, _ in splits)
    with Progress(*Progress.get_default_columns(), console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("tuning the encoder on each fold", total=batches)
        for train, test in splits:
            tuned = [fit_encoder([texts[i] for i in train], labels[train], seed=seed + k, step=lambda: progress.advance(task)) for k in range(members)]
            out[test] = np.mean([model.predict([texts[i] for i in test]) for model in tuned], axis=0)
    return out


def evaluate_babe(path: Path, folds: int | None = None, bias: SentenceBias | None = None) -> dict[str, Any]:
    """Score the ``presslens_bias`` models (the shipped linear one by default) on a BABE file, or cross-validate.

    Raises:
        UsageError: the file is not BABE JSON Lines (PL208), or the train or encoder extra is missing (PL211).
    """
    texts, labels, groups, biased_words = read_babe(path)
    docs = parse(texts)
    model = bias.model if bias else BiasModel.load()
    if folds:
        from presslens.analyzers.bias_training import lexicons_of

        probs = cross_validate(docs, labels, groups, biased_words, folds, lexicons_of(model))
    else:
        probs = np.array([model.predict(doc, np.array([0]))[0] for doc in docs])
    result: dict[str, Any] = {"data": str(path), "folds": folds}
    encoder = bias.encoder if bias else None
    if encoder is not None:
        if folds:
            encoded = cross_validate_encoder(texts, labels, groups, folds, len(encoder.members))
        else:
            encoded = encoder.predict(texts)
        result["linear"] = scores(labels, (probs >= 0.5).astype(int))
        result["encoder"] = scores(labels, (encoded >= 0.5).astype(int))
        probs = encoder.mix(probs, encoded)
    return {**result, **scores(labels, (probs >= 0.5).astype(int))}
