"""presslens_quotes: direct, mixed and indirect quotes with their speaker, cue and relaying source."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

import presslens.nlp.extensions  # noqa: F401  (registers the Doc extensions this component reads)
from presslens.knowledge.quotes import QuoteKnowledge, load_quote_knowledge

SPAN_KEY = "presslens_quotes"
_OPEN = "\u201c\u201e\u00ab"  # “ „ «
_CLOSE = "\u201d\u00bb"  # ” »
_SINGLE_OPEN = "\u2018"  # ‘
_SINGLE_CLOSE = "\u2019"  # ’
_OPEN_CONTEXT = " \t([{/\u2014\u2013-"
_WORD = re.compile(r"\w+")
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "in", "on", "for", "to", "at", "by", "with", "or", "de", "al"})
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep", "acl", "relcl"})
# '" ... " - Jane Doe': a dash, then up to five capitalised words (a signed quote).
_NAME_WORD = r"[A-Z][\w.'\u2019-]*"
_DASH_SIGNATURE = re.compile(rf"[\s\u00a0]*[\u2015\u2014\u2013-]+[\s\u00a0]*({_NAME_WORD}(?:[ \u00a0]{_NAME_WORD}){{0,4}})")
# A transcript turn opening a quotation: '"PENCE: Well, look ...' (an upper-case name and a colon).
_TRANSCRIPT_SPEAKER = re.compile(r"([A-Z][A-Z.'\u2019 -]{1,40}[A-Z.]):\s")
_SPAN_BREAKS = frozenset("\u2015\u2014\u2013,;:()[]\"\u201c\u201d")
_NOMINAL = frozenset({"PROPN", "NOUN", "PRON"})
_SOURCE_PREPS = frozenset({"by", "from", "of"})
_MARKERS = frozenset({"mark", "aux", "punct", "cc", "advmod"})


@dataclass(frozen=True)
class Quotation:
    """Text between quotation marks (marks included); ``closed`` is False when a paragraph ended first."""

    start: int
    end: int
    closed: bool
    continues: bool


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of the text's lines (a newline ends a paragraph)."""
    ranges, start = [], 0
    for match in re.finditer(r"\n", text):
        ranges.append((start, match.start()))
        start = match.end()
    ranges.append((start, len(text)))
    return [(s, e) for s, e in ranges if text[s:e].strip()]


def _mark_role(text: str, i: int, lo: int, hi: int, single: bool) -> str | None:
    """Whether the mark at ``i`` opens or closes a quotation (None: not a quotation mark here)."""
    ch = text[i]
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    if single:
        if ch == _SINGLE_OPEN or (ch == "'" and prev in _OPEN_CONTEXT):
            return "open" if nxt.isalnum() else None
        if ch in (_SINGLE_CLOSE, "'") and not prev.isspace() and not nxt.isalnum():
            return "close"
        return None
    if ch in _OPEN:
        return "open"
    if ch in _CLOSE:
        return "open" if prev in _OPEN_CONTEXT and nxt.isalnum() and i == lo else "close"
    if ch == '"':
        return "open" if prev in _OPEN_CONTEXT and not nxt.isspace() else "close"
    return None


def scan_paragraph(text: str, lo: int, hi: int, single: bool) -> list[Quotation]:
    """Quotations of one paragraph; an opening mark never closed ends at the next opener or the paragraph end."""
    marks = (_SINGLE_OPEN + _SINGLE_CLOSE + "'") if single else (_OPEN + _CLOSE + '"')
    found: list[Quotation] = []
    open_at: int | None = None
    nested = 0
    for i in range(lo, hi):
        if text[i] not in marks:
            continue
        role = _mark_role(text, i, lo, hi, single)
        if role == "open" and open_at is not None and text[i] in _OPEN and text[open_at] in _OPEN:
            nested += 1  # “...“inner”...”: curly marks nest
        elif role == "open":
            if open_at is not None and not single:
                found.append(Quotation(open_at, len(text[open_at:i].rstrip()) + open_at, False, False))
            if open_at is None or not single:
                open_at = i
        elif role == "close" and nested:
            nested -= 1
        elif role == "close" and open_at is not None:
            found.append(Quotation(open_at, i + 1, True, False))
            open_at = None
    if open_at is not None and not single:
        found.append(Quotation(open_at, len(text[open_at:hi].rstrip()) + open_at, False, False))
    return found


