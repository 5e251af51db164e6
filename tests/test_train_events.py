"""Verifier training rows: gold sentences label every type; readers' labels on articles label the judged candidates only."""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from presslens.analyzers.events.verifier import hash_features
from presslens.nlp.outputs import EventOut
from presslens.train.events import ARTICLE, Sentence, design, judged_candidates

TYPES = ["ACCUSE", "ASSAULT", "CONSULT"]


def _event(kind: str, trigger: list[int]) -> EventOut:
    return cast(EventOut, {"type": kind, "cameo": "190", "trigger": trigger, "source": None, "target": None})


def _sentence(kind: str, events: list[EventOut], judged: list[Any], right: frozenset[str] = frozenset()) -> Sentence:
    hashes = [hash_features(["bias", f"n={i}"]) for i in range(len(events))]
    return Sentence(kind, {}, right, events, [[] for _ in events], hashes, {}, [], judged)


def test_train_events_article_labels_match_candidates_by_trigger_and_type() -> None:
    events = [_event("ASSAULT", [4, 11]), _event("ACCUSE", [4, 11]), _event("CONSULT", [20, 24])]
    gold = {"labels": [{"trigger": [4, 11], "type": "ASSAULT", "real": True, "type_right": False},
                       {"trigger": [20, 24], "type": "CONSULT", "real": False, "type_right": False}]}
    assert judged_candidates(gold, events) == [(True, False), None, (False, False)]
    assert judged_candidates({}, events) == [None, None, None]


def test_train_events_design_rows_of_gold_sentences_and_judged_articles() -> None:
    gold = _sentence("plover", [_event("ASSAULT", [0, 5])], [None], right=frozenset({"ASSAULT"}))
    article = _sentence(ARTICLE, [_event("ASSAULT", [0, 5]), _event("CONSULT", [9, 12]), _event("ACCUSE", [20, 26])],
                        [(True, True), (False, False), None])
    _, labels = design([gold], TYPES)
    assert labels.tolist() == [0, 1, 0]  # one row per type, right where the gold sentence has that type
    x, labels = design([article], TYPES)
    # A real event of the right type: its own type, positive; no event: every type negative; unjudged: no row.
    assert labels.tolist() == [1, 0, 0, 0] and x.shape[0] == 4
    _, own = design([article], TYPES, own_only=True)
    assert own.tolist() == [1, 0]
    assert np.array_equal(design([gold, article], TYPES)[1], np.array([0, 1, 0, 1, 0, 0, 0]))
