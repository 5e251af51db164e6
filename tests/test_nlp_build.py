"""load_nlp turns spaCy's errors about the model and components into one-line PL205 usage errors.

The configured pipeline is the session fixture's (built by load_nlp); the error cases build on a blank
English pipeline, since the failing component, not the model, is what they exercise.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from spacy.language import Language

from presslens.errors import UsageError
from presslens.nlp.build import load_nlp
from presslens.settings import Settings


def _settings(settings: Settings, components: list[str], config: dict[str, Any], model: str = "blank:en") -> Settings:
    nlp = settings.nlp.model_copy(update={"components": components, "model": model})
    return dataclasses.replace(settings, nlp=nlp, components=config)


def test_nlp_build_adds_the_configured_components(settings: Settings, nlp: Language) -> None:
    """The sentence-start preset goes right before the parser; every other component is appended, in order."""
    appended = [name for name in settings.nlp.components if name != "presslens_sentences"]
    assert nlp.pipe_names[-len(appended):] == appended
    assert nlp.pipe_names.index("presslens_sentences") == nlp.pipe_names.index("parser") - 1
    textcheck = nlp.get_pipe("presslens_textcheck")
    assert getattr(textcheck, "max_stray_chars") == settings.components["presslens_textcheck"]["max_stray_chars"]


@pytest.mark.parametrize(
    ("components", "config", "reason"),
    [
        (["no_such_component"], {}, "component 'no_such_component': [E002] Can't find factory for 'no_such_component'"),
        (
            ["presslens_textcheck"],
            {"presslens_textcheck": {"max_stray_chars": "one"}},
            "component 'presslens_textcheck': presslens_textcheck -> max_stray_chars: at root: 'one' is not <class 'int'>",
        ),
        (
            ["presslens_textcheck"],
            {"presslens_textcheck": {"max_stray_chars": 1, "colour": "red"}},
            "component 'presslens_textcheck': presslens_textcheck -> colour: unexpected argument: 'colour'",
        ),
        (["presslens_textcheck", "presslens_textcheck"], {}, "component 'presslens_textcheck': [E007]"),
    ],
    ids=["unknown", "wrong-type", "unexpected-setting", "twice"],
)
def test_nlp_build_component_errors_are_usage_errors(
    settings: Settings, components: list[str], config: dict[str, Any], reason: str
) -> None:
    with pytest.raises(UsageError) as info:
        load_nlp(_settings(settings, components, config))
    assert info.value.code == "PL205"
    assert info.value.message.startswith(f"invalid configuration: {reason}")
    assert "\n" not in str(info.value)


def test_nlp_build_without_a_parser_appends_the_sentence_preset_too(settings: Settings) -> None:
    nlp = load_nlp(_settings(settings, ["presslens_textcheck", "presslens_sentences"], {}))
    assert nlp.pipe_names == ["presslens_textcheck", "presslens_sentences"]


def test_nlp_build_missing_model(settings: Settings) -> None:
    with pytest.raises(UsageError) as info:
        load_nlp(_settings(settings, [], {}, model="no_such_model_package"))
    assert info.value.code == "PL205" and "'no_such_model_package' is not installed" in str(info.value)
