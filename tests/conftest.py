"""Shared fixtures: the packaged settings, one loaded pipeline, the seed article and the eval data.

Markers (declared in pyproject.toml): a test that uses the session ``pipeline`` or ``nlp`` fixture is
marked ``slow`` here, so ``pytest -m "not slow"`` runs the unit tests without loading the model; a test
marked ``encoder`` (every test of ``tests/test_analyzers_bias_encoder.py``) or ``textacy`` skips, with
the install command as its reason, when that extra is not installed. With the environment variable
``CI`` set, a missing extra or missing ``../shared`` data fails a test instead of skipping it.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from presslens.settings import Settings, load_settings

if TYPE_CHECKING:  # imported in the fixtures: a test that loads no model imports neither spaCy nor the pipeline
    from spacy.language import Language

    from presslens.pipeline import Pipeline

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "judean-hamas-cooling-period.txt"
SHARED = ROOT.parent / "shared"

# marker -> (modules it needs, what provides them, the command that installs them)
EXTRAS = {
    "encoder": (("torch", "transformers", "peft"), "the encoder extra", "pip install -e '.[encoder]' (or: make test-encoder)"),
    "textacy": (("textacy",), "textacy (the test extra)", "pip install -e '.[test]'"),
}
ENCODER_TEST_FILES = {"test_analyzers_bias_encoder.py"}
MODEL_FIXTURES = {"pipeline", "nlp"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of the encoder test files ``encoder`` and the model-loading tests ``slow``."""
    for item in items:
        if item.path.name in ENCODER_TEST_FILES:
            item.add_marker(pytest.mark.encoder)
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(tryfirst=True)  # before the skipping plugin reads the skip marks
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a test whose extra is not installed, with the install command (fail it when ``CI`` is set)."""
    for marker, (modules, what, command) in EXTRAS.items():
        if item.get_closest_marker(marker) and not all(map(_installed, modules)):
            message = f"needs {what}: {command}"
            if os.environ.get("CI"):
                pytest.fail(f"{message} (CI is set, so a missing extra is a failure)")
            item.add_marker(pytest.mark.skip(reason=message))


def _installed(module: str) -> bool:
    """Whether a module can be imported, without importing it."""
    return importlib.util.find_spec(module) is not None


def missing_shared(path: Path) -> None:
    """Skip the calling test (fail it when ``CI`` is set) because a ../shared file is absent."""
    message = f"{path} is absent: the shared folder must sit beside the repository"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so missing shared data is a failure)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def pipeline(settings: Settings) -> Pipeline:
    """One pipeline per test session, so the spaCy model loads once."""
    from presslens.pipeline import Pipeline

    return Pipeline(settings)


@pytest.fixture(scope="session")
def nlp(pipeline: Pipeline) -> Language:
    """The configured spaCy pipeline (model plus every presslens component) of the session pipeline."""
    return pipeline.nlp


@pytest.fixture
def cli_nlp(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> Language:
    """The session pipeline, also behind every pipeline the CLI builds in-process (no second model load)."""
    from presslens.nlp import build
    from presslens.pipeline import Pipeline

    monkeypatch.setattr(build, "load_nlp", lambda settings: nlp)
    monkeypatch.setattr(Pipeline, "nlp", property(lambda self: nlp))
    return nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_expected() -> dict[str, Any]:
    """The analyst's expectations for the seed article (read from ../shared, never copied)."""
    path = SHARED / "samples" / "judean-hamas-cooling-period.expected.json"
    if not path.is_file():
        missing_shared(path)
    return json.loads(path.read_text(encoding="utf-8"))


def shared_eval(relative: str) -> Path:
    """A path under ../shared/eval; the test skips (fails when ``CI`` is set) when it is absent."""
    path = SHARED / "eval" / relative
    if not path.exists():
        missing_shared(path)
    return path