def find_quotations(text: str) -> list[Quotation]:
    """Double-quoted passages of every paragraph (single quotes where a paragraph has no double ones).

    A paragraph that opens with a quotation while the previous paragraph's last quotation was left
    open continues it (news style), which ``continues`` records.
    """
    result: list[Quotation] = []
    last_open = False
    for lo, hi in paragraph_ranges(text):
        double = any(ch in text[lo:hi] for ch in _OPEN + _CLOSE + '"')
        found = scan_paragraph(text, lo, hi, single=not double)
        starts_quoted = bool(found) and not text[lo : found[0].start].strip()
        if found and last_open and starts_quoted:
            first = found[0]
            found[0] = Quotation(first.start, first.end, first.closed, True)
        result.extend(found)
        last_open = bool(found) and not found[-1].closed
    return result


def _words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [w.lower() for w in _WORD.findall(text)]


def _animate(token: Token) -> bool:
    """A person-like noun phrase head: a name, a pronoun, or a person/organisation entity."""
    if token.pos_ in ("PROPN", "PRON") or token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return any(c.dep_ in ("compound", "appos", "flat") and c.pos_ == "PROPN" for c in token.children)


def _name_before_participle(cue: Token, inside: list[bool]) -> Token | None:
    """The name right before a participle cue with no person as subject ('footage of Jane Doe asking, "..."')."""
    if cue.tag_ != "VBG" or cue.i == 0 or any(c.dep_ in _SUBJECTS and _animate(c) for c in cue.children):
        return None
    before = cue.doc[cue.i - 1]
    if before.pos_ != "PROPN" or inside[before.i] or before.ent_type_ in ("DATE", "TIME"):
        return None
    return before


def _is_mark(token: Token) -> bool:
    """Punctuation or a dash the parser mistook for a word."""
    return not any(ch.isalnum() for ch in token.text)


def _char_range(doc: Doc, tokens: tuple[int, int] | None) -> list[int] | None:
    """Character offsets of a token range."""
    if tokens is None:
        return None
    last = doc[tokens[1] - 1]
    return [doc[tokens[0]].idx, last.idx + len(last)]


def is_title(inner: str, max_words: int) -> bool:
    """An all-capitalised short phrase without closing punctuation: a name or title, not speech."""
    words = _WORD.findall(inner)
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content or len(words) > max_words or inner.rstrip()[-1:] in ".!?":
        return False
    return all(w[0].isupper() or w[0].isdigit() for w in content)


