"""Learned roles: which actor mention of its sentence is a trigger's source, and which its target.

The dependency rules of ``arguments.py`` propose a source and a target; a logistic regression over
hashed features of each (trigger, side, actor mention) pair then picks the mention most likely to
fill the side: the dependency path between mention and trigger, the mention's relation, preposition
and side of the trigger, the distance, passive voice, the actor's kind and entity label, the event
type, whether the rules chose that actor for either side, and whether the mention is the nearest one
before or after the trigger. The best mention is taken when its probability reaches the model's
threshold (0.5: more likely right than wrong), else the rules' choice stays; a side the rules filled with several actors ("Hamas and
Islamic Jihad attacked") keeps them, and the target is never the chosen source. Event nouns and
controlled complements ("urged X to honor", "accused X of shelling") keep the rules' roles: the model
learnt the arguments of verbs heading their clause, and it would copy the main clause's dyad. ``Roles`` without
a model keeps the rules' choices and can record every decision with its features, which is what
``presslens.train.roles`` fits on; the weights ship in ``presslens/data/events/roles.npz`` (card in
that folder's README).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Span, Token

from presslens.analyzers.events.arguments import is_passive
from presslens.analyzers.events.verifier import hash_features, row_indices
from presslens.analyzers.events.weights import HashedModel, load_hashed

MODEL_PATH = Path(__file__).resolve().parent.parent.parent / "data" / "events" / "roles.npz"
FORMAT = 1
SIDES = ("source", "target")
_MAX_PATH = 8


@dataclass
class Decision:
    """One recorded role decision: the side, the event type, the mentions (character spans, actor id) and their hashed features."""

    side: str
    type: str
    mentions: list[tuple[int, int, str]]
    hashes: list[np.ndarray]
    rule: list[str]


def _bucket(n: int) -> int:
    """Coarse token distance: 0..3, then 5, 8, 12."""
    return n if n < 4 else 5 if n < 7 else 8 if n < 11 else 12


def dependency_path(token: Token, trigger: Token) -> tuple[str, int]:
    """Dependency labels from ``token`` up to the lowest common ancestor and down to ``trigger``, and the path's length."""
    above: dict[int, int] = {}
    node, depth = trigger, 0
    while depth <= _MAX_PATH:
        above[node.i] = depth
        if node.head == node:
            break
        node, depth = node.head, depth + 1
    ups: list[str] = []
    node = token
    while node.i not in above and node.head != node and len(ups) < _MAX_PATH:
        ups.append(node.dep_)
        node = node.head
    if node.i not in above:
        return "none", 99
    downs, below = [], trigger
    while below.i != node.i:
        downs.append(below.dep_)
        below = below.head
    return "^".join(ups) + "|" + "v".join(reversed(downs)), len(ups) + len(downs)


def mention_features(trigger: Token, span: Span, spans: list[Span], event_type: str, kind: str | None,
                     rule_sources: list[str], rule_targets: list[str]) -> list[str]:
    """The string features of one actor mention as an argument of a trigger (joined with a side before hashing)."""
    root = span.root
    path, length = dependency_path(root, trigger)
    where = "before" if span.end <= trigger.i else "after" if span.start > trigger.i else "inside"
    passive = is_passive(trigger)
    feats = ["bias", f"path={path}", f"len={min(length, 6)}", f"dep={root.dep_}", f"side={where}",
             f"dist={_bucket(abs(root.i - trigger.i))}", f"tdep={trigger.dep_}", f"tpos={trigger.pos_}",
             f"passive={passive}", f"passive|side={passive}|{where}", f"side|dep={where}|{root.dep_}",
             f"kind={kind}", f"ent={root.ent_type_}", f"rule_source={span.label_ in rule_sources}",
             f"rule_target={span.label_ in rule_targets}", f"type|side={event_type}|{where}",
             f"lemma|path={trigger.lemma_.lower()}|{path}", f"under={trigger.is_ancestor(root)}",
             f"n={min(len(spans), 5)}"]
    if root.dep_ == "pobj":
        feats += [f"prep={root.head.lower_}", f"prep|side={root.head.lower_}|{where}"]
    if root.dep_ == "poss" or root.head.dep_ == "poss":
        feats.append("poss")
    before = [s for s in spans if s.end <= trigger.i]
    after = [s for s in spans if s.start > trigger.i]
    if before and before[-1] == span:
        feats.append("nearest_before")
    if after and after[0] == span:
        feats.append("nearest_after")
    return feats


class RoleModel(HashedModel):
    """The shipped weights: a hashed logistic regression and the probability a mention needs to replace the rules' choice."""

    what = "role model"

    def __init__(self, data: dict[str, Any]) -> None:
        """Validate a model's data (what ``load_role_data`` returns); ValueError says what is wrong."""
        super().__init__(data, FORMAT)

    def read(self, data: dict[str, Any]) -> None:
        """The threshold."""
        self.threshold = float(data["threshold"])

    def check(self) -> None:
        """The threshold is a probability."""
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError("role model: a threshold outside [0, 1]")

    def probabilities(self, hashes: list[np.ndarray]) -> np.ndarray:
        """The probability that each mention (its hashed features) fills the side."""
        z = np.array([self.intercept + self.weights[row_indices(h, "role", self.bits)].sum() for h in hashes])
        return 1.0 / (1.0 + np.exp(-z))

    def pick(self, hashes: list[np.ndarray], ids: list[str], avoid: list[str]) -> str | None:
        """The actor id of the likeliest mention (not one of ``avoid``) when it reaches the threshold, else None."""
        p = self.probabilities(hashes)
        for i, ident in enumerate(ids):
            if ident in avoid:
                p[i] = -1.0
        best = int(np.argmax(p))
        return ids[best] if p[best] >= self.threshold else None


@dataclass
class Roles:
    """The role step of the coder: the model's picks over the rules' (``model`` None: the rules'), optionally recorded."""

    model: RoleModel | None = None
    record: list[Decision] | None = None

    def assign(self, trigger: Token, spans: list[Span], kind: Callable[[str], str | None], event_type: str,
               sources: list[str], targets: list[str]) -> tuple[list[str], list[str]]:
        """The (sources, targets) of a trigger among the sentence's actor ``spans`` (``kind``: an actor id's kind)."""
        if not spans or (self.model is None and self.record is None):
            return sources, targets
        chosen: dict[str, list[str]] = {"source": sources, "target": targets}
        feats = [mention_features(trigger, s, spans, event_type, kind(s.label_), sources, targets) for s in spans]
        for side in SIDES:
            hashes = [hash_features([f"{side}:{f}" for f in mention]) for mention in feats]
            if self.record is not None:
                self.record.append(Decision(side, event_type, [(s.start_char, s.end_char, s.label_) for s in spans],
                                            hashes, list(chosen[side])))
            if self.model is None or len(chosen[side]) > 1:
                continue
            avoid = chosen["source"] if side == "target" else []
            pick = self.model.pick(hashes, [s.label_ for s in spans], avoid)
            if pick is not None:
                chosen[side] = [pick]
        return chosen["source"], [t for t in chosen["target"] if t not in chosen["source"]]


def load_role_data(path: Path = MODEL_PATH) -> dict[str, Any]:
    """The msgpack-safe data of a role model file, validated.

    Raises:
        ValueError: the file is missing, unreadable or not a valid role model (the message names it).
    """
    return load_hashed(path, RoleModel, "role model")
