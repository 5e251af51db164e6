"""Whether an event is denied (negation) or not asserted as fact (intent, obligation, possibility)."""

from __future__ import annotations

from spacy.tokens import Token

from presslens.analyzers.events.context import NOUN_TAGS, SUBJECTS, Sentence

_CLIMB = frozenset({"xcomp", "pcomp", "conj", "advcl", "acl"})


def governing_light_verb(head: Token, light_verbs: frozenset[str]) -> Token:
    """The light verb of an event noun ("has not made a visit" -> made), else the trigger itself."""
    if head.pos_ in NOUN_TAGS and head.dep_ == "dobj" and head.head.lemma_.lower() in light_verbs:
        return head.head
    return head


def negated(ctx: Sentence, head: Token, used: list[Token]) -> bool:
    """Negated by "not"/"never" (not inside the pattern), a governor ("refusing to") or a subject ("no one")."""
    lex = ctx.lex
    inside = {t.i for t in used}
    node = governing_light_verb(head, lex.light_verbs)
    if any(_negative_subject(ctx, c) for c in node.children if c.dep_ in SUBJECTS):
        return True
    for _ in range(3):
        if any(c.dep_ == "neg" and c.lower_ in lex.negators and c.i not in inside for c in node.children):
            return True
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in lex.negating_governors:
            return True
        if node.dep_ not in {"xcomp", "conj"}:
            return False
        node = node.head
    return False


def _negative_subject(ctx: Sentence, subject: Token) -> bool:
    """A subject that denies the event: "nobody", "none of its soldiers", "no one", "no civilians"."""
    return subject.lower_ in ctx.lex.negative_subjects or any(
        c.dep_ == "det" and c.lower_ in ctx.lex.negators for c in subject.children
    )


def _governor(node: Token) -> Token:
    """The word governing a complement: "aimed at derailing" -> aimed (through the preposition)."""
    parent = node.head
    if node.dep_ == "pcomp" and parent.dep_ == "prep" and parent.head != parent:
        return parent.head
    return parent


def _cues(ctx: Sentence, node: Token, inside: set[int]) -> set[str]:
    """The modality cues on one clause node: its auxiliaries, marks and purpose "to"."""
    lex = ctx.lex
    found: set[str] = set()
    has_subject = any(c.dep_ in SUBJECTS for c in node.children)
    for c in node.children:
        if c.i in inside:
            continue
        word = c.lower_
        if c.dep_ == "aux" and word in lex.obligation_modals:
            found.add("obligation")
        elif c.dep_ == "aux" and (word in lex.intent_markers or word in lex.backshift_modals and _reported(ctx, node)):
            found.add("intent")  # "will attack", "said it would attack" (reported future): an announcement
        elif c.dep_ == "aux" and word in lex.modals:
            found.add("other")
        elif c.dep_ == "mark" and (word in lex.conditional_marks or word in lex.purpose_marks):
            found.add("conditional")
        elif c.dep_ == "aux" and c.tag_ == "TO" and node.dep_ == "advcl" and not has_subject:
            found.add("conditional")  # a purpose clause: "visited Cairo to discuss the truce"
    return found


def _reported(ctx: Sentence, node: Token) -> bool:
    """A clause reported by a frame ("Hamas said it would ..."): its "would" is a backshifted "will"."""
    frame = node.head
    return node.dep_ in {"ccomp", "parataxis"} and ctx.is_frame(frame) and (
        frame.lemma_.lower() not in ctx.lex.speculative_frames)


def modality(ctx: Sentence, head: Token, used: list[Token]) -> str | None:
    """``"intent"`` (will, plans to), ``"obligation"`` (must), ``"other"`` (may, able to, if, aimed at, ?) or None."""
    lex = ctx.lex
    inside = {t.i for t in used}
    found: set[str] = set()
    node = governing_light_verb(head, lex.light_verbs)
    for _ in range(4):
        found |= _cues(ctx, node, inside)
        governor = _governor(node)
        words = {governor.lemma_.lower(), governor.lower_}
        if node.dep_ in {"acl", "ccomp"} and governor.pos_ in NOUN_TAGS and not words.isdisjoint(lex.speculative_nouns):
            found.add("conditional")  # "the idea that ...", "fears that X will ...": not asserted, even with "will"
        elif node.dep_ in {"xcomp", "pcomp"} and not words.isdisjoint(lex.intent_markers):
            found.add("intent")
        elif node.dep_ in _CLIMB and not words.isdisjoint(lex.hypothetical_governors):
            found.add("other")
        if found or node.dep_ not in _CLIMB:
            break
        node = node.head
    if not found and (_speculated(ctx, node) or _question(ctx, node)):
        found.add("other")
    for kind in ("conditional", "obligation", "intent", "other"):
        if kind in found:
            return "other" if kind == "conditional" else kind
    return None


def _speculated(ctx: Sentence, node: Token) -> bool:
    """A clause under a speculative frame ("experts believe that ...", "it is feared that ...")."""
    for _ in range(3):
        if node.dep_ not in {"ccomp", "conj"} or node.head == node:
            return False
        node = node.head
        if node.lemma_.lower() in ctx.lex.speculative_frames:
            return True
    return False


def _question(ctx: Sentence, node: Token) -> bool:
    """The main clause of a direct question ("Did Russia attack Ukraine?")."""
    last = ctx.tokens[-1] if ctx.tokens else None
    while last is not None and last.is_punct and last.lower_ != "?" and last.i > ctx.sent.start:
        last = ctx.doc_tokens[last.i - 1]  # closing quotes after the question mark
    return last is not None and last.lower_ == "?" and node.dep_ == "ROOT"
