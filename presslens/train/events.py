"""Fit the event verifier on gold sentences: the coder's raw candidates, labelled by the gold types (needs presslens[train]).

A candidate scored as PLOVER type T is a positive example when T is one of its sentence's gold
types (PLOVER records: the mapped ``event_type``; CAMEO records: the PLOVER types of the gold
codes; PLV: the ``root``, YIELD being CONCEDE or RETREAT), so every candidate yields one row per
type (``presslens.analyzers.events.verifier`` explains the features). Articles whose candidates
readers labelled (kind ``article``, ``scripts/label_sample.py``) add a row for a judged candidate's
own type (positive when it is a real event of that type) and, for one that is no event, a negative
row per type. The logistic regression is
fitted on all rows; its Platt calibration on the candidates' own-type scores cross-fitted over
``CALIBRATION_FOLDS`` sentence-grouped folds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from spacy.language import Language
from spacy.tokens import Doc

from presslens.analyzers.events.component import EventCoder
from presslens.analyzers.events.roles import Decision, Roles
from presslens.analyzers.events.verifier import FORMAT, Verifier, hash_features, pair_indices, sentence_features
from presslens.knowledge.events import EventKnowledge
from presslens.nlp.build import load_nlp
from presslens.nlp.outputs import ActorOut, EventOut
from presslens.settings import Settings

BITS = 18
C = 0.3
CALIBRATION_FOLDS = 3
SEED = 13
YIELD = frozenset({"CONCEDE", "RETREAT"})
ARTICLE = "article"  # the kind of a labelled article: its readers' labels per candidate, no gold events


@dataclass
class Sentence:
    """One gold sentence with the coder's raw candidates: their events, features and feature hashes, and the recorded role decisions."""

    kind: str
    gold: dict[str, Any]
    right: frozenset[str]
    events: list[EventOut]
    features: list[list[str]]
    hashes: list[np.ndarray]
    actors: dict[str, ActorOut]
    decisions: list[Decision]
    judged: list[tuple[bool, bool] | None]  # per candidate of a labelled article: (a real event, its type right)


@dataclass
class Parsed:
    """One gold sentence parsed up to the event coder."""

    kind: str
    gold: dict[str, Any]
    doc: Doc


def gold_types(kind: str, gold: dict[str, Any], k: EventKnowledge) -> frozenset[str]:
    """The PLOVER types a candidate of this gold sentence may rightly have."""
    types: set[str] = set()
    for event in gold.get("gold") or []:
        if kind in {"cameo", "unit"}:
            types.add(k.plover(event["code"]) or "")
        else:
            types |= YIELD if event["label"] == "YIELD" else {event["label"]}
    return frozenset(types - {""})


def parse(nlp: Language, kind: str, sentences: Sequence[dict[str, Any]]) -> list[Parsed]:
    """Run the pipeline up to (not including) the event coder on every gold sentence."""
    names = nlp.pipe_names
    docs = []
    for sent in sentences:
        doc = nlp.make_doc(sent["text"])
        if sent.get("date"):
            doc.user_data["published"] = sent["date"]
        docs.append(doc)
    with nlp.select_pipes(disable=names[names.index("presslens_events"):]):
        return [Parsed(kind, sent, doc) for sent, doc in zip(sentences, nlp.pipe(docs, batch_size=64), strict=True)]


def candidates_of(coder: EventCoder, parsed: Iterable[Parsed], roles: Roles | None = None) -> list[Sentence]:
    """The coder's raw candidates of parsed sentences, with ``roles`` (default: the rules' roles, every decision recorded)."""
    out = []
    saved = coder.roles
    try:
        for item in parsed:
            coder.roles = roles or Roles(record=[])
            events = coder.candidates(item.doc)
            actors = item.doc._.presslens_actors or {}
            features = sentence_features(item.doc, events, actors)
            out.append(Sentence(item.kind, item.gold, gold_types(item.kind, item.gold, coder.k), events, features,
                                [hash_features(f) for f in features], actors, coder.roles.record or [],
                                judged_candidates(item.gold, events)))
    finally:
        coder.roles = saved
    return out


def judged_candidates(gold: dict[str, Any], events: list[EventOut]) -> list[tuple[bool, bool] | None]:
    """The readers' labels of an article's candidates, matched by trigger span and type (None: not judged)."""
    labels = {(tuple(label["trigger"]), label["type"]): (label["real"], label["type_right"])
              for label in gold.get("labels") or []}
    return [labels.get((tuple(e["trigger"]), e["type"])) for e in events]