class QuoteFinder:
    """Find quotations and reported speech, attribute them to actors, and note relayed sources."""

    def __init__(self, name: str, min_words: int, min_words_uncued: int, max_climb: int, max_gap: int) -> None:
        self.name = name
        self.max_gap = max_gap
        self.min_words = min_words
        self.min_words_uncued = min_words_uncued
        self.max_climb = max_climb
        self.knowledge: QuoteKnowledge = load_quote_knowledge()
        self.cues = self.knowledge.cue_lemmas
        self.relay_nouns = frozenset(self.knowledge.relay_nouns)
        self.cue_nouns = frozenset(self.knowledge.cue_nouns)
        self.thought_verbs = frozenset(self.knowledge.thought_verbs)
        self._text = ""  # the text of the Doc being processed

    # ---- cues and speakers -------------------------------------------------------------

    def _is_cue(self, token: Token) -> bool:
        """Whether a token is a speech cue: a cue verb (with its particle where required) or 'according'."""
        if token.lower_ == "according":
            return token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to"
        if token.pos_ == "NOUN":
            return token.lemma_.lower() in self.cue_nouns
        if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in self.cues:
            return False
        particles = self.knowledge.particles.get(token.lemma_.lower(), [])
        if token.lemma_.lower() in self.knowledge.particle_required:
            return any(child.dep_ == "prt" and child.lower_ in particles for child in token.children)
        return True

    def _is_cue_like(self, token: Token) -> bool:
        """A cue, or any verb with a subject (the outer verb of 'denounced what X called "..."')."""
        return self._is_cue(token) or (token.pos_ == "VERB" and any(c.dep_ in _SUBJECTS for c in token.children))

    def _according_object(self, cue: Token) -> Token | None:
        """The object of 'according to X'."""
        for to in [*cue.children, *(cue.doc[cue.i + 1 : cue.i + 2])]:
            if to.lower_ == "to":
                for child in to.children:
                    if child.dep_ == "pobj":
                        return child
        return None

    def _subject(self, cue: Token, inside: list[bool]) -> Token | None:
        """The speaking subject of a cue verb (climbing conjunctions and complements; passive agents).

        A "subject" inside a quotation is the parser mistaking the quote for the sentence; the
        speaker is then the noun next to the cue ('"...," said Jane Doe', '"...," the mayor said').
        """
        named = _name_before_participle(cue, inside)
        if named is not None:
            return named
        verb: Token | None = cue
        for _ in range(self.max_climb + 1):
            if verb is None:
                break
            if inside[verb.i] and cue.tag_ == "VBG":
                controller = self._participle_controller(cue, inside)
                if controller is not None:
                    return controller
            for child in verb.children:
                if child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            subjects = [c for c in verb.children if (c.dep_ in _SUBJECTS or c.dep_ == "expl") and not _is_mark(c)]
            if subjects and self._misparsed(subjects[0], verb, inside):
                return self._adjacent_noun(cue, inside)
            if subjects:
                subject = subjects[0]
                if subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                    return verb.head
                if subject.lower_ == "it" and (subject.dep_ in ("nsubjpass", "expl") or verb.lemma_ == "report"):
                    return None
                return subject
            if verb.dep_ == "acl" and verb.tag_ == "VBG" and _animate(verb.head):
                return verb.head  # 'footage of Jane Doe asking, "..."'
            if verb.dep_ not in _CLIMB_DEPS or verb.head.i == verb.i:
                break
            objects = [c for c in verb.head.children if c.dep_ == "dobj"] if verb.dep_ == "xcomp" else []
            if objects and objects[0].i < verb.i and _animate(objects[0]):
                return objects[0]  # object control: 'led the journalist to fear ...'
            verb = verb.head
        return self._adjacent_noun(cue, inside)

    def _participle_controller(self, cue: Token, inside: list[bool]) -> Token | None:
        """The subject of the nearest earlier clause for a subjectless participle cue ('X said, adding "..."')."""
        for token in reversed(cue.doc[max(cue.sent.start, cue.i - 25) : cue.i]):
            if inside[token.i] or "\n" in token.text:
                break
            if token.pos_ in ("VERB", "AUX"):
                subjects = [c for c in token.children if c.dep_ in _SUBJECTS and not inside[c.i]]
                if subjects:
                    return subjects[0]
        return None

    def _misparsed(self, subject: Token, verb: Token, inside: list[bool]) -> bool:
        """A 'subject' inside a quotation, a punctuation mark, or in another paragraph than its verb."""
        between = verb.doc[min(subject.i, verb.i) : max(subject.i, verb.i)].text
        return inside[subject.i] or subject.is_punct or "\n" in between

    def _adjacent_noun(self, cue: Token, inside: list[bool]) -> Token | None:
        """The first name between a quotation and its cue, the noun right before the cue, or the name after it."""
        doc = cue.doc
        first = cue.i
        while first > 0 and not inside[first - 1] and "\n" not in doc[first - 1].text and cue.i - first < 12:
            first -= 1
        if first > 0 and first < cue.i:
            for token in doc[first : cue.i]:
                if token.pos_ in ("PROPN", "PRON") or (token.pos_ == "NOUN" and token.i == cue.i - 1):
                    head = token
                    while head.i + 1 < cue.i and doc[head.i + 1].pos_ == "PROPN":
                        head = doc[head.i + 1]
                    return head
        before = doc[cue.i - 1] if cue.i > 0 else None
        if before is not None and not inside[before.i] and before.pos_ in _NOMINAL:
            head = before
            while head.head.i != head.i and head.dep_ in ("compound", "flat") and head.head.i < cue.i:
                head = head.head
            return head
        after = cue.i + 1
        while after < len(doc) and not inside[after] and doc[after].pos_ in ("DET", "ADJ"):
            after += 1
        if after < len(doc) and not inside[after] and doc[after].pos_ in _NOMINAL:
            head = doc[after]
            while head.i + 1 < len(doc) and doc[head.i + 1].pos_ == "PROPN" and not inside[head.i + 1]:
                head = doc[head.i + 1]
            return head
        return None

    def _main_subject(self, sent: Span) -> Token | None:
        """The subject of a sentence's root (the speaker of 'it was reported that ...' on its behalf)."""
        root = sent.root
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ != "it":
                return child
        return None

    def _speaker_span(self, head: Token) -> tuple[int, int]:
        """Token range of a speaker's noun phrase: its left part up to the head (no trailing clauses)."""
        start = head.left_edge.i
        for j in range(start, head.i):
            token = head.doc[j]
            if token.is_space or "\n" in token.text or token.text in _SPAN_BREAKS:
                start = j + 1
        return start, head.i + 1

    def _speaker_of(
        self, cue: Token, actors: ActorIndex, inside: list[bool]
    ) -> tuple[str | None, tuple[int, int] | None]:
        """Speaker actor id and speaker token range of a cue (the sentence's subject for 'it was reported')."""
        if cue.lower_ == "according":
            obj = self._according_object(cue)
            if obj is None:
                return None, None
            named = actors.first_within(obj.left_edge.i, obj.right_edge.i + 1, under=obj)
            if named is not None:
                return named.label_, (named.start, named.end)
            return None, self._speaker_span(obj)
        owner = next((c for c in cue.children if c.dep_ == "poss"), None) if cue.pos_ == "NOUN" else None
        subject = owner or self._subject(cue.head if cue.pos_ == "NOUN" else cue, inside)
        if subject is None:
            subject = self._main_subject(cue.sent)
            if subject is None or subject.i > cue.i:
                return None, None
        rng = self._speaker_span(subject)
        return actors.resolve(rng, subject), rng

    # ---- direct and mixed quotes ------------------------------------------------------

    def _syntactic_cue(
        self, q: Span, inside: list[bool], para: tuple[int, int]
    ) -> tuple[Token, Token | None] | None:
        """A cue governing the quotation: (cue, the cue's child on the path to it, or None when below it)."""

        def near(token: Token) -> bool:
            return para[0] <= token.idx < para[1] and q.start - 15 <= token.i < q.end + 8

        for token in q:
            for child in token.children:
                if not (q.start <= child.i < q.end) and not inside[child.i] and near(child) and self._is_cue(child):
                    if child.dep_ in ("ccomp", "parataxis", "conj", "advcl", "relcl"):
                        return child, None
        roots = [t for t in q if not (q.start <= t.head.i < q.end)]
        for below in sorted(roots, key=lambda t: len(list(t.ancestors))):
            node: Token = below.head
            for _ in range(self.max_climb + 1):
                if inside[node.i] or not para[0] <= node.idx < para[1]:
                    break
                if self._is_cue(node):
                    return node, below
                if node.head.i == node.i:
                    break
                below, node = node, node.head
        return None

    def _governing_verb(self, q: Span, inside: list[bool], para: tuple[int, int]) -> tuple[Token, Token] | None:
        """The verb whose object holds a quoted fragment ('Reid has gone after Trump as a "human leech"')."""
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

    def _region_cue(self, doc: Doc, q: Span, inside: list[bool], para: tuple[int, int]) -> Token | None:
        """A cue right after the quotation (', he said') or before it in the same sentence ('she said: "')."""
        tail_end = min(q.end + 8, len(doc))
        for token in doc[q.end : tail_end]:
            if token.idx >= para[1] or inside[token.i] or (token.is_sent_start and token.i > q.end):
                break
            if self._is_cue(token):
                return token
        sent_start = doc[q.start].sent.start if q.start < len(doc) else q.start
        for token in reversed(doc[max(sent_start, q.start - 15) : q.start]):
            if token.idx < para[0] or inside[token.i]:
                break
            if self._is_cue(token):
                return token
        return None

    def _outside_words(self, tokens: Span, inside: list[bool]) -> int:
        """Words of a complement outside any quotation (its 'that'/'to' markers not counted)."""
        return sum(1 for t in tokens if not inside[t.i] and t.is_alpha and t.dep_ not in _MARKERS)

    # ---- main -------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.spans["presslens_quotes"]`` and ``doc._.presslens_quotes`` (sorted by start)."""
        self._text = doc.text  # Doc.text joins every token: read it once per call
        actors = ActorIndex(doc, self.knowledge)
        paragraphs = paragraph_ranges(self._text)
        quotations = [q for q in find_quotations(self._text) if self._is_speech_like(self._text, q)]
        inside = [False] * len(doc)
        spans: list[tuple[Quotation, Span]] = []
        for quotation in quotations:
            span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            spans.append((quotation, span))
            for i in range(span.start, span.end):
                inside[i] = True
        relays = self._relay_sources(doc, inside, actors)
        records: list[dict] = []
        previous: dict | None = None
        for quotation, span in spans:
            para = next(p for p in paragraphs if p[0] <= quotation.start < p[1])
            record = self._direct(doc, quotation, span, inside, para, actors, previous)
            if record is None:
                continue
            record["attributed_via"] = self._relayed_via(doc, span, inside, relays, record)
            records.append(record)
            previous = record | {"_para": para}
        records = self._indirect(doc, inside, records, actors, relays)
        records.sort(key=lambda r: (r["start"], r["end"]))
        for record in records:
            record.pop("_cue_i", None)
        doc._.presslens_quotes = records
        spans_out = (doc.char_span(r["start"], r["end"], label=r["kind"], alignment_mode="expand") for r in records)
        doc.spans[SPAN_KEY] = [span for span in spans_out if span is not None]
        return doc

    def _is_speech_like(self, text: str, quotation: Quotation) -> bool:
        """Drop empty quotations, names and titles before any attribution (scare quotes go in ``_direct``)."""
        inner = text[quotation.start + 1 : quotation.end - (1 if quotation.closed else 0)]
        return bool(_WORD.search(inner)) and not is_title(inner, self.knowledge.title_words_max)

    def _direct(
        self,
        doc: Doc,
        quotation: Quotation,
        span: Span,
        inside: list[bool],
        para: tuple[int, int],
        actors: ActorIndex,
        previous: dict | None,
    ) -> dict | None:
        """A direct or mixed quote record for one quotation, or None for a scare quote."""
        n_words = len(_WORD.findall(span.text))
        turn = _TRANSCRIPT_SPEAKER.match(self._text, quotation.start + 1)
        if turn is not None and turn.group(1) not in self.knowledge.transcript_non_speakers:
            name = doc.char_span(turn.start(1), turn.end(1), alignment_mode="expand")
            actor = actors.first_within(name.start, name.end) if name is not None else None
            return self._record(doc, quotation.start, quotation.end, "direct", actor.label_ if actor else None,
                                [turn.start(1), turn.end(1)], None, None)
        found = self._syntactic_cue(span, inside, para)
        cue, below = found if found else (self._region_cue(doc, span, inside, para), None)
        if cue is None and n_words >= 3:
            cue, below = self._governing_verb(span, inside, para) or (None, None)
        if cue is not None and cue.lemma_.lower() in self.thought_verbs:
            cue, below = self._outer_speech(cue, below)
        if cue is not None and below is not None and cue.lemma_ == "call" and cue.dep_ in ("ccomp", "relcl", "pcomp"):
            if any(c.tag_ == "WP" for c in cue.children) and self._is_cue_like(cue.head):
                below, cue = cue, cue.head  # 'condemned what he called "a brazen breach"': the outer speaker
        start, end, kind = quotation.start, quotation.end, "direct"
        if cue is not None and below is not None:
            complement = doc[below.left_edge.i : below.right_edge.i + 1]
            if self._outside_words(complement, inside) >= 2 and below.dep_ not in _SUBJECTS:
                kind = "mixed"
                start = min(start, complement.start_char)
                end = max(end, complement.end_char)
                while end > start and self._text[end - 1] in " .,;:":
                    end -= 1
        if n_words < self.min_words and not self._quoted_word_of_speech(doc, quotation, cue, kind):
            return None
        if cue is None:
            dashed = self._dash_speaker(doc, quotation, para, actors)
            if dashed is not None:
                return self._record(doc, start, end, "direct", dashed[0], dashed[1], None, None)
            opens = not self._text[para[0] : quotation.start].strip()
            introduced = self._introduced(doc, para, inside, actors, colon=True)
            if introduced is not None:
                return self._record(doc, start, end, "direct", *introduced)
            inherits = previous is not None and (
                quotation.continues or previous["_para"] == para or self._follows(self._text, previous, quotation)
            )
            if inherits and previous is not None:
                return self._record(doc, start, end, "direct", previous["speaker"], previous["speaker_span"],
                                    previous["cue"], previous.get("_cue_i"))
            lead = self._lead_in(doc, span, inside, para, actors)
            if lead is not None:
                return self._record(doc, start, end, "direct", *lead)
            if n_words < self.min_words_uncued or quotation.start > 0 and self._text[quotation.start - 1].isalnum():
                return None
            introduced = self._introduced(doc, para, inside, actors, colon=False) if opens else None
            if introduced is None and previous is not None and start - previous["end"] <= self.max_gap:
                introduced = (previous["speaker"], previous["speaker_span"], previous["cue"], previous.get("_cue_i"))
            return self._record(doc, start, end, "direct", *(introduced or (None, None, None, None)))
        if n_words < 2 and kind == "direct" and cue.i < span.start:
            return None
        speaker, rng = self._speaker_of(cue, actors, inside)
        speaker_span = _char_range(doc, rng)
        return self._record(doc, start, end, kind, speaker, speaker_span, self._cue_text(cue), cue.i)

    def _quoted_word_of_speech(self, doc: Doc, quotation: Quotation, cue: Token | None, kind: str) -> bool:
        """A one-word quotation is speech when it ends a sentence or a clause a cue follows, or a speech verb's content holds it.

        'said it would be "improper"' quotes the speaker; 'thinks cats are "cuties"' and a quoted
        word with no speech verb ('Photographs of 'children'') are scare quotes.
        """
        inner = self._text[quotation.start + 1 : quotation.end - (1 if quotation.closed else 0)]
        if inner.rstrip()[-1:] in ",.!?":
            return True
        if cue is not None and cue.idx > quotation.end and self._text[quotation.end : quotation.end + 1] == ",":
            return self._is_speech(cue)  # '"Hello", he said.'
        return kind == "mixed" and cue is not None and self._is_speech(cue)

    def _outer_speech(self, cue: Token, below: Token | None) -> tuple[Token, Token | None]:
        """The speech verb governing a thought verb ('she said she believed "..."'), with its child on the path."""
        node = cue
        for _ in range(self.max_climb):
            for aside in node.children if node is not cue else ():  # 'Obama said, most have come to believe "..."'
                if aside.dep_ == "parataxis" and self._is_speech(aside):
                    return aside, None
            if node.dep_ not in ("ccomp", "parataxis", "xcomp", "conj", "advcl") or node.head.i == node.i:
                break
            node, child = node.head, node
            if self._is_speech(node):
                return node, child if below is not None else None
        return cue, below

    def _is_speech(self, token: Token) -> bool:
        """A cue that is not a verb of thinking."""
        return self._is_cue(token) and token.lemma_.lower() not in self.thought_verbs

    def _dash_speaker(
        self, doc: Doc, quotation: Quotation, para: tuple[int, int], actors: ActorIndex
    ) -> tuple[str | None, list[int]] | None:
        """A name signed after a dash ('"..." - Jane Doe'): its actor id and character span."""
        match = _DASH_SIGNATURE.match(self._text, quotation.end, para[1])
        if match is None:
            return None
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        actor = actors.first_within(span.start, span.end) if span is not None else None
        return (actor.label_ if actor else None), [match.start(1), match.end(1)]

    def _introduced(
        self, doc: Doc, para: tuple[int, int], inside: list[bool], actors: ActorIndex, colon: bool
    ) -> tuple[str | None, list[int] | None, str | None, int | None] | None:
        """Speaker, speaker span, cue and cue index from the previous paragraph's last sentence.

        With ``colon``, that paragraph must end in a colon ('He said:'), and a sentence without a
        cue gives its subject; otherwise the last sentence must hold a cue ('..., she said.').
        """
        before = self._text[: para[0]].rstrip()
        if not before or before.endswith(":") != colon:
            return None
        last = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        if last is None:
            return None
        sent = doc[last.start].sent
        cues = [t for t in sent if not inside[t.i] and self._is_cue(t)]
        if cues:
            speaker, rng = self._speaker_of(cues[-1], actors, inside)
            cue_text, cue_i = self._cue_text(cues[-1]), cues[-1].i
        elif not colon:
            return None
        else:
            subject = self._main_subject(sent)
            rng = self._speaker_span(subject) if subject is not None else None
            speaker = actors.resolve(rng, subject) if rng and subject is not None else None
            cue_text, cue_i = None, None
        speaker_span = _char_range(doc, rng)
        return speaker, speaker_span, cue_text, cue_i

    def _lead_in(
        self, doc: Doc, span: Span, inside: list[bool], para: tuple[int, int], actors: ActorIndex
    ) -> tuple[str | None, list[int] | None, str | None, int | None] | None:
        """Speaker of a cue ending the sentence a quotation follows in its paragraph ('..., Schiff said. "..."')."""
        if span.start == 0:
            return None
        sent = doc[span.start - 1].sent
        if sent.start_char < para[0] or self._text[sent.end_char : span.start_char].strip():
            return None
        cues = [t for t in sent if not inside[t.i] and self._is_cue(t)]
        if not cues or any(inside[t.i] for t in doc[cues[-1].i : sent.end]):
            return None
        speaker, rng = self._speaker_of(cues[-1], actors, inside)
        speaker_span = _char_range(doc, rng)
        return speaker, speaker_span, self._cue_text(cues[-1]), cues[-1].i

    def _follows(self, text: str, previous: dict, quotation: Quotation) -> bool:
        """Whether a quotation opens the paragraph right after the previous quote's paragraph."""
        gap = text[previous["_para"][1] : quotation.start]
        return "\n" in gap and not gap.strip()

    def _cue_text(self, cue: Token) -> str:
        """The cue as written: the verb with its particle ('pointed out'), or 'according to'."""
        if cue.lower_ == "according":
            return f"{cue.text} to"
        particles = [c.text for c in cue.children if c.dep_ == "prt"]
        return " ".join([cue.text, *particles])

    def _record(
        self,
        doc: Doc,
        start: int,
        end: int,
        kind: str,
        speaker: str | None,
        speaker_span: list[int] | None,
        cue: str | None,
        cue_i: int | None,
    ) -> dict:
        """A quote dict with the fields of ``record.models.Quote``."""
        return {
            "start": start,
            "end": end,
            "text": self._text[start:end],
            "kind": kind,
            "speaker": speaker,
            "speaker_span": speaker_span,
            "cue": cue,
            "attributed_via": None,
            "_cue_i": cue_i,
        }

    # ---- indirect speech and relays -----------------------------------------------------

    def _indirect(
        self, doc: Doc, inside: list[bool], quoted: list[dict], actors: ActorIndex, relays: list[tuple[int, str]]
    ) -> list[dict]:
        """Add reported speech ('X warned that ...', 'according to X, ...') to the direct and mixed quotes.

        Reported content holding direct quotes and at least two words of its own becomes one mixed
        quote in their place ('Cruz said he has had "areas of significant disagreement" with Trump').
        """
        found: list[dict] = []
        for token in doc:
            if inside[token.i] or not self._is_cue(token):
                continue
            content = self._indirect_content(token)
            if content is None:
                continue
            start, end = content
            start_char, end_char = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            overlapping = [r for r in quoted if r["start"] < end_char and start_char < r["end"]]
            kind = "indirect"
            if overlapping:
                nested = all(
                    r["kind"] == "direct" and r["start"] >= start_char - 1 and r["end"] <= end_char + 2
                    for r in overlapping
                )
                if not nested or self._outside_words(doc[start:end], inside) < 2:
                    continue
                kind = "mixed"
                end_char = max(end_char, *(r["end"] for r in overlapping))
                start_char = min(start_char, *(r["start"] for r in overlapping))
                quoted = [r for r in quoted if all(r is not o for o in overlapping)]
            speaker, rng = self._speaker_of(token, actors, inside)
            speaker_span = _char_range(doc, rng)
            cue_text = self._cue_text(token)
            record = self._record(doc, start_char, end_char, kind, speaker, speaker_span, cue_text, token.i)
            record["attributed_via"] = self._relayed_via(doc, doc[start:end], inside, relays, record)
            (quoted if kind == "mixed" else found).append(record)
        every = quoted + found
        return quoted + [
            r for r in found if not any(o is not r and o["start"] <= r["start"] and r["end"] <= o["end"] for o in every)
        ]

    def _indirect_content(self, cue: Token) -> tuple[int, int] | None:
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

    def _relay_sources(self, doc: Doc, inside: list[bool], actors: ActorIndex) -> list[tuple[int, str]]:
        """Outlets that report something, in text order: (token index, actor id)."""
        sources = []
        for token in doc:
            if inside[token.i] or not self._is_cue(token) or token.lower_ == "according":
                continue
            subject = self._subject(token, inside)
            if subject is None:
                continue
            actor = actors.resolve(self._speaker_span(subject), subject)
            if actor is not None and actors.kind(actor) == "media":
                sources.append((token.i, actor))
        return sources

    def _relayed_via(
        self, doc: Doc, span: Span, inside: list[bool], relays: list[tuple[int, str]], record: dict
    ) -> str | None:
        """The outlet relaying a quote marked as second-hand ('according to reports', 'it was reported')."""
        sent_start = doc[span.start].sent.start
        sent_end = doc[span.end - 1].sent.end
        marked = False
        for token in doc[sent_start:sent_end]:
            if inside[token.i]:
                continue
            if token.lower_ in self.knowledge.relay_adverbs:
                marked = True
            elif token.lower_ == "according":
                obj = self._according_object(token)
                marked = marked or (obj is not None and any(t.lemma_.lower() in self.relay_nouns for t in obj.subtree))
            elif token.lemma_ == "report" and token.pos_ == "VERB" and self._subject(token, inside) is None:
                marked = True
        if not marked:
            return None
        earlier = [actor for i, actor in relays if i <= span.end and actor != record["speaker"]]
        return earlier[-1] if earlier else None


