"""The presslens configuration: one spaCy-format file for every stage, validated at load time."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from confection import Config
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from presslens.errors import UsageError

DEFAULT_CONFIG = resources.files("presslens") / "config.cfg"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestSettings(_Section):
    """How sources are read."""

    max_bytes: int = Field(gt=0)
    suffixes: list[str]


class CleanSettings(_Section):
    """How raw text becomes the cleaned article text."""

    codepages: list[str]
    title_max_words: int = Field(gt=0)
    boilerplate_max_words: int = Field(gt=0)
    min_chars: int = Field(ge=1)
    max_chars: int = Field(gt=0, le=1_000_000)
    lang_sample_chars: int = Field(gt=0)
    lang_min_chars: int = Field(ge=0)
    lang_min_confidence: float = Field(ge=0.0, le=1.0)
    languages: list[str]

    @field_validator("codepages")
    @classmethod
    def _known_codecs(cls, codepages: list[str]) -> list[str]:
        """Every code page must be a codec Python knows."""
        for name in codepages:
            try:
                codecs.lookup(name)
            except LookupError:
                raise ValueError(f"unknown code page {name!r}") from None
        return codepages


class NlpSettings(_Section):
    """Which spaCy model and presslens components make up the pipeline."""

    model: str
    components: list[str]
    batch_size: int = Field(gt=0)
    n_process: int = Field(ge=1)


class StoreSettings(_Section):
    """Where and how records are stored."""

    db: str
    batch_size: int = Field(gt=0)
    lock_timeout_s: float = Field(gt=0)


class QuerySettings(_Section):
    """Limits of `presslens query`: a runaway statement ends with a coded error instead of the machine."""

    timeout_s: float = Field(gt=0)
    max_rows: int = Field(gt=0)
    memory_limit: str = Field(pattern=r"^\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$")
    threads: int = Field(ge=1)


class WebSettings(_Section):
    """How `presslens serve` listens and what it accepts: hostile input meets these limits first."""

    host: str
    port: int = Field(ge=0, le=65535)
    allowed_hosts: list[str] = Field(min_length=1)
    max_body_bytes: int = Field(gt=0)
    page_size: int = Field(gt=0, le=1000)
    lock_wait_s: float = Field(gt=0)


@dataclass(frozen=True)
class Settings:
    """The parsed configuration file, section by section, with its text (part of the run fingerprint)."""

    text: str
    ingest: IngestSettings
    clean: CleanSettings
    nlp: NlpSettings
    components: dict[str, dict[str, Any]]
    initialize: dict[str, dict[str, Any]]  # [initialize.components.NAME]: knowledge additions, resolved at load
    store: StoreSettings
    query: QuerySettings
    web: WebSettings


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate a configuration file (the packaged default when ``path`` is None).

    Raises:
        UsageError: PL201 when the file is missing, PL205 when it does not validate.
    """
    if path is None:
        text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UsageError("PL201", path=str(path)) from None
        except (OSError, UnicodeDecodeError) as err:
            raise UsageError("PL205", detail=f"cannot read {path}: {err}") from None
    try:
        cfg = Config().from_str(text)
        return Settings(
            text=text,
            ingest=IngestSettings(**cfg["ingest"]),
            clean=CleanSettings(**cfg["clean"]),
            nlp=NlpSettings(**cfg["nlp"]),
            components={name: dict(section) for name, section in cfg.get("components", {}).items()},
            initialize={name: dict(section) for name, section in cfg.get("initialize", {}).get("components", {}).items()},
            store=StoreSettings(**cfg["store"]),
            query=QuerySettings(**cfg["query"]),
            web=WebSettings(**cfg["web"]),
        )
    except (KeyError, ValidationError, ValueError) as err:
        detail = str(err).replace("\n", " ")
        raise UsageError("PL205", detail=detail) from None
