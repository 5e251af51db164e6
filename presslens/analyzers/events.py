"""presslens_events: code who did what to whom (PLOVER type + CAMEO code) from the dependency parse.

For each sentence the component finds event triggers (verbs by lemma, multi-word verbs, fixed
phrases such as "will not be silent", event nouns such as "attack" or "visit"), picks the CAMEO
code from the verb/noun pattern dictionary in ``presslens/data/events/`` (curated patterns
first, then PETRARCH2's CAMEO.2.0 patterns, the most specific match winning), and maps the
arguments onto the actor spans of ``doc.spans["presslens_actors"]``:

* source: the subject (the ``by`` agent of a passive); a pronoun or missing subject of an
  ``xcomp``/``conj``/``ccomp`` verb is taken from the governing verb, and the antecedent of a
  relative pronoun from the noun the clause modifies.
* target: the direct object, else objects of the prepositions in ``lexicon.target_preps``, else
  the subject of a ``ccomp`` ("warned that the IDF's activity ..."); a place as object ("visited
  Cairo") stands for the state actor of its country when the article has one.
* Among the actor spans inside an argument the ones closest to its head win; ``conj`` and
  ``appos`` links cost nothing, so "Hamas and Islamic Jihad" yields one event per actor.

Events whose CAMEO code has no PLOVER type (root 01, public statements) are not output; root 02
(appeals) is output as REQUEST (see ``presslens/data/events/README.md``). Reporting frames
("X reported that ...", "according to X") never become events: their actor is ``attributed_to``.

Arguments must look like actors for PETRARCH2-coded verbs (a resolved actor, a PERSON/ORG/GPE/NORP
entity or an agent noun such as "officials"); curated verbs, phrases and nouns not marked
``needs_actor`` may have neither source nor target ("the attack that occurred near ...").
Announced actions become intents (AGREE/THREATEN), "X said Y must ..." a demand of X on Y, and
"A said B attacked C" also an ACCUSE event from A to B (see the data README).

``date`` resolves the DATE/TIME entities of the trigger's clause (or of its reporting frame) with
dateparser against ``doc.user_data["published"]`` (ISO 8601; the caller sets it, e.g. the
pipeline from the article's ``published``); without it only expressions naming a year are
resolved, and "two days after ..." (relative to another event) is never resolved.

``confidence`` is a heuristic ranking, not a calibrated probability. A trigger's strength is 0.6
for a curated entry, a pattern match, a phrase or an event noun after a light verb ("launched an
attack"), 0.45 for a PETRARCH2 verb's default code and 0.35 for a block fallback or an event
noun on its own. An event scores strength + 0.15 per actor found (source, target) + 0.05 when
the trigger is the main clause's verb (-0.05 in a modifier clause or for a noun) - 0.1 when
hypothetical; the reverse event of a paired code (visit/host) scores strength + 0.2 and a
derived accusation strength + 0.3 (+ the clause term). Scores are clipped to [0.05, 0.95]; the
evaluation takes the highest-scoring event as a sentence's label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any

import dateparser
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

import presslens.nlp.extensions  # noqa: F401  (registers Doc._.presslens_events)
from presslens.knowledge.events import EventKnowledge, Pattern, VerbEntry, load_event_knowledge
from presslens.nlp.spans import sentence_span

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_FREE_EDGES = frozenset({"conj", "appos", "cc", "punct", "compound"})
_INHERIT = frozenset({"xcomp", "conj", "ccomp", "advcl", "pcomp", "acomp", "oprd"})
_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "conj", "parataxis", "csubj", "nsubj", "nsubjpass", "cc", "punct"})
_HOSTILE_ROOTS = frozenset({"17", "18", "19", "20"})
_ACTOR_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


def _words(token: Token) -> set[str]:
    """The lower-case lemma and form of a token."""
    return {token.lemma_.lower(), token.lower_}


class _Trigger:
    """A candidate trigger: head token, code, and the tokens the pattern used."""

    def __init__(self, head: Token, code: str, reverse: str | None, strength: float, used: list[Token],
                 extra_preps: frozenset[str] = frozenset(), need: int = 1) -> None:
        self.head, self.code, self.reverse, self.strength = head, code, reverse, strength
        self.used, self.extra_preps, self.need = used, extra_preps, need


class EventCoder:
    """Code events in each sentence and write them to ``doc._.presslens_events``."""

    def __init__(self, name: str, min_confidence: float, paired_events: bool, block_fallback: bool,
                 dyad_required: bool) -> None:
        self.name = name
        self.block_fallback = block_fallback
        self.dyad_required = dyad_required
        self.min_confidence = min_confidence
        self.paired_events = paired_events
        self.k: EventKnowledge = load_event_knowledge()

    # -- entry point -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.presslens_events`` (an empty list when nothing is found)."""
        actors = doc._.presslens_actors or {}
        places = doc._.presslens_places or {}
        actor_spans = list(doc.spans["presslens_actors"]) if "presslens_actors" in doc.spans else []
        place_spans = list(doc.spans["presslens_places"]) if "presslens_places" in doc.spans else []
        published = _parse_published(doc.user_data.get("published"))
        dates = [e for e in doc.ents if e.label_ in {"DATE", "TIME"}]
        events: list[dict[str, Any]] = []
        seen: set[tuple] = set()
        for sent in doc.sents:
            ctx = _Context(self.k, sent, actors, places, actor_spans, place_spans, dates, published)
            for event in self._code_sentence(ctx):
                key = (event["cameo"], event["source"], event["target"], tuple(event["trigger"]))
                if key not in seen and event["confidence"] >= self.min_confidence:
                    seen.add(key)
                    events.append(event)
        for i, event in enumerate(events):
            event["id"] = f"e{i}"
        doc._.presslens_events = events
        return doc

    # -- triggers ----------------------------------------------------------------------------
    def _triggers(self, ctx: _Context) -> Iterator[_Trigger]:
        """Phrase, verb and noun triggers of a sentence; a token serves one trigger only."""
        used: set[int] = set()
        phrase_triggers = list(self._phrases(ctx.sent))
        for trig in phrase_triggers:
            used.update(t.i for t in trig.used)
            yield trig
        verb_triggers = []
        for token in ctx.sent:
            if token.i in used or token.pos_ not in {"VERB", "AUX"} or token.dep_ == "amod":
                continue
            if ctx.is_frame(token) or token.lower_ in self.k.lexicon.attribution_preps:
                continue
            if token.lemma_.lower() in self.k.lexicon.light_verbs and any(
                    c.dep_ == "dobj" and (c.lemma_.lower() in self.k.nouns or c.i in used) for c in token.children):
                continue  # "launched an air strike": the event noun carries the event
            trig = self._code_verb(token)
            if trig is not None:
                verb_triggers.append(trig)
                used.update(t.i for t in trig.used)
        yield from verb_triggers
        for token in ctx.sent:
            entry = self.k.nouns.get(token.lemma_.lower())
            if entry is None or token.i in used or token.pos_ not in {"NOUN", "PROPN"}:
                continue
            supported = token.dep_ == "dobj" and token.head.lemma_.lower() in self.k.lexicon.light_verbs
            yield _Trigger(token, entry.code, None, 0.6 if supported else 0.35, [token], need=int(entry.needs_actor))

    def _phrases(self, sent: Span) -> Iterator[_Trigger]:
        """Fixed phrases of ``curated.jsonl`` ("will not be silent") found in a sentence."""
        lowers = [t.lower_ for t in sent]
        for entry in self.k.phrases:
            n = len(entry.words)
            for i in range(len(lowers) - n + 1):
                if lowers[i : i + n] == entry.words:
                    tokens = list(sent[i : i + n])
                    inside = {t.i for t in tokens}
                    head = next((t for t in tokens if t.head.i not in inside or t.head == t), tokens[0])
                    extra = frozenset({entry.prep}) if entry.prep else frozenset({"about", "over"})
                    yield _Trigger(head, entry.code, None, 0.6, tokens, extra_preps=extra, need=0)

    def _code_verb(self, verb: Token) -> _Trigger | None:
        """The code of a verb: best curated pattern, else best PETRARCH2 pattern, else its default."""
        entries = [e for e in self.k.verbs.get(verb.lemma_.lower(), []) if _member_fits(e, verb)]
        if not entries:
            return None
        entries.sort(key=lambda e: -(len(e.before) + len(e.after)))
        right = _Words(_near(verb, after=True))
        left = _Words(_near(verb, after=False))
        curated = [p for e in entries for p in e.patterns if p.source.startswith("curated")]
        authoritative = any(e.default_from.startswith("curated") for e in entries)
        petrarch = {} if authoritative else {
            id(p): p for e in entries for p in e.patterns if not p.source.startswith("curated")}
        for group in (curated, list(petrarch.values())):
            best, best_used = None, []
            for pattern in group:
                used = _match(pattern, left, right)
                if used is not None and (best is None or pattern.specificity > best.specificity):
                    best, best_used = pattern, used
            if best is not None:
                if best.code is None:
                    return None
                curated_match = group is curated
                particles = [c for c in verb.children if c.lower_ in entries[0].after]
                shown = [t for t in best_used if 0 < t.i - verb.i <= 3]
                return _Trigger(verb, best.code, best.reverse, 0.6, [verb, *shown, *particles],
                                need=0 if curated_match else 1)
        if authoritative:
            entries = [e for e in entries if e.default_from.startswith("curated")]
        fallback = self.block_fallback
        entry = next((e for e in entries if e.code and (fallback or not e.default_from.endswith("(fallback)"))), None)
        if entry is None:
            return None
        particles = [c for c in verb.children if c.lower_ in entry.after]
        curated = entry.default_from.startswith("curated")
        strength = 0.6 if curated else (0.35 if entry.default_from.endswith("(fallback)") else 0.45)
        need = 0 if curated else 1 + self.dyad_required
        return _Trigger(verb, entry.code, entry.reverse, strength, [verb, *particles], need=need)

    # -- events ------------------------------------------------------------------------------
    def _code_sentence(self, ctx: _Context) -> Iterator[dict[str, Any]]:
        """Events of one sentence: arguments, qualifiers and modality-adjusted codes per trigger."""
        triggers = list(self._triggers(ctx))
        heads = {t.head.i for t in triggers}
        for trig in triggers:
            if trig.head.lemma_.lower() in self.k.lexicon.intent_markers and any(
                    c.dep_ == "xcomp" and c.i in heads for c in trig.head.children):
                continue  # "pledged to expel": the announced action carries the event
            plover = self.k.plover(trig.code)
            if plover is None:
                continue
            head = trig.head
            if head.pos_ in {"NOUN", "PROPN"} and trig.used == [head]:
                sources, targets, src_ok, tgt_ok = ctx.noun_arguments(head)
            else:
                sources, targets, src_ok, tgt_ok = ctx.verb_arguments(head, trig)
            if trig.need > (src_ok + tgt_ok):
                continue
            negated = ctx.negated(head, trig.used)
            modality = ctx.modality(head, trig.used)
            hypothetical = modality is not None
            code, root = trig.code, self.k.codes[trig.code].root
            if modality == "intent" and root in self.k.lexicon.intent_codes:
                # An announced action is itself an event: intent to cooperate (03) or a threat (13).
                code, hypothetical = self.k.lexicon.intent_codes[root], False
                if negated and code.startswith("03"):
                    code, negated = "120", False
            elif modality == "obligation" and head.dep_ == "ccomp":
                # "X said Y must ...": X demands of Y.
                code, hypothetical = "100", False
                targets, tgt_ok = sources, src_ok
                sources, src_ok = ctx.subject(head.head)
            plover = self.k.plover(code)
            if plover is None:
                continue
            targets = [t for t in targets if t not in sources]
            frame_actor, frame = ctx.attribution(head)
            base = {
                "type": plover,
                "mode": self.k.codes[code].mode,
                "negated": negated,
                "hypothetical": hypothetical,
                "attributed_to": frame_actor,
                "place": ctx.place(head),
                "date": ctx.date(head, frame),
                "fatalities": None if negated or self.k.codes[code].root not in {"18", "19", "20"} else ctx.fatalities(head),
                "trigger": [min(t.idx for t in trig.used), max(t.idx + len(t) for t in trig.used)],
                "sentence": list(sentence_span(ctx.sent)),
            }
            hostile = self.k.codes[code].root in _HOSTILE_ROOTS
            if (frame is not None and frame_actor and frame_actor not in sources and hostile
                    and frame.lemma_.lower() in self.k.lexicon.accusation_frames
                    and (ctx.actors.get(frame_actor) or {}).get("kind") != "media"):
                # "A said B attacked C": A accuses B (PETRARCH2's SAY transformation).
                accused = sources or targets or [None]
                for target in accused:
                    yield self._event({**base, "type": "ACCUSE", "mode": None, "attributed_to": None, "place": None,
                                       "fatalities": None}, "112", frame_actor, target,
                                      trig.strength + 0.3 + _clause_weight(head), ctx)
            for source in sources or [None]:
                for target in targets or [None]:
                    found = (source is not None) + (target is not None)
                    score = trig.strength + 0.15 * found + _clause_weight(head)
                    yield self._event(base, code, source, target, score, ctx)
                    if self.paired_events and trig.reverse and code == trig.code and source and target:
                        reverse = self.k.plover(trig.reverse)
                        if reverse:
                            yield self._event({**base, "type": reverse, "mode": self.k.codes[trig.reverse].mode},
                                              trig.reverse, target, source, trig.strength + 0.2, ctx)

    def _event(self, base: dict, code: str, source: str | None, target: str | None, score: float,
               ctx: _Context) -> dict[str, Any]:
        """One event dict with the fields of ``record.models.Event``."""
        score -= 0.1 if base["hypothetical"] else 0.0
        return {
            "id": "",
            **base,
            "cameo": code,
            "source": source,
            "target": target,
            "source_cameo": ctx.cameo(source),
            "target_cameo": ctx.cameo(target),
            "attributed_to": base["attributed_to"] if base["attributed_to"] not in {source, target} else None,
            "confidence": round(min(0.95, max(0.05, score)), 2),
        }