class ActorIndex:
    """Actor mentions of a Doc by token, with pronouns resolved to the nearest earlier fitting actor."""

    def __init__(self, doc: Doc, knowledge: QuoteKnowledge) -> None:
        self.doc = doc
        self.knowledge = knowledge
        self.mentions: list[Span] = sorted(doc.spans.get("presslens_actors", []), key=lambda s: s.start)
        self.by_token: dict[int, Span] = {}
        for mention in self.mentions:
            for i in range(mention.start, mention.end):
                self.by_token[i] = mention
        self.actors: dict[str, dict] = doc._.presslens_actors or {}

    def kind(self, actor_id: str) -> str | None:
        """An actor's kind (``state``, ``person``, ``media``, ...)."""
        return (self.actors.get(actor_id) or {}).get("kind")

    def first_within(self, start: int, end: int, under: Token | None = None) -> Span | None:
        """The first actor mention inside a token range (below ``under`` only through 'by', 'from', 'of')."""
        for mention in self.mentions:
            if start <= mention.start and mention.end <= end and (under is None or self._reachable(mention, under)):
                return mention
        return None

    def _reachable(self, mention: Span, top: Token) -> bool:
        """Whether a mention hangs below ``top`` through no preposition but 'by', 'from' or 'of'."""
        node = mention.root
        while node.i != top.i and node.head.i != node.i:
            if node.dep_ == "prep" and node.lower_ not in _SOURCE_PREPS:
                return False
            node = node.head
        return True

    def resolve(self, rng: tuple[int, int], head: Token) -> str | None:
        """The actor a speaker phrase names: a mention on its head, inside it, or a pronoun's antecedent."""
        if head.i in self.by_token:
            return self.by_token[head.i].label_
        for child in head.children:
            named = self.first_within(child.left_edge.i, child.right_edge.i + 1) if child.dep_ == "appos" else None
            if named is not None:
                return named.label_
        inside = self.first_within(*rng)
        if inside is not None:
            return inside.label_
        pronoun = head.lower_
        if pronoun in self.knowledge.person_pronouns:
            wanted = {"person"}
        elif pronoun in self.knowledge.group_pronouns:
            wanted = None
        else:
            return None
        for mention in reversed(self.mentions):
            if mention.start >= head.i:
                continue
            kind = self.kind(mention.label_)
            if (wanted is not None and kind in wanted) or (wanted is None and kind != "person"):
                return mention.label_
        return None