def design(sentences: Iterable[Sentence], types: Sequence[str], own_only: bool = False) -> tuple[csr_matrix, np.ndarray]:
    """Rows (candidate x scored type, or the candidate's own type only) and their labels."""
    indptr, indices, labels = [0], [], []
    for sent in sentences:
        for event, hashes, judged in zip(sent.events, sent.hashes, sent.judged, strict=True):
            for scored, label in _rows(sent, event["type"], judged, types, own_only):
                idx = pair_indices(hashes, scored, event["type"], BITS)
                indices.append(idx)
                indptr.append(indptr[-1] + len(idx))
                labels.append(label)
    flat = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    x = csr_matrix((np.ones(len(flat)), flat, np.array(indptr)), shape=(len(labels), 1 << BITS))
    x.sum_duplicates()
    return x, np.array(labels, dtype=int)


def _rows(sent: Sentence, own: str, judged: tuple[bool, bool] | None, types: Sequence[str],
          own_only: bool) -> list[tuple[str, bool]]:
    """(scored type, label) of one candidate: a gold sentence labels every type by its gold types; a judged
    article candidate labels its own type by the reader (a real event of the right type), and every type
    false when it is no event; an unjudged article candidate gives no row."""
    if sent.kind != ARTICLE:
        return [(t, t in sent.right) for t in ([own] if own_only else types)]
    if judged is None:
        return []
    real, typed = judged
    return [(own, real and typed)] if real or own_only else [(t, False) for t in types]


def folds_of(n: int, k: int, seed: int = SEED) -> np.ndarray:
    """The fold (0..k-1) of each of n groups, from a seeded shuffle."""
    folds = np.empty(n, dtype=int)
    folds[np.random.default_rng(seed).permutation(n)] = np.arange(n) % k
    return folds


def _logistic(sentences: Sequence[Sentence], types: Sequence[str], c: float) -> LogisticRegression:
    """The hashed logistic regression fitted on all (candidate, type) rows."""
    x, y = design(sentences, types)
    if len(set(y)) < 2:
        raise ValueError("the training sentences need both right and wrong candidates")
    return LogisticRegression(C=c, solver="liblinear", dual=True, max_iter=500).fit(x, y)


def fit(sentences: Sequence[Sentence], k: EventKnowledge, c: float = C, card: dict[str, Any] | None = None) -> dict[str, Any]:
    """Verifier data (``presslens.analyzers.events.verifier.Verifier``) fitted on the candidates of ``sentences``."""
    types = plover_types(k)
    fold = folds_of(len(sentences), CALIBRATION_FOLDS)
    scores, labels = [], []
    for f in range(CALIBRATION_FOLDS):
        model = _logistic([s for s, g in zip(sentences, fold) if g != f], types, c)
        x, y = design([s for s, g in zip(sentences, fold) if g == f], types, own_only=True)
        if x.shape[0]:
            scores.append(model.decision_function(x))
            labels.append(y)
    held = np.concatenate(labels) if labels else np.zeros(0, dtype=int)
    calibration = [1.0, 0.0]  # too few held-out rows of both kinds to fit a Platt map: the raw logistic
    if len(set(held.tolist())) == 2:
        platt = LogisticRegression(C=100.0).fit(np.concatenate(scores)[:, None], held)
        calibration = [float(platt.coef_[0][0]), float(platt.intercept_[0])]
    model = _logistic(sentences, types, c)
    data = {"format": FORMAT, "bits": BITS, "weights": model.coef_[0].astype(np.float32).tobytes(),
            "intercept": float(model.intercept_[0]), "calibration": calibration,
            "types": types, "type_codes": type_codes(sentences, types, k), "card": card or {}}
    Verifier(data)
    return data


def plover_types(k: EventKnowledge) -> list[str]:
    """The PLOVER types of the code table, sorted."""
    return sorted({code.plover for code in k.codes.values() if code.plover})


def type_codes(sentences: Iterable[Sentence], types: Sequence[str], k: EventKnowledge) -> dict[str, str]:
    """The CAMEO code a re-typed candidate takes: its type's most common code among right candidates, else its first code."""
    counts: Counter[str] = Counter(e["cameo"] for s in sentences for e in s.events if e["type"] in s.right)
    out = {}
    for kind in types:
        family = sorted((c for c, info in k.codes.items() if info.plover == kind), key=lambda c: (-counts[c], len(c), c))
        out[kind] = family[0]
    return out


def candidate_pipeline(settings: Settings) -> Language:
    """The configured pipeline with the verifier and role model off, so the event coder yields its raw candidates."""
    events = {**settings.components.get("presslens_events", {}), "verifier": False, "roles": False, "min_confidence": 0.0}
    return load_nlp(replace(settings, components={**settings.components, "presslens_events": events}))
