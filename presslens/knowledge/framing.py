"""Framing knowledge: labels, loaded terms, hedges, intensifiers, words for the dead, claim frames; validated once."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from presslens.nlp.outputs import FramingKind

Stance = Literal["delegitimising", "legitimising", "neutral"]
Tone = Literal["neutral", "condemning", "glorifying"]
_DATA = ("data", "framing", "lexicon.yaml")
_UNSET = "__regular__"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Model):
    """A word or phrase of a list, its source (a key of ``sources``; the list's by default) and technique."""

    term: str = Field(min_length=1, pattern=r"^[a-z][a-z' -]*[a-z]$")
    source: str | None = None
    technique: str | None = None


class LabelNoun(Term):
    """A naming noun for an actor; ``plural`` overrides the regular plural (None: no plural)."""

    stance: Stance
    plural: str | None = _UNSET

    def forms(self) -> list[str]:
        """The singular and the plural ('terrorist', 'terrorists')."""
        if self.plural is None:
            return [self.term]
        if self.plural != _UNSET:
            return [self.term, self.plural]
        head = self.term
        if head.endswith("y") and head[-2:-1] not in "aeiou":
            return [head, head[:-1] + "ies"]
        return [head, head + ("es" if head.endswith(("s", "x", "ch", "sh")) else "s")]


class LabelAdjective(Term):
    """An adjective that labels the person or group noun right after it ('extremist ministers')."""

    stance: Stance


class Labels(_Model):
    """Naming choices for actors."""

    source: str
    nouns: list[LabelNoun] = Field(min_length=1)
    adjectives: list[LabelAdjective]


class TermList(_Model):
    """A plain list of terms with a default source."""

    source: str
    entries: list[Term] = Field(min_length=1)


class DeathWord(_Model):
    """A word (any form of ``lemma``) or a fixed ``phrase`` for the dead, with its tone."""

    lemma: str | None = Field(None, pattern=r"^[a-z]+$")
    phrase: str | None = None
    tone: Tone
    source: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> DeathWord:
        if (self.lemma is None) == (self.phrase is None):
            raise ValueError("a death word needs exactly one of lemma and phrase")
        return self


class Deaths(_Model):
    """Words for the dead."""

    source: str
    entries: list[DeathWord] = Field(min_length=1)


class Unattributed(_Model):
    """Agentless evaluation passives (lemma -> required next word) and assertion frames."""

    source: str
    passive_verbs: dict[str, Literal["as", "to", "of", "any"]]
    universal_subjects: list[str]
    knowing_verbs: list[str]
    frames: list[str] = Field(min_length=1)


class Motives(_Model):
    """Frames that speculate about a motive: drives always, purpose clauses with a self-serving verb."""

    source: str
    drives: list[str] = Field(min_length=1)
    purposes: list[str] = Field(min_length=1)
    purpose_verbs: list[str] = Field(min_length=1)


class FramingKnowledge(_Model):
    """``data/framing/lexicon.yaml``: everything presslens_framing matches, with provenance."""

    version: int
    sources: dict[str, str]
    techniques: dict[FramingKind, str]
    neutral_place_users: list[str]
    title_nouns: list[str]
    naming_verbs: list[str]
    labels: Labels
    loaded_terms: TermList
    hedges: TermList
    intensifiers: TermList
    deaths: Deaths
    unattributed: Unattributed
    motives: Motives

    @model_validator(mode="after")
    def _consistent(self) -> FramingKnowledge:
        used = {self.labels.source, self.loaded_terms.source, self.hedges.source, self.intensifiers.source,
                self.deaths.source, self.unattributed.source, self.motives.source}
        for part in (self.labels.nouns, self.labels.adjectives, self.loaded_terms.entries, self.hedges.entries,
                     self.intensifiers.entries, self.deaths.entries):
            used |= {entry.source for entry in part if entry.source is not None}
        unknown = used - set(self.sources)
        if unknown:
            raise ValueError(f"entries name sources that `sources` does not declare: {sorted(unknown)}")
        for name, terms in (("label nouns", [t.term for t in self.labels.nouns]),
                            ("loaded terms", [t.term for t in self.loaded_terms.entries]),
                            ("hedges", [t.term for t in self.hedges.entries]),
                            ("intensifiers", [t.term for t in self.intensifiers.entries])):
            duplicates = sorted({t for t in terms if terms.count(t) > 1})
            if duplicates:
                raise ValueError(f"duplicate {name}: {duplicates}")
        return self

    def technique(self, kind: str, term: Term | None = None) -> str | None:
        """The PTC technique of a signal: the entry's own, else its kind's."""
        own = term.technique if term is not None else None
        return own or self.techniques.get(kind)  # type: ignore[call-overload]


def _data_path() -> Path:
    return Path(str(resources.files("presslens").joinpath(*_DATA)))


def read_framing_knowledge(path: Path) -> FramingKnowledge:
    """Read and validate a framing lexicon file.

    Raises:
        ValueError: when the file does not validate (pydantic's ValidationError is a ValueError).
    """
    return FramingKnowledge.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def packaged_lexicon_data() -> dict[str, Any]:
    """The packaged framing lexicon, parsed but not validated (what ``presslens_framing`` saves with the pipeline)."""
    return yaml.safe_load(_data_path().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_framing_knowledge() -> FramingKnowledge:
    """The packaged framing lexicon, read and validated once per process."""
    return FramingKnowledge.model_validate(packaged_lexicon_data())


def check_framing_file(path: str | Path | None = None) -> list[str]:
    """Validate a framing lexicon (the packaged one by default); an empty list means no problem."""
    target = Path(path) if path is not None else _data_path()
    try:
        read_framing_knowledge(target)
    except ValidationError as err:
        return [f"{target}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]
    except (OSError, ValueError, yaml.YAMLError) as err:
        return [f"{target}: {err}"]
    return []