def sourcing_profile(quotes: list[dict], actors: dict[str, dict]) -> dict:
    """Who speaks in an article: quotes and quoted words per speaker and country, direct vs relayed shares.

    Args:
        quotes: records with the fields of ``record.models.Quote``.
        actors: the article's actors by id (fields of ``record.models.Actor``).

    Returns:
        ``{"quotes", "words", "direct_share", "relayed_share", "unattributed", "speakers": [...],
        "countries": [...], "second_hand_only": [actor ids]}``; shares are None without quotes.
    """
    per_speaker: dict[str, dict] = {}
    per_country: dict[str | None, dict] = defaultdict(lambda: {"quotes": 0, "words": 0})
    total_words = direct = relayed = unattributed = 0
    for quote in quotes:
        words = len(_WORD.findall(quote["text"]))
        total_words += words
        direct += quote["kind"] in ("direct", "mixed")
        relayed += quote.get("attributed_via") is not None
        speaker = quote.get("speaker")
        if speaker is None:
            unattributed += 1
            continue
        actor = actors.get(speaker) or {}
        entry = per_speaker.setdefault(speaker, {
            "speaker": speaker, "name": actor.get("name", speaker), "country": actor.get("country"),
            "quotes": 0, "words": 0, "direct": 0, "relayed": 0,
        })
        entry["quotes"] += 1
        entry["words"] += words
        entry["direct"] += quote["kind"] in ("direct", "mixed")
        entry["relayed"] += quote.get("attributed_via") is not None
        country = per_country[entry["country"]]
        country["quotes"] += 1
        country["words"] += words
    n = len(quotes)
    speakers = sorted(per_speaker.values(), key=lambda e: (-e["words"], e["speaker"]))
    return {
        "quotes": n,
        "words": total_words,
        "direct_share": round(direct / n, 4) if n else None,
        "relayed_share": round(relayed / n, 4) if n else None,
        "unattributed": unattributed,
        "speakers": speakers,
        "countries": [
            {"country": c, **v} for c, v in sorted(per_country.items(), key=lambda kv: (-kv[1]["words"], kv[0] or ""))
        ],
        "second_hand_only": [e["speaker"] for e in speakers if e["relayed"] == e["quotes"]],
    }


@Language.factory(
    "presslens_quotes",
    assigns=["doc.spans", "doc._.presslens_quotes"],
    requires=["token.dep", "token.tag", "token.lemma", "token.is_sent_start"],
    default_config={"min_words": 2, "min_words_uncued": 6, "max_climb": 4, "max_gap": 400},
)
def make_quotes(
    nlp: Language, name: str, min_words: int, min_words_uncued: int, max_climb: int, max_gap: int
) -> QuoteFinder:
    """Build the quote finder (cue lexicon loaded once).

    Args:
        min_words: words a quotation needs to be speech (fewer: a scare quote), unless it ends in
            punctuation or a speech verb's content holds it ('said it was "improper"').
        min_words_uncued: words a quotation with no cue anywhere near needs to be kept as a direct quote.
        max_climb: dependency steps from a quotation (or a cue) up to its cue (or subject).
        max_gap: characters after the previous quote within which an unattributed quote keeps its speaker.
    """
    return QuoteFinder(name, min_words, min_words_uncued, max_climb, max_gap)
