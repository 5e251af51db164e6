"""Reported speech on the real parse (the configured pipeline)."""

from __future__ import annotations

from spacy.language import Language


def test_analyzers_quotes_indirect_speech_and_according_to(nlp: Language) -> None:
    [said] = nlp("The minister said that the budget would be cut by ten percent next year.")._.presslens_quotes["quotes"]
    assert (said["text"], said["kind"], said["speaker_span"]) == (
        "that the budget would be cut by ten percent next year", "indirect", [0, 12]
    )
    [according] = nlp("According to the ministry, 40 people were injured in the storm.")._.presslens_quotes["quotes"]
    assert (according["text"], according["cue"]) == ("40 people were injured in the storm", "According to")
