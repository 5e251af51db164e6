"""presslens_sentences presets sentence starts around quotation marks, ellipses and abbreviations; the parser keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from pydantic import ValidationError
from spacy.language import Language

from presslens.analyzers.senter import SentenceRules
from presslens.eval.sentences import sentence_pipeline
from presslens.knowledge.sentences import SentenceKnowledge, load_sentence_knowledge
from presslens.settings import Settings

QUOTED = "“We will win…” she said. Then Sen. Warren left on Sept. 11.\nHe said: “It is over. We won.” Mr. Smith agreed... and left."


def _presets(text: str) -> list[tuple[str, bool | None]]:
    """(token, preset is_sent_start) of ``text`` after the rules alone, on spaCy's blank English tokenizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_sentences")
    return [(t.text, t.is_sent_start) for t in nlp(text)][1:]


@pytest.fixture(scope="module")
def model(settings: Settings) -> Language:
    """The configured model with presslens_sentences alone (the other components do not touch the splits)."""
    return sentence_pipeline(settings)


def test_senter_presets_only_where_the_rules_are_sure() -> None:
    presets = _presets(QUOTED)
    assert [t for t, start in presets if start is True] == ["He"]  # the word after the newline
    assert [t for t, start in presets if start is None] == ["Then", "We", "Mr."]  # terminal punctuation, then a capital
    assert dict(presets[:8]) == {"We": False, "will": False, "win": False, "…": False, "”": False, "she": False, "said": False, ".": False}
    assert dict(presets[9:11]) == {"Sen.": False, "Warren": False}
    assert dict(presets[13:16]) == {"Sept.": False, "11": False, ".": False}
    assert dict(presets[32:34]) == {"...": False, "and": False}


def test_senter_initials_brackets_and_run_in_headings() -> None:
    presets = dict(_presets('It is (hard.) Fine! SPEND A QUARTER  This step, G. K. Butterfield said.'))
    assert (presets[")"], presets["Fine"]) == (False, None)
    assert (presets["K."], presets["Butterfield"]) == (False, False)
    assert (presets["QUARTER"], presets["This"]) == (False, None)  # an all-caps word may end a heading: the parser decides
    straight = _presets('It ended. "We won," he said.')
    assert straight[2:5] == [('"', None), ("We", False), ("won", False)]  # the break may come before an opening mark, not after
    typewriter = _presets("It ended. ''We won,'' he said. ``Fine.''")
    assert [(t, start) for t, start in typewriter if start is not False] == [("''", None), ("`", None)]


@pytest.mark.slow
def test_senter_the_parser_keeps_the_presets(model: Language) -> None:
    assert model.pipe_names.index("presslens_sentences") == model.pipe_names.index("parser") - 1
    assert [s.text for s in model(QUOTED).sents] == [
        "“We will win…” she said.", "Then Sen. Warren left on Sept. 11.\n", "He said: “It is over.", "We won.”",
        "Mr. Smith agreed... and left.",
    ]
    texts = ['"It is hard to explain what the town looked like before."\n\nThe program grew.', "The rally was loud... the crowd cheered."]
    assert [[s.text for s in model(text).sents] for text in texts] == [
        ['"It is hard to explain what the town looked like before."\n\n', "The program grew."],
        ["The rally was loud... the crowd cheered."],
    ]
    with model.select_pipes(disable=["presslens_sentences"]):  # what the parser alone does with the same texts
        assert [[s.text for s in model(text).sents] for text in texts] == [
            ['"It is hard to explain what the town looked like before.', '"\n\nThe program grew.'],
            ["The rally was loud...", "the crowd cheered."],
        ]


def test_senter_knowledge_is_validated_and_saved_with_the_pipeline(tmp_path: Path) -> None:
    packaged = load_sentence_knowledge()
    assert {"sen.", "gen.", "mr."} <= set(packaged.before_name) and "sept." in packaged.before_number
    assert "u.s." not in packaged.before_name  # it also ends sentences ("... in the U.S. The next")
    with pytest.raises(ValidationError, match="lower-case abbreviations ending in '.'"):
        SentenceKnowledge.model_validate({**packaged.model_dump(), "before_name": ["Sen"]})
    nlp = spacy.blank("en")
    rules = nlp.add_pipe("presslens_sentences")
    assert isinstance(rules, SentenceRules)
    rules.initialize(abbreviations={**packaged.model_dump(), "before_name": ["chmn."]})
    assert dict((t.text, t.is_sent_start) for t in nlp("He met the chmn. Smith. Sen. Jones left."))["Smith"] is False
    rules.to_disk(tmp_path)
    reloaded = spacy.blank("en").add_pipe("presslens_sentences")
    assert isinstance(reloaded, SentenceRules)
    assert reloaded.from_disk(tmp_path).before_name == frozenset({"chmn."})
