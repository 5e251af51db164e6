"""Build the spaCy Language from the presslens configuration."""

from __future__ import annotations

import importlib

import spacy
from confection import ConfigValidationError
from spacy.language import Language
from spacy.schemas import validate_init_settings
from spacy.util import registry

from presslens.errors import UsageError
from presslens.settings import Settings

# Importing the modules registers the factories (installed packages also find them through
# the ``spacy_factories`` entry points declared in pyproject.toml).
_COMPONENT_MODULES = ("presslens.analyzers.senter", "presslens.analyzers.textcheck", "presslens.analyzers.places", "presslens.analyzers.actors.component", "presslens.analyzers.events.component", "presslens.analyzers.quotes.component", "presslens.analyzers.bias", "presslens.analyzers.framing", "presslens.analyzers.techniques")


def load_nlp(settings: Settings) -> Language:
    """Load the configured model and add the presslens components with their config sections.

    A component that presets sentence starts (its factory assigns ``token.is_sent_start``) goes right
    before the model's parser, which honours preset starts; every other one is appended, in order.

    Raises:
        UsageError: PL205 when the model is not installed or spaCy rejects the model or a component
            (an unknown component name, a config value of the wrong type, an unexpected setting).
    """
    for module in _COMPONENT_MODULES:
        importlib.import_module(module)
    model = settings.nlp.model
    try:
        nlp = spacy.load(model)
    except OSError:
        raise UsageError(
            "PL205", detail=f"spaCy model {model!r} is not installed; run `pip install -e .` in the presslens checkout"
        ) from None
    except ValueError as err:
        raise UsageError("PL205", detail=f"spaCy model {model!r}: {_reason(err)}") from None
    for name in settings.nlp.components:
        try:
            component = nlp.add_pipe(name, config=settings.components.get(name, {}), before=_before(nlp, name))
            # The model's own components are trained already, so only presslens's are initialized
            # (nlp.initialize() would reset the tagger's and parser's weights).
            init = registry.resolve({"init": settings.initialize.get(name, {})})["init"]
            if hasattr(component, "initialize"):  # a plain function component has no knowledge to load
                component.initialize(lambda: [], nlp=nlp, **validate_init_settings(component.initialize, init, section="components", name=name))
        except (ValueError, OSError) as err:
            raise UsageError("PL205", detail=f"component {name!r}: {_reason(err)}") from None
    return nlp


def _before(nlp: Language, name: str) -> str | None:
    """``add_pipe``'s placement: "parser" for a sentence-start preset when the model has one, else None (appended)."""
    presets = nlp.has_factory(name) and "token.is_sent_start" in nlp.get_factory_meta(name).assigns
    return "parser" if presets and "parser" in nlp.pipe_names else None


def _reason(err: ValueError | OSError) -> str:
    """spaCy's reason on one line: the settings a config validation rejects, or the message's first line."""
    if isinstance(err, ConfigValidationError) and err.errors:
        return "; ".join(f"{' -> '.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors)
    return next(iter(str(err).strip().splitlines()), type(err).__name__)
