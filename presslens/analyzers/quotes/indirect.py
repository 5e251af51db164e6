"""Reported speech ('X warned that ...', 'according to X, ...') and the outlets that relay what others said."""

from __future__ import annotations

from spacy.tokens import Span, Token

from presslens.analyzers.quotes.context import Scan
from presslens.analyzers.quotes.cues import Cues, according_object, cue_text
from presslens.analyzers.quotes.speakers import SpeakerFinder, char_range, speaker_span
from presslens.nlp.outputs import QuoteKind, QuoteOut

Relay = tuple[int, str]  # token index of a reporting verb, the media actor reporting


class IndirectSpeech:
    """Find reported speech and mark quotes relayed through an outlet."""

    def __init__(self, cues: Cues, speakers: SpeakerFinder, relay_adverbs: frozenset[str], relay_nouns: frozenset[str]) -> None:
        self.cues = cues
        self.speakers = speakers
        self.relay_adverbs = relay_adverbs
        self.relay_nouns = relay_nouns

    def add(self, scan: Scan, quoted: list[QuoteOut], relays: list[Relay]) -> list[QuoteOut]:
        """Add reported speech to the direct and mixed quotes.

        Reported content holding direct quotes and at least two words of its own becomes one mixed
        quote in their place ('Cruz said he has had "areas of significant disagreement" with Trump').
        """
        doc, inside = scan.doc, scan.inside
        found: list[QuoteOut] = []
        for token in scan.cues:
            content = _content(token)
            if content is None:
                continue
            start, end = content
            start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            overlapping = [r for r in quoted if r["start"] < end_char and start_char < r["end"]]
            kind: QuoteKind = "indirect"
            if overlapping:
                nested = all(
                    r["kind"] == "direct" and r["start"] >= start_char - 1 and r["end"] <= end_char + 2
                    for r in overlapping
                )
                if not nested or scan.outside_words(doc[start:end]) < 2:
                    continue
                kind = "mixed"
                end_char = max(end_char, *(r["end"] for r in overlapping))
                start_char = min(start_char, *(r["start"] for r in overlapping))
                quoted = [r for r in quoted if all(r is not o for o in overlapping)]
            speaker, rng = self.speakers.speaker_of(token, scan.actors, inside)
            record = scan.quote(start_char, end_char, kind, speaker, char_range(doc, rng), cue_text(token))
            record["attributed_via"] = self.relayed_via(scan, doc[start:end], relays, record)
            (quoted if kind == "mixed" else found).append(record)
        every = quoted + found
        return quoted + [
            r for r in found if not any(o is not r and o["start"] <= r["start"] and r["end"] <= o["end"] for o in every)
        ]

    def relay_sources(self, scan: Scan) -> list[Relay]:
        """Outlets that report something, in text order: (token index, actor id)."""
        sources = []
        for token in scan.cues:
            if token.lower_ == "according":
                continue
            subject = self.speakers.subject(token, scan.inside)
            if subject is None:
                continue
            actor = scan.actors.resolve(speaker_span(subject), subject)
            if actor is not None and scan.actors.kind(actor) == "media":
                sources.append((token.i, actor))
        return sources

    def relayed_via(self, scan: Scan, span: Span, relays: list[Relay], record: QuoteOut) -> str | None:
        """The outlet relaying a quote marked as second-hand ('according to reports', 'it was reported')."""
        doc = scan.doc
        sent_start = doc[span.start].sent.start
        sent_end = doc[span.end - 1].sent.end
        marked = False
        for token in doc[sent_start:sent_end]:
            if scan.inside[token.i]:
                continue
            if token.lower_ in self.relay_adverbs:
                marked = True
            elif token.lower_ == "according":
                obj = according_object(token)
                marked = marked or (obj is not None and any(t.lemma_.lower() in self.relay_nouns for t in obj.subtree))
            elif token.lemma_ == "report" and token.pos_ == "VERB" and self.speakers.subject(token, scan.inside) is None:
                marked = True
        if not marked:
            return None
        earlier = [actor for i, actor in relays if i <= span.end and actor != record["speaker"]]
        return earlier[-1] if earlier else None


def _content(cue: Token) -> tuple[int, int] | None:
    """Token range of reported content: the cue's clausal complement, or the clause 'according to' qualifies."""
    doc = cue.doc
    if cue.lower_ == "according":
        clause = cue.head
        if clause.pos_ not in ("VERB", "AUX"):
            return None
        prep = range(cue.left_edge.i, cue.right_edge.i + 1)
        tokens = [t.i for t in clause.subtree if t.i not in prep]
    else:
        comps = [c for c in cue.children if c.dep_ == "ccomp" or (c.dep_ == "acl" and c.left_edge.lower_ == "that")]
        if cue.pos_ == "NOUN":  # only a content clause: 'the claim that ...', not 'the statement made by ...'
            comps = [c for c in comps if c.left_edge.lower_ == "that"]
        if not comps:
            return None
        tokens = [t.i for t in comps[0].subtree]
    if not tokens:
        return None
    start, end = min(tokens), max(tokens) + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return (start, end) if end - start >= 3 else None
