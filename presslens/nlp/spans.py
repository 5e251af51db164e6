"""Character spans of spaCy objects as presslens records them."""

from __future__ import annotations

from spacy.tokens import Span


def sentence_span(sent: Span) -> tuple[int, int]:
    """A sentence's character span without the whitespace tokens spaCy attaches to it."""
    doc, start, end = sent.doc, sent.start, sent.end
    first = next((i for i in range(start, end) if not doc[i].is_space), None)
    if first is None:  # only whitespace: the whole span
        first, last = start, end - 1
    else:
        last = next(i for i in range(end - 1, first - 1, -1) if not doc[i].is_space)
    return doc[first].idx, doc[last].idx + len(doc[last])
