"""The learned event verifier and type model: a calibrated probability that a candidate is a real event of its type.

One logistic regression over hashed string features scores a (candidate, PLOVER type) pair. The
features of a candidate (``candidate_features``) describe its trigger (lemma, words, part of
speech, dependency relation, path to the root, governing verbs, children such as auxiliaries,
negation, markers and prepositional objects), its code (CAMEO code and root, PLOVER type, mode,
the coder's heuristic confidence and its rank in the sentence), its arguments (source and target
found, actor kind, CAMEO agent, entity label, dependency relation of the mention), modality and
negation flags, background, attribution, clause position, whether the trigger is inside a quotation, and the
content-word lemmas of the sentence. Each feature is hashed twice per scored type T: once joined
with T (what the words say about T: the type model) and, for the candidate's own type only, once
joined with ``same`` (how far the coder's own choice is to be trusted). A Platt map fitted on
cross-fitted scores makes the probability calibrated. ``verify`` sets each candidate's
``confidence`` to this probability, re-types a candidate when another type (coded with the most
common CAMEO code of that type in training) scores more than ``retype_margin`` higher, and drops
candidates below ``min_confidence``. ``presslens.train.events`` fits the model with the same
featurizer; the weights ship in ``presslens/data/events/verifier.npz`` (card in that folder's README).
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from pathlib import Path
from typing import Any, cast

import numpy as np
from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

from presslens.analyzers.events.weights import HashedModel, load_hashed
from presslens.nlp.outputs import ActorOut, EventOut

MODEL_PATH = Path(__file__).resolve().parent.parent.parent / "data" / "events" / "verifier.npz"
FORMAT = 1
_QUOTES_OPEN, _QUOTES_CLOSE = "\u201c", "\u201d"
_CHILD_DEPS = frozenset({"aux", "auxpass", "neg", "mark", "advmod", "prt", "dobj", "xcomp", "agent", "attr", "acomp"})
_CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ"})
_SAME = "=same"
_MIX = np.uint64(2654435761)
_MASK = np.uint64(0xFFFFFFFF)
Scores = tuple[str, float, str, float]  # own type, its probability, best other type, its probability


class DocIndex:
    """What the featurizer looks up in one Doc, computed once: token start offsets, sentences, their content words."""

    def __init__(self, doc: Doc) -> None:
        self.doc, self.text = doc, doc.text  # Doc.text joins every token each time it is read
        self.starts: list[int] = [int(i) for i in doc.to_array([IDX]).ravel()] if len(doc) else []
        self.sents = list(doc.sents)
        self.sent_starts = [s.start for s in self.sents]
        self.words: dict[int, list[str]] = {}

    def token(self, char: int) -> int:
        """Index of the token holding character ``char``."""
        return max(bisect_right(self.starts, char) - 1, 0)

    def head(self, start: int, end: int) -> Token | None:
        """The syntactic head of the tokens covering characters [start, end)."""
        if not len(self.doc):
            return None
        first, last = self.token(start), self.token(max(end - 1, start))
        tokens = [self.doc[i] for i in range(first, last + 1)]
        return next((t for t in tokens if not first <= t.head.i <= last or t.head == t), tokens[0])

    def sentence(self, token: Token) -> Span:
        """The sentence of a token."""
        return self.sents[bisect_right(self.sent_starts, token.i) - 1]

    def content_words(self, sent: Span) -> list[str]:
        """Features of the sentence's content-word lemmas (computed once per sentence)."""
        if sent.start not in self.words:
            self.words[sent.start] = [f"w={t.lemma_.lower()}" for t in sent
                                      if t.pos_ in _CONTENT_POS and t.is_alpha and not t.is_stop]
        return self.words[sent.start]


def _inside_quote(text: str, sent: Span, char: int) -> bool:
    """Whether ``char`` lies inside a quotation of its sentence (an odd number of straight quotes, or an open curly one, before it)."""
    before = text[sent.start_char : char]
    return before.count('"') % 2 == 1 or before.count(_QUOTES_OPEN) > before.count(_QUOTES_CLOSE)


