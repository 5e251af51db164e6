"""Claims without a source and speculated motives: agentless evaluation passives, assertion and purpose frames."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from presslens.knowledge.framing import FramingKnowledge
from presslens.nlp.outputs import FramingKind, FramingOut

_COMPLEMENTS = frozenset({"xcomp", "oprd", "ccomp", "acomp", "attr", "advcl"})
_CLIMB = frozenset({"xcomp", "acomp", "oprd"})
_LEADING = frozenset({"aux", "auxpass", "neg", "advmod"})


def token_indices(doc: Doc, wanted: dict[int, Iterable[str]]) -> list[int]:
    """Indices of the tokens whose attributes (spaCy attr id -> allowed strings) all match, found on arrays."""
    attrs: list[int | str] = [*wanted]
    array = doc.to_array(attrs).reshape(len(doc), len(attrs))
    keep = np.ones(len(doc), dtype=bool)
    for column, values in enumerate(wanted.values()):
        keep &= np.isin(array[:, column], [doc.vocab.strings.add(v) for v in values])
    return np.flatnonzero(keep).tolist()


def sentence_end(doc: Doc, i: int, limit: int) -> int:
    """The end of the sentence holding token ``i``, looking at most ``limit`` tokens ahead."""
    end = i + 1
    while end < min(len(doc), i + limit) and not doc[end].is_sent_start:
        end += 1
    return end


class ClaimFinder:
    """Unattributed claims and motive speculation, from matchers built once."""

    def __init__(self, nlp: Language, knowledge: FramingKnowledge, max_tokens: int) -> None:
        self.max_tokens = max_tokens
        self.needs = knowledge.unattributed.passive_verbs
        self.universal = knowledge.unattributed.universal_subjects
        self.knowing = frozenset(knowledge.unattributed.knowing_verbs)
        self.frames = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.frames.add("FRAME", [nlp.make_doc(f) for f in knowledge.unattributed.frames])
        self.motives = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.motives.add("DRIVE", [nlp.make_doc(f) for f in knowledge.motives.drives])
        self.motives.add("PURPOSE", [nlp.make_doc(f) for f in knowledge.motives.purposes])
        self.purpose_verbs = frozenset(knowledge.motives.purpose_verbs)

    def __call__(self, doc: Doc) -> list[FramingOut]:
        """Items of kinds ``unattributed_claim`` and ``motive_speculation`` (no voice yet)."""
        items = [self._passive(doc[i]) for i in token_indices(doc, {LEMMA: self.needs, TAG: ["VBN"]})]
        for i in token_indices(doc, {LOWER: self.universal, DEP: ["nsubj"]}):
            verb = doc[i].head
            if verb.pos_ == "VERB" and verb.lemma_ in self.knowing and verb.i > i:
                items.append(self._frame(doc[i : verb.i + 1]))
        frames = filter_spans([doc[s:e] for _, s, e in self.frames(doc)])
        items += [self._frame(span) for span in frames]
        drive = doc.vocab.strings["DRIVE"]
        motives = filter_spans([doc[s:e] for key, s, e in self.motives(doc)
                                if key == drive or (e < len(doc) and doc[e].lemma_ in self.purpose_verbs)])
        items += [self._motive(span) for span in motives]
        found = [item for item in items if item is not None]
        return [i for i in found if not any(o is not i and o["kind"] == i["kind"] and _within(i, o) for o in found)]

    def _passive(self, verb: Token) -> FramingOut | None:
        """'is widely seen as reckless': an evaluation passive with no agent, with its complement."""
        children = list(verb.children)
        if not any(c.dep_ == "auxpass" for c in children) or any(c.dep_ == "agent" for c in children):
            return None
        need = self.needs[verb.lemma_.lower()]
        after = [c for c in children if c.i > verb.i]
        if need == "any":
            complement = next((c for c in after if c.dep_ in _COMPLEMENTS or c.lower_ in ("as", "to")), None)
        else:
            complement = next((c for c in after if c.lower_ == need or (c.dep_ == "xcomp" and need == "to")), None)
            following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
            if complement is None and need == "to" and following is not None and following.lower_ == "to":
                complement = following
            if complement is None:
                return None
        leading = [c.i for c in children if c.dep_ in _LEADING and c.i < verb.i]
        start = min([verb.i, *leading])
        end = complement.right_edge.i + 1 if complement is not None else verb.i + 1
        span = verb.doc[start : min(end, start + self.max_tokens, sentence_end(verb.doc, verb.i, self.max_tokens))]
        return framing_item("unattributed_claim", span.start_char, span.end_char, span.text,
                            f"agentless passive: {verb.text} by whom?")

    def _frame(self, frame: Span) -> FramingOut:
        """'it is clear that ...': an assertion frame and the clause it presents as fact."""
        end = _trim(frame.doc, frame.end, sentence_end(frame.doc, frame.end - 1, self.max_tokens))
        span = frame.doc[frame.start : max(end, frame.end)]
        return framing_item("unattributed_claim", span.start_char, span.end_char, span.text,
                            f"'{frame.text}' presents what follows as fact without a source")

    def _motive(self, frame: Span) -> FramingOut | None:
        """'in a bid to distract voters': a purpose the writer ascribes to an actor."""
        doc = frame.doc
        purpose = frame.end if frame.end < len(doc) else None
        if purpose is None or doc[purpose].pos_ not in ("VERB", "AUX"):
            return None
        start = frame.start
        governor = frame[0].head
        if frame[0].dep_ == "prep" and governor.i < frame.start:
            while governor.dep_ in _CLIMB and governor.head.i < governor.i:
                governor = governor.head
            start = governor.i
        limit = sentence_end(doc, frame.end - 1, self.max_tokens)
        end = _trim(doc, frame.end, min(doc[purpose].right_edge.i + 1, limit, start + self.max_tokens))
        span = doc[start:end]
        return framing_item("motive_speculation", span.start_char, span.end_char, span.text,
                            f"'{frame.text}' ascribes a motive the text does not source")


def _within(inner: FramingOut, outer: FramingOut) -> bool:
    """Whether one item's span lies inside another's (the larger one is kept; an item without a span is inside none)."""
    start, end, outer_start, outer_end = inner["start"], inner["end"], outer["start"], outer["end"]
    if start is None or end is None or outer_start is None or outer_end is None:
        return False
    return outer_start <= start and end <= outer_end and (start, end) != (outer_start, outer_end)


def _trim(doc: Doc, lo: int, end: int) -> int:
    """``end`` moved back over closing punctuation and spaces (not below ``lo``)."""
    while end > lo and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end


def framing_item(kind: FramingKind, start: int | None, end: int | None, text: str | None, note: str,
                 target: str | None = None, technique: str | None = None) -> FramingOut:
    """A framing item in the outlet's voice (``presslens_framing`` decides the voice once every item is found)."""
    return {"kind": kind, "start": start, "end": end, "text": text, "target": target, "voice": "outlet", "note": note,
            "technique": technique}
