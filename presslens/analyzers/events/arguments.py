"""Who did it and to whom: the source and target actors of a trigger, its attribution and its place."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from presslens.analyzers.events.context import FREE_EDGES, NOUN_TAGS, SUBJECTS, Sentence, Trigger, distance, next_token

_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "that"})
_INHERIT = frozenset({"xcomp", "conj", "ccomp", "advcl", "pcomp", "acomp", "oprd"})
_ACTOR_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_NEAR_EDGES = FREE_EDGES | {"amod", "poss", "nmod"}
Found = tuple[list[str], bool]  # actor ids of an argument, and whether it looks like an actor at all


def actors_under(ctx: Sentence, head: Token | None, exclude: Iterable[Token] = ()) -> list[str]:
    """Actor ids in ``head``'s subtree closest to it (``conj``/``appos`` links cost nothing)."""
    if head is None or not ctx.actor_spans:
        return []
    blocked = {t.i for e in exclude for t in e.subtree}
    inside = {t.i for t in head.subtree} - blocked
    scored = []
    for span in ctx.actor_spans:
        if not any(i in inside for i in range(span.start, span.end)):
            continue
        scored.append((distance(span.root, head, span), span.start, span.label_))
    if not scored:
        return []
    best = min(d for d, _, _ in scored)
    ids: list[str] = []
    for d, _, ident in sorted(scored, key=lambda x: x[1]):
        if d == best and ident not in ids:
            ids.append(ident)
    return ids


def state_of_place(ctx: Sentence, token: Token) -> list[str]:
    """The state actor standing for a place named by ``token`` ("visited Cairo" -> Egypt)."""
    place = token._.presslens_place
    if place is None:
        return []
    found = ctx.places.get(place)
    country = found.get("country") if found else None
    for ident, actor in ctx.actors.items():
        if country and actor.get("country") == country and actor.get("kind") == "state":
            return [ident]
    return []


def present(ctx: Sentence, head: Token | None) -> bool:
    """True when an argument names an actor-like thing (actor, named entity or agent noun)."""
    if head is None:
        return False
    near = [head, *(c for c in head.children if c.dep_ in _NEAR_EDGES)]
    agents, agent_words = ctx.k.agents, ctx.lex.agent_words
    return any(
        t._.presslens_actor is not None or t.ent_type_ in _ACTOR_ENTS or t.lower_ in agents
        or t.lemma_.lower() in agents or t.lower_ in agent_words for t in near)


def arg(ctx: Sentence, head: Token | None, exclude: Iterable[Token] = ()) -> Found:
    """Actor ids of an argument and whether it looks like an actor at all."""
    ids = actors_under(ctx, head, exclude)
    return ids, bool(ids) or present(ctx, head)


def subject(ctx: Sentence, verb: Token, depth: int = 0) -> Found:
    """Source actors of a verb: its subject, or the governing verb's for pronouns/none."""
    if verb.pos_ in NOUN_TAGS:
        return subject(ctx, verb.head, depth + 1) if verb.dep_ == "dobj" and depth < 3 else ([], False)
    raised = {"nsubj", "csubj", "nsubjpass"} if depth else {"nsubj", "csubj"}  # "Hamas is expected to attack"
    subj = next((c for c in verb.children if c.dep_ in raised), None)
    if verb.dep_ in {"relcl", "acl"} and (subj is None or subj.lower_ in {"who", "which", "that"}):
        return arg(ctx, verb.head, exclude=[verb])
    governor = verb.head
    if subj is None and verb.dep_ == "xcomp" and governor.lemma_.lower() in ctx.lex.object_control:
        obj = _controller(governor)
        if obj is not None:
            return arg(ctx, obj)  # "pressured the U.S. to leave", "called on Egypt to act": the object acts
    if subj is not None and subj.lower_ == "it" and any(
            c.dep_ in {"ccomp", "csubj"} and any(m.lower_ == "that" for m in c.children) for c in verb.children):
        return [], False  # "it is striking that ...": an expletive subject, no actor
    found, ok = arg(ctx, subj)
    light = ctx.lex.light_subjects
    if not found and depth < 4 and verb.dep_ in _INHERIT and verb.head != verb and (
            subj is None or subj.lower_ in light):
        inherited, ok = subject(ctx, verb.head, depth + 1)
        return [a for a in inherited if ctx.kind(a) != "media"], ok
    return found, ok or (subj is not None and subj.lower_ in light)


def _controller(governor: Token) -> Token | None:
    """The object that performs an object-control verb's complement: its direct object, or "on X" ("call on")."""
    obj = next((c for c in governor.children if c.dep_ == "dobj"), None)
    if obj is not None:
        return obj
    prep = next((c for c in governor.children if c.dep_ == "prep" and c.lower_ in {"on", "upon"}), None)
    return next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None


def _object(ctx: Sentence, token: Token) -> Found:
    """The actors of an object, a place standing for its state ("visited Cairo")."""
    place = state_of_place(ctx, token)
    return (place, True) if place else arg(ctx, token)


def is_passive(verb: Token) -> bool:
    """A passive verb ("was attacked", "a deal forced on X")."""
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or (verb.dep_ == "acl" and verb.tag_ == "VBN")


