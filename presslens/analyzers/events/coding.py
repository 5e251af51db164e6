"""The events of one sentence: arguments, qualifiers and modality-adjusted codes for each trigger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from presslens.analyzers.events.arguments import (actor_source, attribution, noun_arguments, place, subject,
                                                  verb_arguments)
from presslens.analyzers.events.background import is_background
from presslens.analyzers.events.confidence import clause_weight, coded_score, confidence
from presslens.analyzers.events.context import NOUN_TAGS, Sentence
from presslens.analyzers.events.dates import date_entity, resolve
from presslens.analyzers.events.deaths import fatalities
from presslens.analyzers.events.dedup import Candidate, merge
from presslens.analyzers.events.discards import discarded, discarded_sentence
from presslens.analyzers.events.modality import modality, negated
from presslens.analyzers.events.patterns import VerbCoder
from presslens.analyzers.events.roles import Roles
from presslens.analyzers.events.senses import checked
from presslens.analyzers.events.triggers import triggers
from presslens.nlp.outputs import EventOut
from presslens.nlp.spans import sentence_span

_HOSTILE_ROOTS = frozenset({"17", "18", "19", "20"})
_DEADLY_ROOTS = frozenset({"18", "19", "20"})
_NOBODY: list[str | None] = [None]  # an event with no actor found on that side
# Controlled complements ("urged X to honor", "accused X of shelling"): the rules' control logic gives their roles.
_CONTROLLED = frozenset({"xcomp", "pcomp"})
_PETRARCH = frozenset({"pattern", "default", "fallback"})  # trigger origins that need an actor as source


def code_sentence(ctx: Sentence, verbs: VerbCoder, roles: Roles, paired_events: bool) -> Iterator[EventOut]:
    """Events of one sentence, duplicates merged (ids are set by the component); ``roles`` picks sources and
    targets, ``paired_events`` adds the reverse of visit/host; sentences with a discard phrase (sports,
    entertainment) have none."""
    if discarded_sentence(ctx):
        return
    yield from merge(list(_candidates(ctx, verbs, roles, paired_events)))


def _candidates(ctx: Sentence, verbs: VerbCoder, roles: Roles, paired_events: bool) -> Iterator[Candidate]:
    """Every event of one sentence, before merging, each with its trigger head."""
    k = ctx.k
    found_triggers = [t for t in (checked(ctx, t) for t in triggers(ctx, verbs)) if t is not None]
    heads = {t.head.i for t in found_triggers}
    sentence: list[int] = []  # the sentence's span, computed for its first event
    for trig in found_triggers:
        if trig.head.lemma_.lower() in ctx.lex.intent_markers and any(
                c.dep_ == "xcomp" and c.i in heads for c in trig.head.children):
            continue  # "pledged to expel": the announced action carries the event
        if k.plover(trig.code) is None or discarded(ctx, trig):
            continue
        head = trig.head
        if head.pos_ in NOUN_TAGS and trig.used == [head]:
            sources, targets, src_ok, tgt_ok = noun_arguments(ctx, head)
        else:
            sources, targets, src_ok, tgt_ok = verb_arguments(ctx, head, trig)
        if trig.need > (src_ok + tgt_ok) or (
                trig.origin in _PETRARCH and not actor_source(ctx, head, sources, src_ok, targets)):
            continue  # a PETRARCH2 verb codes an event only with an actor as its source
        if head.pos_ not in NOUN_TAGS and head.dep_ not in _CONTROLLED:  # the role model learnt main verbs' arguments
            sources, targets = roles.assign(head, ctx.actor_spans, ctx.kind, k.plover(trig.code) or "", sources, targets)
        is_negated = negated(ctx, head, trig.used)
        mood = modality(ctx, head, trig.used)
        hypothetical = mood is not None
        code, root = trig.code, k.codes[trig.code].root
        if mood == "intent" and root in ctx.lex.intent_codes:
            # An announced action is itself an event: intent to cooperate (03) or a threat (13).
            code, hypothetical = ctx.lex.intent_codes[root], False
            if is_negated and code.startswith("03"):
                code, is_negated = "120", False
        elif mood == "obligation" and head.dep_ == "ccomp":
            # "X said Y must ...": X demands of Y.
            code, hypothetical = "100", False
            targets, tgt_ok = sources, src_ok
            sources, src_ok = subject(ctx, head.head)
        plover = k.plover(code)
        if plover is None:
            continue
        targets = [t for t in targets if t not in sources]
        frame_actor, frame = attribution(ctx, head)
        info = k.codes[code]
        sentence = sentence or list(sentence_span(ctx.sent))
        ent, future = date_entity(ctx, head, frame), mood == "intent"
        date = resolve(ctx, ent, future) if ent is not None else None
        base: dict[str, Any] = {
            "type": plover,
            "mode": info.mode,
            "negated": is_negated,
            "hypothetical": hypothetical,
            "attributed_to": frame_actor,
            "place": place(ctx, head),
            "background": is_background(ctx, head, ent, date, future),
            "date": date,
            "fatalities": None if is_negated or info.root not in _DEADLY_ROOTS else fatalities(ctx, head),
            "trigger": [min(t.idx for t in trig.used), max(t.idx + len(t) for t in trig.used)],
            "sentence": sentence,
        }
        if (frame is not None and frame_actor and frame_actor not in sources and info.root in _HOSTILE_ROOTS
                and frame.lemma_.lower() in ctx.lex.accusation_frames and ctx.kind(frame_actor) != "media"):
            # "A said B attacked C": A accuses B (PETRARCH2's SAY transformation).
            accusation = {**base, "type": "ACCUSE", "mode": None, "attributed_to": None, "place": None,
                          "fatalities": None}
            for target in sources or targets or _NOBODY:
                score = trig.strength + 0.3 + clause_weight(head)
                yield Candidate(_event(ctx, accusation, "112", frame_actor, target, score), head)
        if not (sources or targets or base["fatalities"]):
            continue  # no participant: neither an actor on either side nor a count of the dead ("attacks increased")
        for source in sources or _NOBODY:
            for target in targets or _NOBODY:
                score = coded_score(trig.strength, (source is not None) + (target is not None), head)
                yield Candidate(_event(ctx, base, code, source, target, score), head)
                if paired_events and trig.reverse and code == trig.code and source and target:
                    reverse = k.plover(trig.reverse)
                    if reverse:
                        paired = {**base, "type": reverse, "mode": k.codes[trig.reverse].mode}
                        yield Candidate(_event(ctx, paired, trig.reverse, target, source, trig.strength + 0.2), head,
                                        paired=True)


def _event(ctx: Sentence, base: dict[str, Any], code: str, source: str | None, target: str | None,
           score: float) -> EventOut:
    """One event of the output contract (its id is set by the component)."""
    event: dict[str, Any] = {
        "id": "",
        **base,
        "cameo": code,
        "source": source,
        "target": target,
        "source_cameo": ctx.cameo(source),
        "target_cameo": ctx.cameo(target),
        "attributed_to": base["attributed_to"] if base["attributed_to"] not in {source, target} else None,
        "confidence": confidence(score, base["hypothetical"]),
    }
    return cast(EventOut, event)  # the keys of EventOut, the shared ones from ``base``
