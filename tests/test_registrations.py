from __future__ import annotations

from importlib.metadata import entry_points

import spacy

import presslens


def test_registrations_spacy_factories_snapshot() -> None:
    names = sorted(ep.name for ep in entry_points(group="spacy_factories") if ep.value.startswith("presslens."))
    assert names == ["presslens_actors", "presslens_bias", "presslens_events", "presslens_framing", "presslens_places", "presslens_quotes", "presslens_techniques", "presslens_textcheck"]


def test_registrations_component_available_in_any_pipeline() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("presslens_textcheck")
    doc = nlp("It resulted in n 7 deaths.")
    assert [w["message"] for w in doc._.presslens_warnings] == ["stray token 'n' before a number in 'resulted in n 7'"]


def test_registrations_public_api_is_exported() -> None:
    assert sorted(presslens.__all__) == [
        "ArticleRecord", "BadInputError", "Pipeline", "PresslensError", "Quarantined", "Settings", "Store",
        "UsageError", "__version__", "analyze", "load_nlp", "load_settings",
    ]
    for name in presslens.__all__:
        assert hasattr(presslens, name)
