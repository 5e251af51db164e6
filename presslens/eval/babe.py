"""Score sentence bias on BABE (``shared/eval/README.md``, ``framing/``): macro-F1 of Biased vs Non-biased.

Rows labelled "No agreement" are dropped. Without ``folds`` the configured ``presslens_bias``
component scores the file through ``nlp.evaluate`` (``presslens.bias_scorer.v1``; a text is one
sentence, as BABE labels it, and it is biased at probability 0.5 or more). With ``folds`` the models
are retrained k times on stratified folds grouped by source article (``news_link``), so no article
straddles a fold, and scored on the held-out sentences; this needs the ``train`` extra. The linear
model is always reported; with ``encoder = true`` so are the encoder alone and the mix the
component uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from presslens.analyzers.bias import LABELS, SentenceBias
from presslens.analyzers.metrics import class_scores
from presslens.errors import UsageError
from presslens.settings import load_settings


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
    return class_scores([int(g) for g in gold], [int(p) for p in predicted], LABELS)


def _one_sentence(doc: Doc) -> Doc:
    """The Doc with one sentence over all its tokens (the parser keeps boundaries set before it)."""
    for token in doc:
        token.is_sent_start = token.i == 0
    return doc


def babe_examples(nlp: Language, texts: list[str], labels: np.ndarray) -> list[Example]:
    """One Example per labelled text: a one-sentence Doc to predict, and a reference whose sentence bias is the label."""
    examples = []
    for text, label in zip(texts, labels):
        reference = _one_sentence(nlp.make_doc(text))
        reference._.presslens_sentence_bias = [float(label)]
        examples.append(Example(_one_sentence(nlp.make_doc(text)), reference))
    return examples


def _bias_component(nlp: Language) -> SentenceBias:
    """The pipeline's ``presslens_bias`` (added with its defaults when the pipeline has none)."""
    if "presslens_bias" not in nlp.pipe_names:
        cast(SentenceBias, nlp.add_pipe("presslens_bias")).initialize(nlp=nlp)
    return cast(SentenceBias, nlp.get_pipe("presslens_bias"))


def evaluate_babe(path: Path, nlp: Language, folds: int | None = None) -> dict[str, Any]:
    """Score ``nlp``'s ``presslens_bias`` (``nlp.evaluate``) on a BABE file, or cross-validate its models.

    Raises:
        UsageError: the file is not BABE JSON Lines (PL208), or the train or encoder extra is missing (PL211).
    """
    texts, labels, groups, biased_words = read_babe(path)
    bias = _bias_component(nlp)
    assert bias.model is not None
    result: dict[str, Any] = {"data": str(path), "folds": folds}
    if folds:
        from presslens.train.bias import cross_validate, lexicons_of

        probs = cross_validate(parse(texts), labels, groups, biased_words, folds, lexicons_of(bias.model))
    else:
        model_pipes = [name for name in nlp.pipe_names if not name.startswith("presslens_")]
        with nlp.select_pipes(enable=[*model_pipes, bias.name]):
            evaluated = nlp.evaluate(babe_examples(nlp, texts, labels))
        shipped = {"macro_f1": evaluated["bias_macro_f1"], "classes": evaluated["bias_per_class"], "n": evaluated["bias_n"]}
        if bias.encoder is None:
            return {**result, **shipped}
        probs = np.array([bias.model.predict(doc, np.array([0]))[0] for doc in parse(texts)])
    encoder = bias.encoder
    if encoder is None:
        return {**result, **scores(labels, (probs >= 0.5).astype(int))}
    if folds:
        from presslens.train.bias_encoder import cross_validate_encoder

        encoded = cross_validate_encoder(texts, labels, groups, folds, len(encoder.members))
    else:
        encoded = encoder.predict(texts)
    result["linear"] = scores(labels, (probs >= 0.5).astype(int))
    result["encoder"] = scores(labels, (encoded >= 0.5).astype(int))
    mixed = scores(labels, (encoder.mix(probs, encoded) >= 0.5).astype(int))
    return {**result, **(mixed if folds else shipped)}