def _member_fits(entry: VerbEntry, verb: Token) -> bool:
    """True when the words of a multi-word verb ("call off", "wire tap") surround the verb."""
    children = {c.lower_ for c in verb.children}
    if any(w not in children for w in entry.after):
        return False
    doc = verb.doc
    before = [doc[i].lower_ for i in range(max(0, verb.i - len(entry.before)), verb.i)]
    return not entry.before or before == list(entry.before)


def _near(verb: Token, after: bool) -> list[Token]:
    """Tokens a pattern may use: the verb's phrase up to two edges down, not inside other clauses."""
    out = []
    for child in verb.children:
        if (child.i > verb.i) != after or child.dep_ in _CLAUSES and not (child.dep_ in _SUBJECTS and not after):
            continue
        out.append(child)
        if child.dep_ != "prep":
            out += [g for g in child.children if g.dep_ not in _CLAUSES and (g.i > verb.i) == after]
        else:
            out += [g for g in child.subtree if g is not child]
    return sorted(out, key=lambda t: t.i)


class _Words:
    """Tokens with their lemma/lower-case forms, and the union of the forms for a quick reject."""

    def __init__(self, tokens: list[Token]) -> None:
        self.items = [(t, _words(t)) for t in tokens]
        self.all = set().union(*(w for _, w in self.items))

    def find(self, heads: list[str]) -> Token | None:
        """The first token whose forms include one of ``heads``."""
        if self.all.isdisjoint(heads):
            return None
        return next((t for t, w in self.items if not w.isdisjoint(heads)), None)