def actor_source(ctx: Sentence, verb: Token, sources: list[str], src_ok: bool, targets: list[str]) -> bool:
    """An actor as source: resolved, or a named/agent subject (not a bare pronoun); an agentless passive
    ("Hamas was disarmed") needs a resolved target instead."""
    if sources:
        return True
    if verb.pos_ not in NOUN_TAGS and is_passive(verb) and not any(c.dep_ == "agent" for c in verb.children):
        return bool(targets)
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "csubj"}), None)
    return src_ok and (subj is None or subj.lower_ not in ctx.lex.light_subjects)


def verb_arguments(ctx: Sentence, verb: Token, trig: Trigger) -> tuple[list[str], list[str], bool, bool]:
    """(sources, targets, source found, target found) of a verbal trigger."""
    children = list(verb.children)
    if is_passive(verb):
        agent = next((c for c in children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        sources, src_ok = arg(ctx, pobj)
        patient = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if patient is not None:
            targets, tgt_ok = arg(ctx, patient)
        elif verb.dep_ == "acl":
            targets, tgt_ok = arg(ctx, verb.head, exclude=[verb])
        else:
            targets, tgt_ok = [], False
        return sources, targets, src_ok, tgt_ok
    sources, src_ok = subject(ctx, verb)
    targets, tgt_ok = [], False
    for child in children:
        if child.dep_ in _OBJECTS:
            relative = child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl"
            found, ok = arg(ctx, verb.head, exclude=[verb]) if relative else _object(ctx, child)  # "Iran, which X accused"
            targets, tgt_ok = targets + found, tgt_ok or ok
    if not targets:
        preps = ctx.lex.target_preps | trig.extra_preps
        holders = [verb, *(t for t in trig.used if t.i != verb.i)]
        for holder in holders:
            for prep in holder.children:
                if prep.dep_ in {"prep", "dative"} and prep.lower_ in preps:
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            found, ok = _object(ctx, pobj)
                            targets, tgt_ok = targets + found, tgt_ok or ok
                elif prep.dep_ == "acomp":
                    holders.append(prep)
    if not targets:
        clause = next((c for c in children if c.dep_ == "ccomp"), None)
        subj = next((c for c in clause.children if c.dep_ in SUBJECTS), None) if clause is not None else None
        found, ok = arg(ctx, subj)
        targets, tgt_ok = found, tgt_ok or ok
    return sources, targets, src_ok, tgt_ok


def noun_arguments(ctx: Sentence, noun: Token) -> tuple[list[str], list[str], bool, bool]:
    """(sources, targets, source found, target found) of an event noun ("operations by the IDF")."""
    sources: list[str] = []
    targets: list[str] = []
    src_ok = tgt_ok = False
    for child in noun.children:
        if child.dep_ in {"poss", "compound", "amod"} and child._.presslens_actor is not None:
            found, ok = arg(ctx, child)
            sources, src_ok = sources + found, src_ok or ok
        elif child.dep_ in {"prep", "agent"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            found, ok = arg(ctx, pobj)
            if child.lower_ in ctx.lex.noun_source_preps and not sources:
                sources, src_ok = sources + found, src_ok or ok
            elif child.lower_ in ctx.lex.target_preps:
                targets, tgt_ok = targets + found, tgt_ok or ok
    nxt = next_token(noun)
    if not sources and nxt is not None and nxt.lower_ == "by" and nxt.head != noun:
        # "operations by the IDF" with "by" attached to the verb by the parser.
        pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
        sources, src_ok = arg(ctx, pobj)
    if not sources and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        sources, src_ok = subject(ctx, noun.head)
    return sources, targets, src_ok, tgt_ok


def attribution(ctx: Sentence, head: Token) -> tuple[str | None, Token | None]:
    """The actor a trigger is attributed to, and the frame verb (or "according")."""
    node = head
    while node.head != node and node.i >= ctx.sent.start:
        parent = node.head
        if node.dep_ in {"ccomp", "parataxis"} and ctx.is_frame(parent):
            subj = next((c for c in parent.children if c.dep_ in {"nsubj", "agent"}), None)
            if subj is not None and subj.dep_ == "agent":
                subj = next((c for c in subj.children if c.dep_ == "pobj"), None)
            found = actors_under(ctx, subj)
            return (found[0] if found else None), parent
        node = parent
    for token in ctx.tokens:
        if token.lower_ in ctx.lex.attribution_preps:
            pobjs = [t for t in token.subtree if t.dep_ == "pobj"]
            found = actors_under(ctx, pobjs[0]) if pobjs else []
            if found:
                return found[0], token
    return None, None


def place(ctx: Sentence, head: Token) -> str | None:
    """The place of the trigger's clause: most specific (not a modifier), then nearest."""
    if not ctx.place_spans:
        return None
    subjects = [c for c in head.children if c.dep_ in SUBJECTS]
    blocked = {t.i for s in subjects for t in s.subtree}
    inside = {t.i for t in head.subtree} - blocked
    nxt = next_token(head)
    if head.pos_ in NOUN_TAGS and nxt is not None and nxt.lower_ == "by" and nxt.head != head:
        inside |= {t.i for t in nxt.subtree}  # "operations by the IDF in Jenin", "by" misattached
    candidates = []
    for span in ctx.place_spans:
        if span.root.i in inside:
            modifier = span.root.dep_ in {"compound", "amod", "poss", "nmod"}
            candidates.append((modifier, distance(span.root, head, span), span.start, span.label_))
    return min(candidates)[3] if candidates else None
