"""Sentence-boundary knowledge: the abbreviations after which a sentence never starts, validated once."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ENTRY = r"^[a-z][a-z.]*\.$"


class SentenceKnowledge(BaseModel):
    """``data/sentences/abbreviations.json``: titles before a name, labels before a number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    sources: dict[str, str]
    before_name: list[str] = Field(min_length=1, description="titles and ranks before a name ('sen.')")
    before_number: list[str] = Field(min_length=1, description="labels before a number ('sept.', 'no.')")

    @field_validator("before_name", "before_number")
    @classmethod
    def _entries(cls, entries: list[str]) -> list[str]:
        """Lower-case abbreviations ending in a period, each listed once."""
        bad = [e for e in entries if not _matches(e)]
        if bad:
            raise ValueError(f"entries must be lower-case abbreviations ending in '.': {bad}")
        if len(set(entries)) != len(entries):
            raise ValueError("duplicate entries")
        return entries


def _matches(entry: str) -> bool:
    """Whether an entry has the abbreviation form (lower-case letters and periods, a final period)."""
    return re.fullmatch(_ENTRY, entry) is not None


@lru_cache(maxsize=1)
def load_sentence_knowledge() -> SentenceKnowledge:
    """The packaged abbreviation lists (read and validated once per process)."""
    path = resources.files("presslens") / "data" / "sentences" / "abbreviations.json"
    return SentenceKnowledge.model_validate(json.loads(path.read_text(encoding="utf-8")))