def _match(pattern: Pattern, left: _Words, right: _Words) -> list[Token] | None:
    """The tokens a pattern uses, or None when it does not match."""
    used: list[Token] = []
    for heads in pattern.pre:
        if left.find(heads) is None:
            return None
    for heads in pattern.obj:
        hit = right.find(heads)
        if hit is None:
            return None
        used.append(hit)
    if pattern.prep is not None:
        hit = right.find([pattern.prep.split()[0]])
        if hit is None or hit.lower_ != pattern.prep.split()[0]:
            return None
        if pattern.pobj and not any(not _words(t).isdisjoint(pattern.pobj) for t in hit.subtree):
            return None
        used.append(hit)
    return used


class _Context:
    """One sentence with the article's actors and places, and the argument-finding rules."""

    def __init__(self, k: EventKnowledge, sent: Span, actors: dict, places: dict,
                 actor_spans: list[Span], place_spans: list[Span], dates: list[Span],
                 published: datetime | None) -> None:
        self.k, self.lex, self.sent = k, k.lexicon, sent
        self.actors, self.places, self.published = actors, places, published
        self.actor_spans = [s for s in actor_spans if sent.start <= s.start and s.end <= sent.end]
        self.place_spans = [s for s in place_spans if sent.start <= s.start and s.end <= sent.end]
        self.actor_tokens = {i for s in self.actor_spans for i in range(s.start, s.end)}
        self.dates = [e for e in dates if sent.start <= e.start and e.end <= sent.end]

    # -- actors ------------------------------------------------------------------------------
    def cameo(self, actor_id: str | None) -> str | None:
        """The CAMEO actor code of an actor id."""
        return (self.actors.get(actor_id) or {}).get("cameo") if actor_id else None

    def actors_under(self, head: Token | None, exclude: Iterable[Token] = ()) -> list[str]:
        """Actor ids in ``head``'s subtree closest to it (``conj``/``appos`` links cost nothing)."""
        if head is None:
            return []
        blocked = {t.i for e in exclude for t in e.subtree}
        inside = {t.i for t in head.subtree} - blocked
        scored = []
        for span in self.actor_spans:
            if not any(t.i in inside for t in span):
                continue
            scored.append((_distance(span.root, head, span), span.start, span.label_))
        if not scored:
            return []
        best = min(d for d, _, _ in scored)
        ids: list[str] = []
        for d, _, actor_id in sorted(scored, key=lambda x: x[1]):
            if d == best and actor_id not in ids:
                ids.append(actor_id)
        return ids

    def state_of_place(self, token: Token) -> list[str]:
        """The state actor standing for a place named by ``token`` ("visited Cairo" -> Egypt)."""
        for span in self.place_spans:
            if span.start <= token.i < span.end:
                country = (self.places.get(span.label_) or {}).get("country")
                for actor_id, actor in self.actors.items():
                    if country and actor.get("country") == country and actor.get("kind") == "state":
                        return [actor_id]
        return []

    def present(self, head: Token | None) -> bool:
        """True when an argument names an actor-like thing (actor, named entity or agent noun)."""
        if head is None:
            return False
        near = [head, *(c for c in head.children if c.dep_ in _FREE_EDGES | {"amod", "poss", "nmod"})]
        return any(
            t.i in self.actor_tokens or t.ent_type_ in _ACTOR_ENTS or t.lower_ in self.k.agents
            or t.lemma_.lower() in self.k.agents or t.lower_ in self.lex.agent_words for t in near)

    def arg(self, head: Token | None, exclude: Iterable[Token] = ()) -> tuple[list[str], bool]:
        """Actor ids of an argument and whether it looks like an actor at all."""
        ids = self.actors_under(head, exclude)
        return ids, bool(ids) or self.present(head)

    def subject(self, verb: Token, depth: int = 0) -> tuple[list[str], bool]:
        """Source actors of a verb: its subject, or the governing verb's for pronouns/none."""
        if verb.pos_ in {"NOUN", "PROPN"}:
            return self.subject(verb.head, depth + 1) if verb.dep_ == "dobj" and depth < 3 else ([], False)
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "csubj"}), None)
        if verb.dep_ in {"relcl", "acl"} and (subj is None or subj.lower_ in {"who", "which", "that"}):
            return self.arg(verb.head, exclude=[verb])
        found, ok = self.arg(subj)
        if not found and depth < 4 and verb.dep_ in _INHERIT and verb.head != verb and (
                subj is None or subj.lower_ in self.lex.light_subjects):
            inherited, ok = self.subject(verb.head, depth + 1)
            return [a for a in inherited if (self.actors.get(a) or {}).get("kind") != "media"], ok
        return found, ok or (subj is not None and subj.lower_ in self.lex.light_subjects)

    def _object(self, token: Token) -> tuple[list[str], bool]:
        place = self.state_of_place(token)
        return (place, True) if place else self.arg(token)

    def verb_arguments(self, verb: Token, trig: _Trigger) -> tuple[list[str], list[str], bool, bool]:
        """(sources, targets, source found, target found) of a verbal trigger."""
        children = list(verb.children)
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN")
        if passive:
            agent = next((c for c in children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            sources, src_ok = self.arg(pobj)
            patient = next((c for c in children if c.dep_ == "nsubjpass"), None)
            if patient is not None:
                targets, tgt_ok = self.arg(patient)
            elif verb.dep_ == "acl":
                targets, tgt_ok = self.arg(verb.head, exclude=[verb])
            else:
                targets, tgt_ok = [], False
            return sources, targets, src_ok, tgt_ok
        sources, src_ok = self.subject(verb)
        targets: list[str] = []
        tgt_ok = False
        for child in children:
            if child.dep_ in _OBJECTS:
                found, ok = self._object(child)
                targets, tgt_ok = targets + found, tgt_ok or ok
        if not targets:
            preps = self.lex.target_preps | trig.extra_preps
            holders = [verb, *(t for t in trig.used if t.i != verb.i)]
            for holder in holders:
                for prep in holder.children:
                    if prep.dep_ in {"prep", "dative"} and prep.lower_ in preps:
                        for pobj in prep.children:
                            if pobj.dep_ == "pobj":
                                found, ok = self._object(pobj)
                                targets, tgt_ok = targets + found, tgt_ok or ok
                    elif prep.dep_ == "acomp":
                        holders.append(prep)
        if not targets:
            clause = next((c for c in children if c.dep_ == "ccomp"), None)
            subj = next((c for c in clause.children if c.dep_ in _SUBJECTS), None) if clause is not None else None
            found, ok = self.arg(subj)
            targets, tgt_ok = found, tgt_ok or ok
        return sources, targets, src_ok, tgt_ok

    def noun_arguments(self, noun: Token) -> tuple[list[str], list[str], bool, bool]:
        """(sources, targets, source found, target found) of an event noun ("operations by the IDF")."""
        sources: list[str] = []
        targets: list[str] = []
        src_ok = tgt_ok = False
        for child in noun.children:
            if child.dep_ in {"poss", "compound", "amod"} and child.i in self.actor_tokens:
                found, ok = self.arg(child)
                sources, src_ok = sources + found, src_ok or ok
            elif child.dep_ in {"prep", "agent"}:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                found, ok = self.arg(pobj)
                if child.lower_ in self.lex.noun_source_preps and not sources:
                    sources, src_ok = sources + found, src_ok or ok
                elif child.lower_ in self.lex.target_preps:
                    targets, tgt_ok = targets + found, tgt_ok or ok
        nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        if not sources and nxt is not None and nxt.lower_ == "by" and nxt.head != noun:
            # "operations by the IDF" with "by" attached to the verb by the parser.
            pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
            sources, src_ok = self.arg(pobj)
        if not sources and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
            sources, src_ok = self.subject(noun.head)
        return sources, targets, src_ok, tgt_ok

    # -- qualifiers --------------------------------------------------------------------------
    def is_frame(self, verb: Token) -> bool:
        """A reporting frame ("X reported that ..."): not an event itself."""
        return verb.lemma_.lower() in self.lex.reporting_verbs and any(
            c.dep_ in {"ccomp", "parataxis"} for c in verb.children)

    def attribution(self, head: Token) -> tuple[str | None, Token | None]:
        """The actor a trigger is attributed to, and the frame verb (or "according")."""
        node = head
        while node.head != node and node.i >= self.sent.start:
            parent = node.head
            if node.dep_ in {"ccomp", "parataxis"} and self.is_frame(parent):
                subj = next((c for c in parent.children if c.dep_ in {"nsubj", "agent"}), None)
                if subj is not None and subj.dep_ == "agent":
                    subj = next((c for c in subj.children if c.dep_ == "pobj"), None)
                found = self.actors_under(subj)
                return (found[0] if found else None), parent
            node = parent
        for token in self.sent:
            if token.lower_ in self.lex.attribution_preps:
                pobjs = [t for t in token.subtree if t.dep_ == "pobj"]
                found = self.actors_under(pobjs[0]) if pobjs else []
                if found:
                    return found[0], token
        return None, None

    def negated(self, head: Token, used: list[Token]) -> bool:
        """Negated by "not"/"never" (not inside the pattern), a governor ("refusing to") or a subject ("no one")."""
        inside = {t.i for t in used}
        node = _governing_light_verb(head, self.lex.light_verbs)
        if any(self._negative_subject(c) for c in node.children if c.dep_ in _SUBJECTS):
            return True
        for _ in range(3):
            if any(c.dep_ == "neg" and c.lower_ in self.lex.negators and c.i not in inside for c in node.children):
                return True
            if node.dep_ == "xcomp" and node.head.lemma_.lower() in self.lex.negating_governors:
                return True
            if node.dep_ not in {"xcomp", "conj"}:
                return False
            node = node.head
        return False

    def _negative_subject(self, subject: Token) -> bool:
        """A subject that denies the event: "nobody", "none of its soldiers", "no one", "no civilians"."""
        return subject.lower_ in self.lex.negative_subjects or any(
            c.dep_ == "det" and c.lower_ in self.lex.negators for c in subject.children
        )

    def modality(self, head: Token, used: list[Token]) -> str | None:
        """``"intent"`` (will, plans to), ``"obligation"`` (must), ``"other"`` (may, if ...) or None."""
        inside = {t.i for t in used}
        found: set[str] = set()
        node = _governing_light_verb(head, self.lex.light_verbs)
        for _ in range(4):
            for c in node.children:
                if c.i in inside:
                    continue
                word = c.lower_
                if c.dep_ == "aux" and word in self.lex.obligation_modals:
                    found.add("obligation")
                elif c.dep_ == "aux" and word in self.lex.intent_markers:
                    found.add("intent")
                elif c.dep_ == "aux" and word in self.lex.modals:
                    found.add("other")
                elif c.dep_ == "mark" and word in self.lex.conditional_marks:
                    found.add("conditional")
            governor = node.head.lemma_.lower()
            if node.dep_ in {"xcomp", "pcomp"} and governor in self.lex.intent_markers:
                found.add("intent")
            elif node.dep_ in {"xcomp", "pcomp"} and governor in self.lex.hypothetical_governors:
                found.add("other")
            if found or node.dep_ not in {"xcomp", "pcomp", "conj", "advcl"}:
                break
            node = node.head
        for kind in ("conditional", "obligation", "intent", "other"):
            if kind in found:
                return "other" if kind == "conditional" else kind
        return None

    def place(self, head: Token) -> str | None:
        """The place of the trigger's clause: most specific (not a modifier), then nearest."""
        subjects = [c for c in head.children if c.dep_ in _SUBJECTS]
        blocked = {t.i for s in subjects for t in s.subtree}
        inside = {t.i for t in head.subtree} - blocked
        nxt = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
        if head.pos_ in {"NOUN", "PROPN"} and nxt is not None and nxt.lower_ == "by" and nxt.head != head:
            inside |= {t.i for t in nxt.subtree}  # "operations by the IDF in Jenin", "by" misattached
        candidates = []
        for span in self.place_spans:
            if span.root.i in inside:
                modifier = span.root.dep_ in {"compound", "amod", "poss", "nmod"}
                candidates.append((modifier, _distance(span.root, head, span), span.start, span.label_))
        return min(candidates)[3] if candidates else None

    def date(self, head: Token, frame: Token | None) -> str | None:
        """ISO date of the DATE entity in the trigger's clause or frame, resolved with dateparser."""
        ents = self.dates
        scope = {t.i for t in head.subtree}
        frame_children = {c.i for c in frame.children} if frame is not None else set()
        for ent in ents:
            if ent.root.i in scope and _clause_of(ent.root, head) or ent.root.i in frame_children:
                return self._resolve(ent)
        return None

    def _resolve(self, ent: Span) -> str | None:
        doc = ent.doc
        after = doc[ent.end].lower_ if ent.end < len(doc) else ""
        if after in {"after", "before", "later", "earlier"}:
            return None
        text = " ".join(t.text for t in ent if t.lower_ not in self.lex.date_noise) or ent.text
        if self.published is None and not _YEAR.search(text):
            return None
        return _parse_date(text, self.published)

    def fatalities(self, head: Token) -> int | None:
        """A death count near the trigger: a number beside a casualty word ("7 murdered Jews")."""
        scope = list(head.subtree) if head.pos_ in {"NOUN", "PROPN"} else list(self.sent)
        doc = head.doc
        for token in scope:
            value = _number(token, self.lex.number_words)
            if value is None or token.ent_type_ in {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"}:
                continue
            lo, hi = max(self.sent.start, token.i - 3), min(self.sent.end, token.i + 4)
            window = [doc[i] for i in range(lo, hi) if i != token.i]
            if any(_words(t) & self.lex.casualty_words for t in window) and (
                    head.pos_ in {"NOUN", "PROPN"} or any(t.lemma_.lower() in self.lex.casualty_verbs for t in window)
                    or head.lemma_.lower() in self.lex.casualty_verbs):
                return value
        return None


def _governing_light_verb(head: Token, light_verbs: frozenset[str]) -> Token:
    """The light verb of an event noun ("has not made a visit" -> made), else the trigger itself."""
    if head.pos_ in {"NOUN", "PROPN"} and head.dep_ == "dobj" and head.head.lemma_.lower() in light_verbs:
        return head.head
    return head


def _clause_weight(head: Token) -> float:
    """+0.05 for the main clause's verb, -0.05 inside a modifier clause or for a noun."""
    node = head
    while node.dep_ == "conj" and node.head != node:
        node = node.head
    if node.dep_ == "ROOT" and node.pos_ in {"VERB", "AUX"}:
        return 0.05
    return -0.05 if node.dep_ in {"relcl", "acl", "advcl"} or node.pos_ in {"NOUN", "PROPN"} else 0.0


def _number(token: Token, words: dict[str, int]) -> int | None:
    """The integer a token spells ("12", "1,200", "seven"), else None."""
    text = token.lower_.replace(",", "")
    if text.isdigit():
        return int(text)
    return words.get(text)


def _clause_of(token: Token, head: Token) -> bool:
    """True when ``token`` belongs to ``head``'s own clause (no nested clause in between)."""
    node = token
    while node != head and node.head != node:
        if node.dep_ in {"ccomp", "relcl", "advcl"} and node.pos_ in {"VERB", "AUX"}:
            return False
        node = node.head
    return node == head


def _distance(token: Token, head: Token, span: Span) -> int:
    """Edges from ``token`` up to ``head``; conj/appos/compound edges are free."""
    if span.start <= head.i < span.end:
        return 0
    cost, node = 0, token
    while node != head and node.head != node:
        cost += node.dep_ not in _FREE_EDGES
        node = node.head
    return cost if node == head else 99


@lru_cache(maxsize=4096)
def _parse_date(text: str, base: datetime | None) -> str | None:
    """ISO date of a date expression, relative ones resolved against ``base`` (dateparser)."""
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date().isoformat() if parsed else None


def _parse_published(value: object) -> datetime | None:
    """The publication date from ``doc.user_data["published"]`` (ISO 8601), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


@Language.factory(
    "presslens_events",
    assigns=["doc._.presslens_events"],
    requires=["token.dep", "token.lemma", "token.tag", "doc.sents"],
    default_config={"min_confidence": 0.0, "paired_events": True, "block_fallback": False, "dyad_required": False},
)
def make_events(
    nlp: Language, name: str, min_confidence: float, paired_events: bool, block_fallback: bool, dyad_required: bool
) -> EventCoder:
    """Build the event coder (a thin, typed constructor validated from its signature)."""
    return EventCoder(name, min_confidence, paired_events, block_fallback, dyad_required)
