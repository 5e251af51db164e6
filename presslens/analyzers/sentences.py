"""Sentence bounds of a Doc that also work without sentence boundaries (spaCy's ``doc.sents`` raises E030 then)."""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.tokens import Doc


def has_sentences(doc: Doc) -> bool:
    """``doc.has_annotation("SENT_START")`` without making a Token per word (it is asked once per mention)."""
    return len(doc) > 1 and bool((doc.to_array(SENT_START)[1:] == 1).any())


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token (start, end) of each sentence; a Doc no component segmented is one sentence, an empty Doc none."""
    if not len(doc):
        return []
    if not has_sentences(doc):
        return [(0, len(doc))]
    return [(sent.start, sent.end) for sent in doc.sents]


def sentence_text(doc: Doc, start: int, end: int) -> str:
    """The text of the sentence holding the tokens ``start:end`` (the whole Doc when it has no boundaries)."""
    if not has_sentences(doc):
        return doc.text
    return doc[start:end].sent.text
