"""Fit the role model on gold sentences with marked roles (PLV): the coder's recorded role decisions, labelled by the marks.

A recorded decision (``presslens.analyzers.events.roles.Decision``: one side of one candidate
trigger, with every actor mention of its sentence) is a training group when its event type is the
type of a marked event of the sentence (YIELD: CONCEDE or RETREAT) and that event marks the side;
each mention is a row, positive when it shares a character with the marked span. Needs
presslens[train] (scikit-learn).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from presslens.analyzers.events.roles import FORMAT, Decision, RoleModel
from presslens.analyzers.events.verifier import row_indices
from presslens.train.events import YIELD, Sentence

BITS = 18
C = 0.3
THRESHOLD = 0.5


def _overlaps(mention: tuple[int, int, str], span: list[int]) -> bool:
    """Whether a mention shares a character with a marked span."""
    return mention[0] < span[-1] and span[0] < mention[1]


def labelled(sentences: Iterable[Sentence]) -> Iterator[tuple[Decision, list[bool]]]:
    """Every recorded decision that a marked event of its sentence labels, with one label per mention."""
    for sent in sentences:
        for mark in sent.gold.get("marked") or []:
            right = YIELD if mark["label"] == "YIELD" else {mark["label"]}
            for decision in sent.decisions:
                span = mark.get(decision.side)
                if span and decision.type in right:
                    yield decision, [_overlaps(m, span) for m in decision.mentions]


def fit_roles(sentences: Iterable[Sentence], threshold: float = THRESHOLD, c: float = C,
              card: dict[str, Any] | None = None) -> dict[str, Any]:
    """Role model data (``RoleModel``) fitted on the labelled decisions of ``sentences``.

    Raises:
        ValueError: the sentences hold no labelled decision with both a right and a wrong mention.
    """
    indptr, indices, labels = [0], [], []
    for decision, marks in labelled(sentences):
        for hashes, label in zip(decision.hashes, marks, strict=True):
            idx = row_indices(hashes, "role", BITS)
            indices.append(idx)
            indptr.append(indptr[-1] + len(idx))
            labels.append(label)
    if len(set(labels)) < 2:
        raise ValueError("the role model needs marked sentences with both right and wrong mentions")
    flat = np.concatenate(indices)
    x = csr_matrix((np.ones(len(flat)), flat, np.array(indptr)), shape=(len(labels), 1 << BITS))
    x.sum_duplicates()
    model = LogisticRegression(C=c, solver="liblinear").fit(x, np.array(labels, dtype=int))
    data = {"format": FORMAT, "bits": BITS, "weights": model.coef_[0].astype(np.float32).tobytes(),
            "intercept": float(model.intercept_[0]), "threshold": threshold, "card": card or {}}
    RoleModel(data)
    return data
