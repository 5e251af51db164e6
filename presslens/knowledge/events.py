"""Event knowledge: CAMEO codes with PLOVER types, verb/noun patterns and cue lexicons, validated once."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from presslens.nlp.outputs import PloverType

Code = str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodeInfo(_Model):
    """One CAMEO event code: its 2-digit root and PLOVER type/mode (None: not a PLOVER event)."""

    root: str = Field(pattern=r"^\d\d$")
    plover: PloverType | None
    mode: str | None


class CodeTable(_Model):
    """``codes.json``: every CAMEO event code."""

    version: int
    source: str
    codes: dict[Code, CodeInfo]


class Pattern(_Model):
    """A verb pattern: pre-verb nouns, post-verb objects and one prepositional phrase (head words)."""

    pre: list[list[str]] = []
    obj: list[list[str]] = []
    prep: str | None = None
    pobj: list[str] = []
    code: Code | None
    reverse: Code | None = None
    source: str = ""

    @property
    def specificity(self) -> int:
        """How many parts the pattern constrains (the most specific match wins)."""
        return len(self.pre) + len(self.obj) + (self.prep is not None) + bool(self.pobj)


class Member(_Model):
    """A verb of a PETRARCH2 block: the verb word, words around it, and its own code."""

    verb: str
    before: list[str] = []
    after: list[str] = []
    code: Code | None
    reverse: Code | None = None


class Block(_Model):
    """A PETRARCH2 verb block (``verbs.jsonl``)."""

    block: str
    members: list[Member]
    fallback: Code | None = Field(description="most common code of the block's patterns, for uncoded members")
    patterns: list[Pattern]
    source: str


class Curated(_Model):
    """An entry of ``curated.jsonl`` (written for presslens; takes precedence over PETRARCH2)."""

    kind: Literal["verb", "noun", "phrase"]
    lemma: str | None = None
    words: list[str] = []
    obj: str | None = None
    prep: str | None = None
    code: Code | None = Field(description="None: no event (silences PETRARCH2's default for a verb)")
    needs_actor: bool = False
    note: str


class Lexicon(_Model):
    """``lexicon.json``: cue words for frames, negation, modality, places, casualties and dates."""

    version: int
    source: str
    reporting_verbs: frozenset[str]
    attribution_preps: frozenset[str]
    negators: frozenset[str]
    negative_subjects: frozenset[str]
    negating_governors: frozenset[str]
    hypothetical_governors: frozenset[str]
    modals: frozenset[str]
    conditional_marks: frozenset[str]
    target_preps: frozenset[str]
    noun_source_preps: frozenset[str]
    place_preps: frozenset[str]
    casualty_words: frozenset[str]
    casualty_verbs: frozenset[str]
    number_words: dict[str, int]
    date_noise: frozenset[str]
    light_subjects: frozenset[str]
    intent_markers: frozenset[str]
    intent_codes: dict[str, Code]
    obligation_modals: frozenset[str]
    light_verbs: frozenset[str]
    agent_words: frozenset[str]
    accusation_frames: frozenset[str]
    purpose_marks: frozenset[str]
    speculative_frames: frozenset[str]
    background_words: frozenset[str]
    background_units: frozenset[str]
    future_words: frozenset[str]
    backshift_modals: frozenset[str]
    speculative_nouns: frozenset[str]
    object_control: frozenset[str]


class NounClass(_Model):
    """A ``senses.jsonl`` word class ("abstract", "phone", "sports"): lower-case lemmas or forms."""

    kind: Literal["class"]
    name: str
    words: frozenset[str]
    note: str


Origin = Literal["curated", "pattern", "default", "fallback", "phrase", "noun"]


class Sense(_Model):
    """A ``senses.jsonl`` constraint: a verb use that is not the coded event (or is another code) when it holds."""

    kind: Literal["sense"]
    lemma: str | None = Field(default=None, description="None: any verb of the given roots")
    roots: frozenset[str] = frozenset()
    origins: frozenset[Origin] = Field(description="which trigger origins the constraint applies to")
    obj_class: str | None = None
    subj_class: str | None = None
    unless_class: str | None = Field(default=None, description="holds unless a word of the class is in the sentence")
    unless_obj: Literal["actor"] | None = Field(default=None, description="holds unless the object is actor-like or a place")
    prep: frozenset[str] = frozenset()
    prep_clause: bool = Field(default=False, description="holds when a preposition of the verb governs a clause")
    oprd: bool = False
    code: Code | None = Field(description="None: no event")
    note: str


class Domain(_Model):
    """A ``senses.jsonl`` domain rule: triggers of these roots with a subject/object of the class are discarded."""

    kind: Literal["domain"]
    name: str = Field(alias="class")
    roots: frozenset[str]
    note: str


class Discard(_Model):
    """A ``discards.jsonl`` phrase (Phoenix): a sentence containing it is not coded."""

    phrase: str
    story: bool
    source: str


@dataclass(frozen=True)
class SenseRules:
    """The validated ``senses.jsonl`` and ``discards.jsonl``."""

    classes: dict[str, frozenset[str]]
    senses: tuple[Sense, ...]
    domains: tuple[Domain, ...]
    discards: tuple[tuple[str, ...], ...]


class AgentTable(_Model):
    """``agents.json``: one-word agent nouns and their CAMEO agent codes."""

    version: int
    source: str
    agents: dict[str, str]


@dataclass(frozen=True)
class VerbEntry:
    """Everything known about one verb lemma: default code, patterns (curated first)."""

    lemma: str
    code: Code | None
    reverse: Code | None
    default_from: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()


@dataclass(frozen=True)
class EventKnowledge:
    """The validated event data, indexed for the component."""

    codes: dict[Code, CodeInfo]
    verbs: dict[str, list[VerbEntry]]
    nouns: dict[str, Curated]
    phrases: list[Curated]
    lexicon: Lexicon
    agents: dict[str, str]
    rules: SenseRules

    def plover(self, code: Code | None) -> str | None:
        """PLOVER type of a CAMEO code (None when unknown or dropped by PLOVER)."""
        info = self.codes.get(code or "")
        return info.plover if info else None


def _read(name: str) -> str:
    """Text of a file in ``presslens/data/events``."""
    return (resources.files("presslens") / "data" / "events" / name).read_text(encoding="utf-8")


def _check_code(code: Code | None, codes: dict[Code, CodeInfo], where: str) -> None:
    """Fail on a CAMEO code that ``codes.json`` does not know."""
    if code is not None and code not in codes:
        raise ValueError(f"{where}: unknown CAMEO code {code!r}")


def event_data() -> dict[str, Any]:
    """The packaged ``presslens/data/events`` files as msgpack-safe data (parsed JSON, not yet validated)."""
    return {
        "codes": json.loads(_read("codes.json")),
        "curated": [[n, json.loads(line)] for n, line in enumerate(_read("curated.jsonl").splitlines(), 1)
                    if line.strip()],
        "verbs": [json.loads(line) for line in _read("verbs.jsonl").splitlines() if line.strip()],
        "lexicon": json.loads(_read("lexicon.json")),
        "agents": json.loads(_read("agents.json")),
        "senses": [[n, json.loads(line)] for n, line in enumerate(_read("senses.jsonl").splitlines(), 1)
                   if line.strip()],
        "discards": [json.loads(line) for line in _read("discards.jsonl").splitlines() if line.strip()],
    }


@lru_cache(maxsize=1)
def load_event_knowledge() -> EventKnowledge:
    """The packaged event knowledge, validated (once per process)."""
    return build_event_knowledge(event_data())


def build_event_knowledge(data: dict[str, Any]) -> EventKnowledge:
    """Validate ``event_data`` output and index it for the component.

    Raises:
        pydantic.ValidationError: a file does not follow its documented format.
        ValueError: an entry names a CAMEO code missing from ``codes.json``.
    """
    codes = CodeTable.model_validate(data["codes"]).codes
    verbs: dict[str, list[VerbEntry]] = defaultdict(list)
    nouns: dict[str, Curated] = {}
    phrases: list[Curated] = []
    curated_patterns: dict[str, list[Pattern]] = defaultdict(list)
    for n, row in data["curated"]:
        entry = Curated.model_validate(row)
        _check_code(entry.code, codes, f"curated.jsonl:{n}")
        if entry.code is None and (entry.kind != "verb" or entry.obj or entry.prep):
            raise ValueError(f"curated.jsonl:{n}: only a plain verb entry may have no code")
        if entry.kind == "noun":
            nouns[entry.lemma or ""] = entry
        elif entry.kind == "phrase":
            phrases.append(entry)
        elif entry.obj or entry.prep:
            curated_patterns[entry.lemma or ""].append(Pattern(
                obj=[[entry.obj]] if entry.obj else [], prep=entry.prep, code=entry.code,
                source=f"curated.jsonl:{n}",
            ))
        else:
            verbs[entry.lemma or ""].append(VerbEntry(entry.lemma or "", entry.code, None, f"curated.jsonl:{n}"))
    for row in data["verbs"]:
        block = Block.model_validate(row)
        patterns = []
        for pattern in block.patterns:
            _check_code(pattern.code, codes, block.source)
            patterns.append(pattern.model_copy(update={"source": block.source}))
        for member in block.members:
            _check_code(member.code, codes, block.source)
            code = member.code or block.fallback
            verbs[member.verb].append(VerbEntry(
                member.verb, code, member.reverse, block.source if member.code else f"{block.source} (fallback)",
                tuple(member.before), tuple(member.after), tuple(patterns),
            ))
    for lemma, extra in curated_patterns.items():
        entries = verbs.get(lemma) or [VerbEntry(lemma, None, None, "curated.jsonl")]
        verbs[lemma] = [
            VerbEntry(e.lemma, e.code, e.reverse, e.default_from, e.before, e.after, tuple(extra) + e.patterns)
            for e in entries
        ]
    lexicon = Lexicon.model_validate(data["lexicon"])
    for code in lexicon.intent_codes.values():
        _check_code(code, codes, "lexicon.json:intent_codes")
    agents = AgentTable.model_validate(data["agents"]).agents
    return EventKnowledge(codes=codes, verbs=dict(verbs), nouns=nouns, phrases=phrases, lexicon=lexicon, agents=agents,
                          rules=_sense_rules(data["senses"], data["discards"], codes))


def _sense_rules(rows: list[Any], discards: list[Any], codes: dict[Code, CodeInfo]) -> SenseRules:
    """Validate ``senses.jsonl`` (classes, senses, domains: every class named must exist) and ``discards.jsonl``."""
    classes: dict[str, frozenset[str]] = {}
    senses: list[Sense] = []
    domains: list[Domain] = []
    for n, row in rows:
        if row.get("kind") == "class":
            entry = NounClass.model_validate(row)
            classes[entry.name] = entry.words
        elif row.get("kind") == "domain":
            domains.append(Domain.model_validate(row))
        else:
            sense = Sense.model_validate(row)
            _check_code(sense.code, codes, f"senses.jsonl:{n}")
            if sense.lemma is None and not sense.roots:
                raise ValueError(f"senses.jsonl:{n}: a sense needs a lemma or roots")
            senses.append(sense)
    roots = {info.root for info in codes.values()}
    checked: list[Sense | Domain] = [*senses, *domains]
    for named in checked:
        wanted = [named.name] if isinstance(named, Domain) else [named.obj_class, named.subj_class, named.unless_class]
        missing = [c for c in wanted if c is not None and c not in classes]
        if missing or not named.roots <= roots:
            raise ValueError(f"senses.jsonl: {named.note!r}: unknown class {missing} or root in {sorted(named.roots)}")
    phrases = tuple(tuple(Discard.model_validate(row).phrase.split()) for row in discards)
    return SenseRules(classes=classes, senses=tuple(senses), domains=tuple(domains), discards=phrases)
