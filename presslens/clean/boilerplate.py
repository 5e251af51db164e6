"""Remove boilerplate lines (sign-ups, consent, cookie, share and teaser lines) from article text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

# A short line not ending like a sentence is a link, label or teaser headline ("Facebook").
_LINK_LIKE = re.compile(r"^(?:\S+\s+){0,14}\S*[^.!?:;\"'”’\s]$")
# Boilerplate quotes nobody: a line with quotation marks is somebody's words.
_QUOTE_MARKS = re.compile(r"[\"“”«»„]")


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    where: Literal["edges", "anywhere"]
    source: str
    patterns: list[str]


class _BoilerplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    categories: dict[str, _Category]


@dataclass(frozen=True)
class _Rule:
    category: str
    anywhere: bool
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def load_rules() -> tuple[_Rule, ...]:
    """Load and validate ``data/boilerplate.yaml`` once (a bad regex fails here, not mid-run)."""
    raw = yaml.safe_load((resources.files("presslens") / "data" / "boilerplate.yaml").read_text("utf-8"))
    parsed = _BoilerplateFile.model_validate(raw)
    return tuple(
        _Rule(name, cat.where == "anywhere", re.compile(pattern, re.I))
        for name, cat in parsed.categories.items()
        for pattern in cat.patterns
    )


def match_boilerplate(line: str, max_words: int) -> _Rule | None:
    """The rule a short line without quotation marks matches, or None for article text."""
    if not line.strip() or len(line.split()) > max_words or _QUOTE_MARKS.search(line):
        return None
    return next((rule for rule in load_rules() if rule.pattern.search(line)), None)


def strip_boilerplate(text: str, max_words: int) -> tuple[str, list[str]]:
    """Return ``text`` without boilerplate lines, and the categories removed (for warnings).

    "anywhere" matches go wherever they are. "edges" matches go only in the run of blank and
    matching lines that opens the text, and in the closing run of blank, matching and short
    link-like lines, which goes whole when it holds a match (a share bar split into
    "Facebook", "Twitter", ...).
    """
    lines = text.split("\n")
    rules = [match_boilerplate(line, max_words) for line in lines]
    head = 0
    while head < len(lines) and (rules[head] or not lines[head].strip()):
        head += 1
    tail = len(lines)
    while tail > head and (rules[tail - 1] or not lines[tail - 1].strip() or _LINK_LIKE.match(lines[tail - 1].strip())):
        tail -= 1
    sweep_tail = any(rules[tail:])
    drop = [
        bool(rule and (rule.anywhere or i < head or i >= tail)) or (sweep_tail and i >= tail)
        for i, rule in enumerate(rules)
    ]
    kept = [line for line, dropped in zip(lines, drop) if not dropped]
    removed = [rule.category for rule, dropped in zip(rules, drop) if rule and dropped]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip(), removed