def _actor_features(side: str, ident: str | None, actors: dict[str, ActorOut], index: DocIndex, sent: Span,
                    trigger: Token) -> list[str]:
    """What kind of actor fills one role, and how its mention in the sentence hangs on the trigger."""
    if not ident:
        return [f"{side}=none"]
    actor = actors.get(ident) or cast(ActorOut, {})
    cameo = actor.get("cameo") or ""
    feats = [f"{side}=yes", f"{side}_kind={actor.get('kind')}", f"{side}_agent={cameo[3:6] or '-'}",
             f"{side}_coded={bool(cameo)}"]
    inside = [m for m in actor.get("mentions") or [] if sent.start_char <= m[0] < sent.end_char]
    if inside:
        root = index.head(*min(inside, key=lambda m: abs(m[0] - trigger.idx)))
        if root is not None:
            feats += [f"{side}_dep={root.dep_}", f"{side}_ent={root.ent_type_ or '-'}",
                      f"{side}_on_trigger={root.head == trigger}", f"{side}_before={root.i < trigger.i}"]
    return feats


def candidate_features(index: DocIndex, event: EventOut, actors: dict[str, ActorOut], rank: int, n_sentence: int) -> list[str]:
    """The string features of one candidate event (``rank``: its place by heuristic confidence among the sentence's ``n_sentence``)."""
    head = index.head(*event["trigger"])
    feats = ["bias", f"code={event['cameo']}", f"root={event['cameo'][:2]}", f"otype={event['type']}",
             f"mode={event['mode']}", f"neg={event['negated']}", f"hyp={event['hypothetical']}",
             f"attr={event['attributed_to'] is not None}", f"bg={event.get('background')}", f"dated={event['date'] is not None}",
             f"placed={event['place'] is not None}", f"hconf={round(event['confidence'] * 20)}",
             f"rank={min(rank, 3)}", f"n={min(n_sentence, 5)}",
             f"trig={index.text[event['trigger'][0]:event['trigger'][1]].lower()}"]
    if head is None:
        return feats
    sent = index.sentence(head)
    lemma = head.lemma_.lower()
    feats += [f"lem={lemma}", f"pos={head.pos_}", f"tag={head.tag_}", f"dep={head.dep_}",
              f"quoted={_inside_quote(index.text, sent, head.idx)}", f"third={3 * (head.i - sent.start) // max(len(sent), 1)}"]
    path: list[str] = []
    node = head
    while node.head != node and len(path) < 4:
        path.append(node.dep_)
        node = node.head
        feats.append(f"gov={node.lemma_.lower()}")
    feats += [f"path={'>'.join(path)}", f"depth={len(path)}", f"lem|dep={lemma}|{head.dep_}"]
    for child in head.children:
        if child.dep_ in _CHILD_DEPS:
            feats += [f"ch_{child.dep_}={child.lemma_.lower()}", f"lem|{child.dep_}={lemma}|{child.lemma_.lower()}"]
        elif child.dep_ == "prep":
            objects = [g.lemma_.lower() for g in child.children if g.dep_ == "pobj"] or ["-"]
            feats += [f"prep={child.lower_}", f"pobj={child.lower_}|{objects[0]}"]
    feats += _actor_features("src", event["source"], actors, index, sent, head)
    feats += _actor_features("tgt", event["target"], actors, index, sent, head)
    return feats + index.content_words(sent)


def hash_features(feats: list[str]) -> np.ndarray:
    """Stable 32-bit hashes of feature strings (CRC-32 of their UTF-8 bytes)."""
    return np.array([zlib.crc32(f.encode("utf-8")) for f in feats], dtype=np.uint64)


def row_indices(hashes: np.ndarray, salt: str, bits: int) -> np.ndarray:
    """Weight indices of the features joined with ``salt`` (a PLOVER type, or ``=same``)."""
    mixed = ((hashes ^ np.uint64(zlib.crc32(salt.encode("utf-8")))) * _MIX) & _MASK
    return (mixed >> np.uint64(32 - bits)).astype(np.int64)


def pair_indices(hashes: np.ndarray, scored: str, own: str, bits: int) -> np.ndarray:
    """Active weight indices when a candidate whose own type is ``own`` is scored as type ``scored``."""
    typed = row_indices(hashes, scored, bits)
    return np.concatenate([typed, row_indices(hashes, _SAME, bits)]) if scored == own else typed


