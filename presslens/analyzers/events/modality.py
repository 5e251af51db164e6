"""Whether an event is denied (negation) or not asserted as fact (intent, obligation, possibility)."""

from __future__ import annotations

from spacy.tokens import Token

from presslens.analyzers.events.context import NOUN_TAGS, SUBJECTS, Sentence


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


def modality(ctx: Sentence, head: Token, used: list[Token]) -> str | None:
    """``"intent"`` (will, plans to), ``"obligation"`` (must), ``"other"`` (may, if ...) or None."""
    lex = ctx.lex
    inside = {t.i for t in used}
    found: set[str] = set()
    node = governing_light_verb(head, lex.light_verbs)
    for _ in range(4):
        for c in node.children:
            if c.i in inside:
                continue
            word = c.lower_
            if c.dep_ == "aux" and word in lex.obligation_modals:
                found.add("obligation")
            elif c.dep_ == "aux" and word in lex.intent_markers:
                found.add("intent")
            elif c.dep_ == "aux" and word in lex.modals:
                found.add("other")
            elif c.dep_ == "mark" and word in lex.conditional_marks:
                found.add("conditional")
        governor = node.head.lemma_.lower()
        if node.dep_ in {"xcomp", "pcomp"} and governor in lex.intent_markers:
            found.add("intent")
        elif node.dep_ in {"xcomp", "pcomp"} and governor in lex.hypothetical_governors:
            found.add("other")
        if found or node.dep_ not in {"xcomp", "pcomp", "conj", "advcl"}:
            break
        node = node.head
    for kind in ("conditional", "obligation", "intent", "other"):
        if kind in found:
            return "other" if kind == "conditional" else kind
    return None
