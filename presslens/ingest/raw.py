"""RawDoc: one input record as read from a source, before cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "html"]


@dataclass(frozen=True)
class RawDoc:
    """Decoded input text (plain or HTML) with the metadata the source gave."""

    source: str
    kind: Kind
    content: str
    meta: dict[str, str] = field(default_factory=dict)
