"""Build the spaCy Language from the presslens configuration."""

from __future__ import annotations

import importlib

import spacy
from spacy.language import Language

from presslens.errors import UsageError
from presslens.settings import Settings

# Importing the modules registers the factories (installed packages also find them through
# the ``spacy_factories`` entry points declared in pyproject.toml).
_COMPONENT_MODULES = ("presslens.analyzers.textcheck",)


def load_nlp(settings: Settings) -> Language:
    """Load the configured model and append the presslens components with their config sections."""
    for module in _COMPONENT_MODULES:
        importlib.import_module(module)
    try:
        nlp = spacy.load(settings.nlp.model)
    except OSError:
        raise UsageError(
            "PL205", detail=f"spaCy model {settings.nlp.model!r} is not installed; run `pip install -e .` in the presslens checkout"
        ) from None
    for name in settings.nlp.components:
        nlp.add_pipe(name, config=settings.components.get(name, {}))
    return nlp
