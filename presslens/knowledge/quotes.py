"""Quote knowledge: speech-cue verbs, relay words, pronoun classes and given-name genders, validated once."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CueVerb(_Model):
    """A speech-cue verb lemma and the source it came from (a key of ``sources``)."""

    lemma: str = Field(pattern=r"^[a-z]+$")
    source: Literal["gendergaptracker", "presslens"]


class QuoteKnowledge(_Model):
    """``data/quotes/cues.json``: what marks reported speech and relayed sources."""

    version: int
    sources: dict[str, str]
    verbs: list[CueVerb] = Field(min_length=1)
    particles: dict[str, list[str]] = Field(description="verb lemma -> particles forming a phrasal cue")
    particle_required: list[str] = Field(description="lemmas that are cues only with one of their particles")
    thought_verbs: list[str] = Field(description="cue lemmas that yield to a speech verb governing them ('said he thought \"...\"')")
    transcript_non_speakers: list[str] = Field(description="upper-case labels before a colon that are not speakers ('BREAKING:')")
    cue_nouns: list[str] = Field(description="nouns that introduce speech ('Trump's claim that ...')")
    relay_nouns: list[str] = Field(description="nouns naming reports or outlets ('according to reports')")
    relay_adverbs: list[str]
    person_pronouns: list[str]
    group_pronouns: list[str]
    title_words_max: int = Field(ge=1, description="a quoted all-capitalised phrase this long or shorter is a title")

    @model_validator(mode="after")
    def _consistent(self) -> QuoteKnowledge:
        lemmas = [verb.lemma for verb in self.verbs]
        if len(set(lemmas)) != len(lemmas):
            raise ValueError("duplicate cue verb lemmas")
        unknown = (set(self.particles) | set(self.particle_required)) - set(lemmas)
        if unknown:
            raise ValueError(f"particles for lemmas that are not cue verbs: {sorted(unknown)}")
        if set(self.thought_verbs) - set(lemmas):
            raise ValueError(f"thought verbs that are not cue verbs: {sorted(set(self.thought_verbs) - set(lemmas))}")
        if set(self.particle_required) - set(self.particles):
            raise ValueError("a lemma needing a particle has none listed")
        return self

    @property
    def cue_lemmas(self) -> frozenset[str]:
        """Lemmas of every cue verb."""
        return frozenset(verb.lemma for verb in self.verbs)


@lru_cache(maxsize=1)
def load_quote_knowledge() -> QuoteKnowledge:
    """Read and validate ``data/quotes/cues.json`` (once per process)."""
    text = (resources.files("presslens") / "data" / "quotes" / "cues.json").read_text(encoding="utf-8")
    return QuoteKnowledge.model_validate(json.loads(text))


class GivenNames(_Model):
    """``data/quotes/given_names.tsv``: given names of one gender, to tell which pronoun fits a person."""

    genders: dict[str, Literal["male", "female"]] = Field(min_length=1, description="given name -> gender")

    def gender(self, name: str) -> str | None:
        """The gender of a given name ("Hillary" -> "female"), None when unknown or used for both."""
        return self.genders.get(name)


@lru_cache(maxsize=1)
def load_given_names() -> GivenNames:
    """Read and validate ``data/quotes/given_names.tsv`` (once per process; a name listed twice is an error)."""
    text = (resources.files("presslens") / "data" / "quotes" / "given_names.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    if rows[0] != ["name", "gender", "source"] or any(len(row) != 3 for row in rows):
        raise ValueError("given_names.tsv: expected the columns name, gender, source")
    names = [row[0] for row in rows[1:]]
    if len(set(names)) != len(names):
        raise ValueError("given_names.tsv: a name is listed twice")
    if {row[2] for row in rows[1:]} - {"coreferee", "presslens"}:
        raise ValueError("given_names.tsv: unknown source")
    return GivenNames.model_validate({"genders": {row[0]: row[1] for row in rows[1:]}})
