"""Shared fixtures: the packaged settings, one loaded pipeline, the seed article and the eval data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from presslens.pipeline import Pipeline
from presslens.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "judean-hamas-cooling-period.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def pipeline(settings: Settings) -> Pipeline:
    """One pipeline per test session, so the spaCy model loads once."""
    return Pipeline(settings)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_expected() -> dict[str, Any]:
    """The analyst's expectations for the seed article (read from ../shared, never copied)."""
    path = SHARED / "samples" / "judean-hamas-cooling-period.expected.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared folder must sit beside the repository")
    return json.loads(path.read_text(encoding="utf-8"))


def shared_eval(relative: str) -> Path:
    """A path under ../shared/eval, skipping the test with a clear message when it is absent."""
    path = SHARED / "eval" / relative
    if not path.exists():
        pytest.skip(f"evaluation data {path} is absent: the shared folder must sit beside the repository")
    return path
