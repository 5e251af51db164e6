"""Remove boilerplate lines (sign-ups, consent, cookie, share and teaser lines) from article text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict

# A short line not ending like a sentence is a link, label or teaser headline ("Facebook").
_LINK_LIKE = re.compile(r"^(?:\S+\s+){0,14}\S*[^.!?:;\"'”’\s]$")


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tail: bool
    source: str
    patterns: list[str]


class _BoilerplateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int
    categories: dict[str, _Category]


@dataclass(frozen=True)
class _Rule:
    category: str
    tail: bool
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def load_rules() -> tuple[_Rule, ...]:
    """Load and validate ``data/boilerplate.yaml`` once (a bad regex fails here, not mid-run)."""
    raw = yaml.safe_load((resources.files("presslens") / "data" / "boilerplate.yaml").read_text("utf-8"))
    parsed = _BoilerplateFile.model_validate(raw)
    return tuple(
        _Rule(name, cat.tail, re.compile(pattern, re.I))
        for name, cat in parsed.categories.items()
        for pattern in cat.patterns
    )


def match_boilerplate(line: str, max_words: int) -> _Rule | None:
    """The rule a short line matches, or None for article text."""
    if not line.strip() or len(line.split()) > max_words:
        return None
    return next((rule for rule in load_rules() if rule.pattern.search(line)), None)


def strip_boilerplate(text: str, max_words: int) -> tuple[str, list[str]]:
    """Return ``text`` without boilerplate lines, and the categories removed (for warnings).

    A line matching a pattern goes; so does the block of short link-like lines ending the text
    when it holds a line of a "tail" category (a share bar split into "Facebook", "Twitter", ...).
    """
    lines = text.split("\n")
    rules = [match_boilerplate(line, max_words) for line in lines]
    tail_start = len(lines)
    while tail_start > 0 and (rules[tail_start - 1] or not lines[tail_start - 1].strip() or _LINK_LIKE.match(lines[tail_start - 1].strip())):
        tail_start -= 1
    sweep_tail = any(rule and rule.tail for rule in rules[tail_start:])
    kept = [
        line for i, (line, rule) in enumerate(zip(lines, rules))
        if rule is None and not (sweep_tail and i >= tail_start)
    ]
    removed = [rule.category for rule in rules if rule is not None]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip(), removed
