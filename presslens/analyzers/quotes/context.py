"""What one call of the quotes component knows about its Doc, passed down instead of kept on the component."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from presslens.analyzers.quotes.mentions import ActorIndex
from presslens.nlp.outputs import CharSpan, QuoteKind, QuoteOut

_MARKERS = frozenset({"mark", "aux", "punct", "cc", "advmod"})


@dataclass(frozen=True)
class Scan:
    """One Doc under analysis, each part computed once per call.

    Its text (``Doc.text`` joins every token), which tokens lie inside quotation marks, its actors,
    and the speech cues outside quotation marks in text order.
    """

    doc: Doc
    text: str
    inside: list[bool]
    actors: ActorIndex
    cues: list[Token]

    def quote(
        self, start: int, end: int, kind: QuoteKind, speaker: str | None, speaker_span: CharSpan | None, cue: str | None
    ) -> QuoteOut:
        """A quote of this Doc (not yet marked as relayed)."""
        return {
            "start": start,
            "end": end,
            "text": self.text[start:end],
            "kind": kind,
            "speaker": speaker,
            "speaker_span": speaker_span,
            "cue": cue,
            "attributed_via": None,
        }

    def outside_words(self, tokens: Span) -> int:
        """Words of a complement outside any quotation (its 'that'/'to' markers not counted)."""
        return sum(1 for t in tokens if not self.inside[t.i] and t.is_alpha and t.dep_ not in _MARKERS)
