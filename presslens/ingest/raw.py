"""RawDoc: one input record as read from a source, before cleaning; Quarantined: one that was rejected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

Kind = Literal["text", "html"]


@dataclass(frozen=True)
class RawDoc:
    """Decoded input text (plain or HTML) with the metadata the source gave."""

    source: str
    kind: Kind
    content: str
    meta: dict[str, str] = field(default_factory=dict)
    # What the reader changed on the way in (a JSON number stored as a string), for the article's warnings.
    warnings: tuple[str, ...] = ()


class Quarantined(BaseModel):
    """A record that could not be analyzed, with the coded reason and an excerpt of the raw input."""

    model_config = ConfigDict(extra="forbid")

    source: str
    code: str
    reason: str
    excerpt: str = ""
