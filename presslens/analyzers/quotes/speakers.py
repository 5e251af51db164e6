"""Who speaks: the subject of a cue (climbing the parse), the noun next to it, and the actor that noun names."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from presslens.analyzers.quotes.cues import SUBJECTS, according_object
from presslens.analyzers.quotes.mentions import ActorIndex
from presslens.nlp.outputs import CharSpan

TokenRange = tuple[int, int]
_CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep", "acl", "relcl"})
_SPAN_BREAKS = frozenset("\u2015\u2014\u2013,;:()[]\"\u201c\u201d")
_NOMINAL = frozenset({"PROPN", "NOUN", "PRON"})
_NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC"})


def _animate(token: Token) -> bool:
    """A person-like noun phrase head: a name, a pronoun, or a person/organisation entity."""
    if token.pos_ in ("PROPN", "PRON") or token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return any(c.dep_ in ("compound", "appos", "flat") and c.pos_ == "PROPN" for c in token.children)


def _name_before_participle(cue: Token, inside: list[bool]) -> Token | None:
    """The name right before a participle cue with no person as subject ('footage of Jane Doe asking, "..."')."""
    if cue.tag_ != "VBG" or cue.i == 0 or any(c.dep_ in SUBJECTS and _animate(c) for c in cue.children):
        return None
    before = cue.doc[cue.i - 1]
    if before.pos_ != "PROPN" or inside[before.i] or _not_speaker(before):
        return None
    return before


def _is_mark(token: Token) -> bool:
    """Punctuation or a dash the parser mistook for a word."""
    return not any(ch.isalnum() for ch in token.text)


def _misparsed(subject: Token, verb: Token, inside: list[bool]) -> bool:
    """A 'subject' inside a quotation, a punctuation mark, or in another paragraph than its verb."""
    between = verb.doc[min(subject.i, verb.i) : max(subject.i, verb.i)].text
    return inside[subject.i] or subject.is_punct or "\n" in between


def char_range(doc: Doc, tokens: TokenRange | None) -> CharSpan | None:
    """Character offsets of a token range."""
    if tokens is None:
        return None
    last = doc[tokens[1] - 1]
    return [doc[tokens[0]].idx, last.idx + len(last)]


def main_subject(sent: Span) -> Token | None:
    """The subject of a sentence's root (the speaker of 'it was reported that ...' on its behalf)."""
    for child in sent.root.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ != "it":
            return child
    return None


def speaker_span(head: Token) -> TokenRange:
    """Token range of a speaker's noun phrase: its left part up to the head (no trailing clauses, no leading verb)."""
    start = head.left_edge.i
    for j in range(start, head.i):
        token = head.doc[j]
        if token.is_space or "\n" in token.text or token.text in _SPAN_BREAKS or (j == start and token.pos_ == "VERB"):
            start = j + 1  # a verb the parser hung on the name ('reply Burton') is the cue, not the speaker
    return start, head.i + 1


def adjacent_noun(cue: Token, inside: list[bool]) -> Token | None:
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


def _participle_controller(cue: Token, inside: list[bool]) -> Token | None:
    """The subject of the nearest earlier clause for a subjectless participle cue ('X said, adding "..."').

    A clause that is reported content ('Trump told Newsmax that Romney "...", adding') gives way
    to the clause reporting it: the one who adds is the one who told.
    """
    for token in reversed(cue.doc[max(cue.sent.start, cue.i - 25) : cue.i]):
        if inside[token.i] or "\n" in token.text:
            break
        if token.pos_ in ("VERB", "AUX"):
            subjects = [c for c in token.children if c.dep_ in SUBJECTS and not inside[c.i]]
            if subjects:
                return _reporting_subject(token) or subjects[0]
    return None


def _reporting_subject(verb: Token) -> Token | None:
    """The subject of the verb that reports the clause of ``verb`` ('told ... that X had'), if any."""
    node = verb
    while node.dep_ == "ccomp" and node.head.i != node.i:
        node = node.head
        subjects = [c for c in node.children if c.dep_ in SUBJECTS]
        if subjects:
            return subjects[0]
    return None


def _not_speaker(token: Token) -> bool:
    """A date, or a place that stands for no actor ('In March, ...', '... in South Carolina'): no speaker."""
    if token._.presslens_actor is not None:
        return False
    return token.ent_type_ in _NOT_SPEAKER_ENTS or token._.presslens_place is not None


def _actor_left_of(verb: Token, inside: list[bool]) -> Token | None:
    """The nearest named person or organisation before a verb in its sentence, not crossing a quotation."""
    for token in reversed(verb.doc[verb.sent.start : verb.i]):
        if inside[token.i]:
            break
        named = token._.presslens_actor is not None or token.ent_type_ in ("PERSON", "ORG", "NORP")
        if named and token.pos_ == "PROPN" and not _not_speaker(token):
            return token
    return None


class SpeakerFinder:
    """Find the speaking subject of a cue, at most ``max_climb`` dependency steps up."""

    def __init__(self, max_climb: int) -> None:
        self.max_climb = max_climb

    def subject(self, cue: Token, inside: list[bool]) -> Token | None:
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
                controller = _participle_controller(cue, inside)
                if controller is not None:
                    return controller
            for child in verb.children:
                if child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            subjects = [c for c in verb.children if (c.dep_ in SUBJECTS or c.dep_ == "expl") and not _is_mark(c)]
            if subjects and _misparsed(subjects[0], verb, inside):
                return adjacent_noun(cue, inside)
            if subjects and cue.tag_ == "VBG" and verb is not cue and verb.dep_ == "ccomp":
                reporter = _reporting_subject(verb)  # 'told X that Y "...", adding': the teller adds
                if reporter is not None and not inside[reporter.i]:
                    return reporter
            if subjects:
                subject = next((c for c in subjects if not _not_speaker(c)), subjects[0])
                if subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                    return verb.head
                if subject.lower_ == "it" and (subject.dep_ in ("nsubjpass", "expl") or verb.lemma_ == "report"):
                    return None
                if _not_speaker(subject):
                    return _actor_left_of(verb, inside) or subject
                return subject
            if verb.dep_ == "acl" and verb.tag_ == "VBG" and _animate(verb.head):
                return verb.head  # 'footage of Jane Doe asking, "..."'
            if verb.dep_ not in _CLIMB_DEPS or verb.head.i == verb.i:
                break
            objects = [c for c in verb.head.children if c.dep_ == "dobj"] if verb.dep_ == "xcomp" else []
            if objects and objects[0].i < verb.i and _animate(objects[0]):
                return objects[0]  # object control: 'led the journalist to fear ...'
            verb = verb.head
        return adjacent_noun(cue, inside)

    def speaker_of(self, cue: Token, actors: ActorIndex, inside: list[bool]) -> tuple[str | None, TokenRange | None]:
        """Speaker actor id and speaker token range of a cue (the sentence's subject for 'it was reported')."""
        if cue.lower_ == "according":
            obj = according_object(cue)
            if obj is None:
                return None, None
            named = actors.first_within(obj.left_edge.i, obj.right_edge.i + 1, under=obj)
            if named is not None:
                return named.label_, (named.start, named.end)
            return None, speaker_span(obj)
        owner = next((c for c in cue.children if c.dep_ == "poss"), None) if cue.pos_ == "NOUN" else None
        subject = owner or self.subject(cue.head if cue.pos_ == "NOUN" else cue, inside)
        if subject is None:
            subject = main_subject(cue.sent)
            if subject is None or subject.i > cue.i:
                return None, None
        rng = speaker_span(subject)
        return actors.resolve(rng, subject), rng
