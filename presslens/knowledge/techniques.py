"""Propaganda-technique knowledge: the trained detector weights, validated once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

_DIR = ("data", "techniques")
MODEL_FILE = "model.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LinearSpec(_Model):
    """A linear model over string features: one weight row per feature, one column per class."""

    classes: list[str] = Field(min_length=1)
    bias: list[float]
    weights: dict[str, list[float]]

    @model_validator(mode="after")
    def _shapes(self) -> LinearSpec:
        width = len(self.classes)
        if len(self.bias) != width or any(len(row) != width for row in self.weights.values()):
            raise ValueError("every weight row and the bias need one value per class")
        return self


# Templates whose per-word tables word scores add to; "sv" is averaged over a sentence's listed words.
WORD_SCORE_TEMPLATES = frozenset({"w", "w-1", "w+1", "sv"})


class WordScoresSpec(_Model):
    """Word-vector weights folded into one score per word and template (the token model's dense features)."""

    words: list[str] = Field(min_length=1)
    templates: dict[str, list[float]]

    @model_validator(mode="after")
    def _shapes(self) -> WordScoresSpec:
        if set(self.templates) - WORD_SCORE_TEMPLATES:
            raise ValueError(f"word score templates must be among {sorted(WORD_SCORE_TEMPLATES)}")
        if any(len(scores) != len(self.words) for scores in self.templates.values()):
            raise ValueError("every word score table needs one value per word")
        return self


class ModelSpec(_Model):
    """``data/techniques/model.json``: lexicons the features use, the token and the technique models."""

    version: int
    trained_on: str
    lexicons: dict[str, list[str]]
    tokens: LinearSpec
    word_scores: WordScoresSpec | None = None
    techniques: LinearSpec


@dataclass(frozen=True)
class Linear:
    """A linear model ready for scoring: feature -> weight row, and the bias row."""

    classes: tuple[str, ...]
    bias: np.ndarray
    weights: dict[str, np.ndarray]

    @classmethod
    def from_spec(cls, spec: LinearSpec) -> Linear:
        """Arrays from the validated file contents."""
        rows = {name: np.asarray(row, dtype=np.float64) for name, row in spec.weights.items()}
        return cls(tuple(spec.classes), np.asarray(spec.bias, dtype=np.float64), rows)

    def scores(self, features: list[str]) -> np.ndarray:
        """Summed weights of the features that the model knows, plus the bias."""
        total = self.bias.copy()
        get = self.weights.get
        for name in features:
            row = get(name)
            if row is not None:
                total += row
        return total


@dataclass(frozen=True)
class TechniqueModel:
    """The loaded detector: word -> lexicon names, the token tagger's weights and the technique classifier."""

    lexicon: dict[str, tuple[str, ...]]
    token_bias: float
    token_templates: dict[str, dict[str, float]]
    techniques: Linear


def split_templates(weights: dict[str, float]) -> dict[str, dict[str, float]]:
    """Feature weights grouped by template: 'w=fury' -> {'w': {'fury': w}}; names without '=' under ''."""
    templates: dict[str, dict[str, float]] = {}
    for name, weight in weights.items():
        template, sep, value = name.partition("=")
        if sep:
            templates.setdefault(template, {})[value] = weight
        else:
            templates.setdefault("", {})[name] = weight
    return templates


def add_word_scores(templates: dict[str, dict[str, float]], spec: WordScoresSpec | None) -> dict[str, dict[str, float]]:
    """The per-template tables (updated in place) with each word's folded score added to its entry."""
    if spec is None:
        return templates
    for name, scores in spec.templates.items():
        table = templates.setdefault(name, {})
        for word, score in zip(spec.words, scores):
            table[word] = table.get(word, 0.0) + score
    return templates


def invert_lexicons(lexicons: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Word -> the names of the lexicons listing it, so a token needs one lookup."""
    index: dict[str, list[str]] = {}
    for name in sorted(lexicons):
        for word in lexicons[name]:
            index.setdefault(word, []).append(name)
    return {word: tuple(names) for word, names in index.items()}


def model_from_dict(data: dict) -> TechniqueModel:
    """A TechniqueModel from the contents of a model file (raises ValueError when malformed)."""
    try:
        spec = ModelSpec.model_validate(data)
    except ValidationError as err:
        raise ValueError(f"technique model: {err}") from err
    if len(spec.tokens.classes) != 1:
        raise ValueError("technique model: the token model scores one class (propaganda)")
    return TechniqueModel(
        lexicon=invert_lexicons(spec.lexicons),
        token_bias=spec.tokens.bias[0],
        token_templates=add_word_scores(split_templates({name: row[0] for name, row in spec.tokens.weights.items()}), spec.word_scores),
        techniques=Linear.from_spec(spec.techniques),
    )


def _data_path(name: str) -> Path:
    """Path of a packaged file in data/techniques."""
    return Path(str(resources.files("presslens").joinpath(*_DIR, name)))


def packaged_model_data() -> dict[str, Any]:
    """The contents of the shipped ``data/techniques/model.json`` (what ``presslens_techniques`` saves with the pipeline)."""
    return json.loads(_data_path(MODEL_FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_technique_model() -> TechniqueModel:
    """The detector shipped in ``data/techniques/model.json``, loaded once."""
    return model_from_dict(packaged_model_data())


