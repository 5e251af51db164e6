"""Direct and mixed quotes: the cue governing a quotation, its speaker, or the speaker the context gives."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from presslens.analyzers.quotes.context import Scan
from presslens.analyzers.quotes.cues import SUBJECTS, Cues, cue_text
from presslens.analyzers.quotes.marks import WORD, Para, Quotation, inner_text
from presslens.analyzers.quotes.speakers import SpeakerFinder, char_range, main_subject, speaker_span
from presslens.nlp.outputs import CharSpan, QuoteKind, QuoteOut

# '" ... " - Jane Doe': a dash, then up to five capitalised words (a signed quote).
_NAME_WORD = r"[A-Z][\w.'\u2019-]*"
_DASH_SIGNATURE = re.compile(rf"[\s\u00a0]*[\u2015\u2014\u2013-]+[\s\u00a0]*({_NAME_WORD}(?:[ \u00a0]{_NAME_WORD}){{0,4}})")
# A transcript turn opening a quotation: '"PENCE: Well, look ...' (an upper-case name and a colon).
_TRANSCRIPT_SPEAKER = re.compile(r"([A-Z][A-Z.'\u2019 -]{1,40}[A-Z.]):\s")
Attribution = tuple[str | None, CharSpan | None, str | None]  # speaker actor id, speaker span, cue
Previous = tuple[QuoteOut, Para]  # the last quote kept, and its paragraph


class DirectQuotes:
    """Turn one quotation into a direct or mixed quote with its speaker and cue, or drop it as a scare quote."""

    def __init__(
        self,
        cues: Cues,
        speakers: SpeakerFinder,
        *,
        min_words: int,
        min_words_uncued: int,
        max_climb: int,
        max_gap: int,
        transcript_non_speakers: frozenset[str],
    ) -> None:
        self.cues = cues
        self.speakers = speakers
        self.min_words = min_words
        self.min_words_uncued = min_words_uncued
        self.max_climb = max_climb
        self.max_gap = max_gap
        self.transcript_non_speakers = transcript_non_speakers

    def quote(self, scan: Scan, quotation: Quotation, span: Span, para: Para, previous: Previous | None) -> QuoteOut | None:
        """A direct or mixed quote for one quotation, or None for a scare quote."""
        doc, text = scan.doc, scan.text
        n_words = len(WORD.findall(text[span.start_char : span.end_char]))  # Span.text would join tokens again
        turn = _TRANSCRIPT_SPEAKER.match(text, quotation.start + 1)
        if turn is not None and turn.group(1) not in self.transcript_non_speakers:
            name = doc.char_span(turn.start(1), turn.end(1), alignment_mode="expand")
            actor = scan.actors.first_within(name.start, name.end) if name is not None else None
            return scan.quote(quotation.start, quotation.end, "direct", actor.label_ if actor else None,
                              [turn.start(1), turn.end(1)], None)
        found = self._syntactic_cue(scan, span, para)
        cue, below = found if found else (self._region_cue(scan, span, para), None)
        if cue is None and n_words >= 3:
            cue, below = self._governing_verb(scan, span, para) or (None, None)
        if cue is not None and self.cues.is_thought(cue):
            cue, below = self._outer_speech(cue, below)
        if cue is not None and below is not None and cue.lemma_ == "call" and cue.dep_ in ("ccomp", "relcl", "pcomp"):
            if any(c.tag_ == "WP" for c in cue.children) and self.cues.is_cue_like(cue.head):
                below, cue = cue, cue.head  # 'condemned what he called "a brazen breach"': the outer speaker
        start, end = quotation.start, quotation.end
        kind: QuoteKind = "direct"
        if cue is not None and below is not None:
            complement = doc[below.left_edge.i : below.right_edge.i + 1]
            if scan.outside_words(complement) >= 2 and below.dep_ not in SUBJECTS:
                kind = "mixed"
                start = min(start, complement.start_char)
                end = max(end, complement.end_char)
                while end > start and text[end - 1] in " .,;:":
                    end -= 1
        if n_words < self.min_words and not self._quoted_word_of_speech(text, quotation, cue, kind):
            return None
        if cue is None:
            return self._uncued(scan, quotation, span, para, previous, n_words, start, end)
        if n_words < 2 and kind == "direct" and cue.i < span.start:
            return None
        speaker, rng = self.speakers.speaker_of(cue, scan.actors, scan.inside)
        return scan.quote(start, end, kind, speaker, char_range(doc, rng), cue_text(cue))

    def _uncued(
        self, scan: Scan, quotation: Quotation, span: Span, para: Para, previous: Previous | None, n_words: int,
        start: int, end: int,
    ) -> QuoteOut | None:
        """A quotation no cue governs: signed after a dash, introduced before, continuing the last quote, or unattributed."""
        text = scan.text
        dashed = self._dash_speaker(scan, quotation, para)
        if dashed is not None:
            return scan.quote(start, end, "direct", *dashed, None)
        opens = not text[para[0] : quotation.start].strip()
        introduced = self._introduced(scan, para, colon=True)
        if introduced is not None:
            return scan.quote(start, end, "direct", *introduced)
        last = previous[0] if previous is not None else None
        if previous is not None and last is not None and (
            quotation.continues or previous[1] == para or _follows(text, previous[1], quotation)
        ):
            return scan.quote(start, end, "direct", last["speaker"], last["speaker_span"], last["cue"])
        lead = self._lead_in(scan, span, para)
        if lead is not None:
            return scan.quote(start, end, "direct", *lead)
        if n_words < self.min_words_uncued or quotation.start > 0 and text[quotation.start - 1].isalnum():
            return None
        introduced = self._introduced(scan, para, colon=False) if opens else None
        if introduced is None and last is not None and start - last["end"] <= self.max_gap:
            introduced = (last["speaker"], last["speaker_span"], last["cue"])
        return scan.quote(start, end, "direct", *(introduced or (None, None, None)))

    def _syntactic_cue(self, scan: Scan, q: Span, para: Para) -> tuple[Token, Token | None] | None:
        """A cue governing the quotation: (cue, the cue's child on the path to it, or None when below it)."""
        inside = scan.inside

        def near(token: Token) -> bool:
            return para[0] <= token.idx < para[1] and q.start - 15 <= token.i < q.end + 8

        for token in q:
            for child in token.children:
                if not (q.start <= child.i < q.end) and not inside[child.i] and near(child) and self.cues.is_cue(child):
                    if child.dep_ in ("ccomp", "parataxis", "conj", "advcl", "relcl"):
                        return child, None
        roots = [t for t in q if not (q.start <= t.head.i < q.end)]
        for below in sorted(roots, key=lambda t: len(list(t.ancestors))):
            node: Token = below.head
            for _ in range(self.max_climb + 1):
                if inside[node.i] or not para[0] <= node.idx < para[1]:
                    break
                if self.cues.is_cue(node):
                    return node, below
                if node.head.i == node.i:
                    break
                below, node = node, node.head
        return None

    def _governing_verb(self, scan: Scan, q: Span, para: Para) -> tuple[Token, Token] | None:
        """The verb whose object holds a quoted fragment ('Reid has gone after Trump as a "human leech"')."""
        inside = scan.inside
        roots = [t for t in q if not (q.start <= t.head.i < q.end)]
        if not roots or roots[0].head.i == roots[0].i:
            return None
        below, node = roots[0], roots[0].head
        for _ in range(self.max_climb):
            if inside[node.i] or not para[0] <= node.idx < para[1]:
                return None
            if node.pos_ == "VERB" and any(c.dep_ == "nsubj" and not inside[c.i] for c in node.children):
                return node, below
            if node.head.i == node.i:
                return None
            below, node = node, node.head
        return None

    def _region_cue(self, scan: Scan, q: Span, para: Para) -> Token | None:
        """A cue right after the quotation (', he said') or before it in the same sentence ('she said: "')."""
        doc, inside = scan.doc, scan.inside
        tail_end = min(q.end + 8, len(doc))
        for token in doc[q.end : tail_end]:
            if token.idx >= para[1] or inside[token.i] or (token.is_sent_start and token.i > q.end):
                break
            if self.cues.is_cue(token):
                return token
        sent_start = doc[q.start].sent.start if q.start < len(doc) else q.start
        for token in reversed(doc[max(sent_start, q.start - 15) : q.start]):
            if token.idx < para[0] or inside[token.i]:
                break
            if self.cues.is_cue(token):
                return token
        return None

    def _quoted_word_of_speech(self, text: str, quotation: Quotation, cue: Token | None, kind: str) -> bool:
        """A one-word quotation is speech when it ends a sentence or a clause a cue follows, or a speech verb's content holds it.

        'said it would be "improper"' quotes the speaker; 'thinks cats are "cuties"' and a quoted
        word with no speech verb ('Photographs of 'children'') are scare quotes.
        """
        if inner_text(text, quotation).rstrip()[-1:] in ",.!?":
            return True
        if cue is not None and cue.idx > quotation.end and text[quotation.end : quotation.end + 1] == ",":
            return self.cues.is_speech(cue)  # '"Hello", he said.'
        return kind == "mixed" and cue is not None and self.cues.is_speech(cue)

    def _outer_speech(self, cue: Token, below: Token | None) -> tuple[Token, Token | None]:
        """The speech verb governing a thought verb ('she said she believed "..."'), with its child on the path."""
        node = cue
        for _ in range(self.max_climb):
            for aside in node.children if node is not cue else ():  # 'Obama said, most have come to believe "..."'
                if aside.dep_ == "parataxis" and self.cues.is_speech(aside):
                    return aside, None
            if node.dep_ not in ("ccomp", "parataxis", "xcomp", "conj", "advcl") or node.head.i == node.i:
                break
            node, child = node.head, node
            if self.cues.is_speech(node):
                return node, child if below is not None else None
        return cue, below

    def _dash_speaker(self, scan: Scan, quotation: Quotation, para: Para) -> tuple[str | None, CharSpan] | None:
        """A name signed after a dash ('"..." - Jane Doe'): its actor id and character span."""
        match = _DASH_SIGNATURE.match(scan.text, quotation.end, para[1])
        if match is None:
            return None
        span = scan.doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        actor = scan.actors.first_within(span.start, span.end) if span is not None else None
        return (actor.label_ if actor else None), [match.start(1), match.end(1)]

    def _introduced(self, scan: Scan, para: Para, colon: bool) -> Attribution | None:
        """Speaker, speaker span and cue from the previous paragraph's last sentence.

        With ``colon``, that paragraph must end in a colon ('He said:'), and a sentence without a
        cue gives its subject; otherwise the last sentence must hold a cue ('..., she said.').
        """
        doc, inside = scan.doc, scan.inside
        before = scan.text[: para[0]].rstrip()
        if not before or before.endswith(":") != colon:
            return None
        last = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        if last is None:
            return None
        sent = doc[last.start].sent
        cues = [t for t in sent if not inside[t.i] and self.cues.is_cue(t)]
        if cues:
            speaker, rng = self.speakers.speaker_of(cues[-1], scan.actors, inside)
            return speaker, char_range(doc, rng), cue_text(cues[-1])
        if not colon:
            return None
        subject = main_subject(sent)
        rng = speaker_span(subject) if subject is not None else None
        speaker = scan.actors.resolve(rng, subject) if rng and subject is not None else None
        return speaker, char_range(doc, rng), None

    def _lead_in(self, scan: Scan, span: Span, para: Para) -> Attribution | None:
        """Speaker of a cue ending the sentence a quotation follows in its paragraph ('..., Schiff said. "..."')."""
        doc, inside = scan.doc, scan.inside
        if span.start == 0:
            return None
        sent = doc[span.start - 1].sent
        if sent.start_char < para[0] or scan.text[sent.end_char : span.start_char].strip():
            return None
        cues = [t for t in sent if not inside[t.i] and self.cues.is_cue(t)]
        if not cues or any(inside[t.i] for t in doc[cues[-1].i : sent.end]):
            return None
        speaker, rng = self.speakers.speaker_of(cues[-1], scan.actors, inside)
        return speaker, char_range(doc, rng), cue_text(cues[-1])


def _follows(text: str, previous_para: Para, quotation: Quotation) -> bool:
    """Whether a quotation opens the paragraph right after the previous quote's paragraph."""
    gap = text[previous_para[1] : quotation.start]
    return "\n" in gap and not gap.strip()
