"""Propaganda-technique knowledge: the trained detector weights and the technique-to-framing map, validated once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from presslens.record.models import FramingKind

_DIR = ("data", "techniques")
MODEL_FILE = "model.json"
MAP_FILE = "techniques.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TechniqueInfo(_Model):
    """What one PTC technique becomes in the framing output (``kind`` None: it never adds an item)."""

    kind: FramingKind | None
    note: str = Field(min_length=3)


class TechniqueMap(_Model):
    """``data/techniques/techniques.yaml``."""

    version: int
    source: str
    techniques: dict[str, TechniqueInfo] = Field(min_length=1)


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


class ModelSpec(_Model):
    """``data/techniques/model.json``: lexicons the features use, the token and the technique models."""

    version: int
    trained_on: str
    lexicons: dict[str, list[str]]
    tokens: LinearSpec
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
        token_templates=split_templates({name: row[0] for name, row in spec.tokens.weights.items()}),
        techniques=Linear.from_spec(spec.techniques),
    )


def _data_path(name: str) -> Path:
    """Path of a packaged file in data/techniques."""
    return Path(str(resources.files("presslens").joinpath(*_DIR, name)))


@lru_cache(maxsize=4)
def load_technique_model(path: Path | None = None) -> TechniqueModel:
    """The detector shipped in ``data/techniques/model.json`` (or another file), loaded once."""
    target = path or _data_path(MODEL_FILE)
    return model_from_dict(json.loads(target.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def load_technique_map() -> TechniqueMap:
    """Technique -> framing kind and reader note, from ``data/techniques/techniques.yaml``."""
    data = yaml.safe_load(_data_path(MAP_FILE).read_text(encoding="utf-8"))
    try:
        return TechniqueMap.model_validate(data)
    except ValidationError as err:
        raise ValueError(f"{MAP_FILE}: {err}") from err
