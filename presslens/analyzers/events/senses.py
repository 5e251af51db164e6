"""Verb senses checked against their arguments (``senses.jsonl``): "took key decisions" is no seizure."""

from __future__ import annotations

from spacy.tokens import Token

from presslens.analyzers.events.arguments import present
from presslens.analyzers.events.context import Sentence, Trigger, words
from presslens.knowledge.events import Sense

_OBJECTS = frozenset({"dobj", "nsubjpass", "attr"})


def subjects_of(head: Token) -> list[Token]:
    """The active subjects of a trigger (a noun trigger has none)."""
    return [c for c in head.children if c.dep_ in {"nsubj", "csubj"}]


def objects_of(head: Token) -> list[Token]:
    """The objects of a trigger: direct object, passive subject (a passive ``conj``'s is its head's subject), or the
    noun an ``acl`` verb modifies."""
    found = [c for c in head.children if c.dep_ in _OBJECTS]
    if not found and head.dep_ == "acl" and head.tag_ == "VBN":
        found = [head.head]
    if not found and head.dep_ == "conj" and any(c.dep_ == "auxpass" for c in head.children):
        found = [c for c in head.head.children if c.dep_ in {"nsubj", "nsubjpass"}]  # "X ... and were released"
    return found


def in_class(ctx: Sentence, tokens: list[Token], name: str) -> bool:
    """True when one of ``tokens`` (lemma or form) is a word of the class."""
    members = ctx.k.rules.classes[name]
    return any(not words(t).isdisjoint(members) for t in tokens)


def checked(ctx: Sentence, trig: Trigger) -> Trigger | None:
    """The trigger with the first sense that holds applied (None: not an event), else unchanged."""
    info = ctx.k.codes.get(trig.code)
    if info is None:
        return trig
    lemma = trig.head.lemma_.lower()
    for sense in ctx.k.rules.senses:
        if trig.origin not in sense.origins or sense.lemma not in {None, lemma}:
            continue
        if sense.roots and info.root not in sense.roots:
            continue
        if _holds(ctx, sense, trig):
            if sense.code is None:
                return None
            return Trigger(trig.head, sense.code, None, trig.strength, trig.used, trig.extra_preps, trig.need,
                           trig.origin)
    return trig


def _holds(ctx: Sentence, sense: Sense, trig: Trigger) -> bool:
    """True when every condition of ``sense`` holds for the trigger's arguments."""
    head = trig.head
    objects = objects_of(head)
    if sense.obj_class and not in_class(ctx, objects, sense.obj_class):
        return False
    if sense.subj_class and not in_class(ctx, subjects_of(head), sense.subj_class):
        return False
    if sense.unless_class:
        inside = {t.i for t in trig.used}
        if in_class(ctx, [t for t in ctx.tokens if t.i not in inside], sense.unless_class):
            return False
    if sense.unless_obj == "actor" and any(_actor_like(ctx, o) for o in objects):
        return False
    if sense.prep and not any(c.dep_ == "prep" and c.lower_ in sense.prep for c in head.children):
        return False
    if sense.prep_clause and not any(
            c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children) for c in head.children):
        return False
    return not sense.oprd or _names(head)


def _actor_like(ctx: Sentence, token: Token) -> bool:
    """An object that is an actor, a person-like noun or a place ("took Kherson", "took hostages")."""
    return present(ctx, token) or token._.presslens_place is not None or token.ent_type_ in {"LOC", "FAC"}


def _names(head: Token) -> bool:
    """"called him a liar": an object complement names or labels the object."""
    return any(c.dep_ == "oprd" or (c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"NOUN", "PROPN", "ADJ"})
               for c in head.children)
