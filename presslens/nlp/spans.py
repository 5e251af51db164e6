"""Character spans of spaCy objects as presslens records them."""

from __future__ import annotations

from spacy.tokens import Span


def sentence_span(sent: Span) -> tuple[int, int]:
    """A sentence's character span without the whitespace tokens spaCy attaches to it."""
    tokens = [t for t in sent if not t.is_space] or list(sent)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])