class Verifier(HashedModel):
    """The shipped weights: hashed logistic regression + Platt calibration + the code used for each type."""

    what = "event verifier"

    def __init__(self, data: dict[str, Any]) -> None:
        """Validate a model's data (the dict ``load_verifier_data`` returns); ValueError says what is wrong."""
        super().__init__(data, FORMAT)

    def read(self, data: dict[str, Any]) -> None:
        """The calibration, the types and the CAMEO code of each type."""
        self.scale, self.shift = (float(v) for v in data["calibration"])
        self.types: list[str] = list(data["types"])
        self.type_codes: dict[str, str] = dict(data["type_codes"])

    def check(self) -> None:
        """Every type has its CAMEO code."""
        if set(self.type_codes) != set(self.types):
            raise ValueError("event verifier: a type without its CAMEO code")

    def probability(self, hashes: np.ndarray, scored: str, own: str) -> float:
        """Calibrated probability that the candidate is a real event of type ``scored``."""
        z = self.intercept + self.weights[pair_indices(hashes, scored, own, self.bits)].sum()
        return float(1.0 / (1.0 + np.exp(-(self.scale * z + self.shift))))

    def scores(self, hashes: np.ndarray, own: str, alternatives: bool) -> Scores:
        """The probability of the candidate's own type and, with ``alternatives``, the best other type and its probability."""
        p_own = self.probability(hashes, own, own)
        if not alternatives:
            return own, p_own, own, 0.0
        best, p_best = max(((t, self.probability(hashes, t, own)) for t in self.types if t != own), key=lambda x: x[1])
        return own, p_own, best, p_best


def decide(scores: Scores, retype_margin: float) -> tuple[str, float]:
    """The type to output and its probability: the own type, unless the other one scores more than the margin higher."""
    own, p_own, other, p_other = scores
    return (other, p_other) if p_other > p_own + retype_margin else (own, p_own)


def kept(event: EventOut, confidence: float, min_confidence: float) -> bool:
    """Whether an event stays: its confidence reaches the threshold, or it reports deaths (kept whatever its score,
    see the model card)."""
    return confidence >= min_confidence or bool(event["fatalities"])


def verify(events: list[EventOut], decisions: list[tuple[str, float]], min_confidence: float,
           codes: dict[str, tuple[str, str | None]]) -> list[EventOut]:
    """Apply each candidate's (type, probability) decision: set its confidence, re-type it, drop it below the threshold
    unless it reports deaths.

    ``codes`` maps a PLOVER type to the CAMEO code and mode a re-typed candidate takes.
    """
    out = []
    for event, (kind, p) in zip(events, decisions, strict=True):
        if not kept(event, p, min_confidence):
            continue
        event = cast(EventOut, {**event, "confidence": round(p, 3)})
        if kind != event["type"]:
            code, mode = codes[kind]
            event = cast(EventOut, {**event, "type": kind, "cameo": code, "mode": mode})
        out.append(event)
    return out


def sentence_features(doc: Doc, events: list[EventOut], actors: dict[str, ActorOut]) -> list[list[str]]:
    """Features of every candidate, ranked by heuristic confidence within its sentence."""
    by_sentence: dict[tuple[int, ...], list[int]] = {}
    for i, event in enumerate(events):
        by_sentence.setdefault(tuple(event["sentence"]), []).append(i)
    rank: dict[int, tuple[int, int]] = {}
    for members in by_sentence.values():
        for r, i in enumerate(sorted(members, key=lambda j: -events[j]["confidence"])):
            rank[i] = (r, len(members))
    index = DocIndex(doc)
    return [candidate_features(index, e, actors, *rank[i]) for i, e in enumerate(events)]


def load_verifier_data(path: Path = MODEL_PATH) -> dict[str, Any]:
    """The msgpack-safe data of a verifier file (written by ``weights.save_hashed``), validated.

    Raises:
        ValueError: the file is missing, unreadable or not a valid verifier (the message names it).
    """
    return load_hashed(path, Verifier, "event verifier")
