"""presslens_bias on real Docs: one probability per sentence, loaded wording above plain reporting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from presslens.analyzers.bias import MODEL_PATH, BiasModel, SentenceBias, read_bias_model, score_bias

LOADED = "The corrupt regime's thugs brutally crushed the peaceful protesters in a shameful display of tyranny."
PLAIN = "The city council will meet on Tuesday to discuss the budget for next year."


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


def test_analyzers_bias_doc_without_sentence_boundaries_is_one_sentence(nlp: Language) -> None:
    parsed = nlp(LOADED)
    bare = Doc(parsed.vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed],
               tags=[t.tag_ for t in parsed], pos=[t.pos_ for t in parsed], lemmas=[t.lemma_ for t in parsed])
    assert nlp.get_pipe("presslens_bias")(bare)._.presslens_sentence_bias == parsed._.presslens_sentence_bias


def test_analyzers_bias_model_from_the_reader_is_saved_with_the_pipeline(nlp: Language, tmp_path: Path) -> None:
    model = BiasModel.load(MODEL_PATH)
    model = BiasModel(model.tables, model.mean, model.scale, -model.coef, -model.intercept, {"note": "flipped"})
    model.save(tmp_path / "flipped.npz")
    component = SentenceBias(nlp, "flipped", encoder=False)
    component.initialize(nlp=nlp, model=read_bias_model(str(tmp_path / "flipped.npz")))
    doc = nlp.make_doc(LOADED)
    for _, proc in nlp.pipeline[: nlp.pipe_names.index("presslens_bias")]:
        doc = proc(doc)
    flipped = component(doc)._.presslens_sentence_bias
    assert flipped[0] == pytest.approx(1 - nlp(LOADED)._.presslens_sentence_bias[0], abs=1e-4)
    component.to_disk(tmp_path / "saved")
    again = SentenceBias(nlp, "again", encoder=False).from_disk(tmp_path / "saved")
    assert again(doc)._.presslens_sentence_bias == flipped and again.model.card == {"note": "flipped"}


def test_analyzers_bias_reader_rejects_a_file_that_is_no_model(tmp_path: Path) -> None:
    (tmp_path / "junk.npz").write_bytes(b"not a model")
    with pytest.raises(ValueError):
        read_bias_model(str(tmp_path / "junk.npz"))


def test_analyzers_bias_scorer_macro_f1_by_hand() -> None:
    vocab = spacy.blank("en").vocab

    def example(words: list[str], starts: list[bool], predicted: list[float], gold: list[float]) -> Example:
        pred, ref = Doc(vocab, words=words, sent_starts=starts), Doc(vocab, words=words, sent_starts=starts)
        pred._.presslens_sentence_bias, ref._.presslens_sentence_bias = predicted, gold
        return Example(pred, ref)

    words = ["Thugs", "rioted", ".", "Rain", "fell", "."]
    starts = [True, False, False, True, False, False]
    # gold biased, not biased / biased, biased: predicted right, wrong / right, right
    scores = score_bias([example(words, starts, [0.9, 0.7], [1.0, 0.0]), example(words, starts, [0.6, 0.5], [1.0, 1.0])])
    # Biased: P 3/4, R 3/3, F1 0.8571; Non-biased: no prediction, F1 0
    assert scores["bias_per_class"]["Biased"] == {"precision": 0.75, "recall": 1.0, "f1": 0.8571}
    assert (scores["bias_macro_f1"], scores["bias_n"]) == (0.4285, 4)  # the mean of the rounded class F1s, as BABE eval always did
    assert spacy.registry.scorers.get("presslens.bias_scorer.v1")() is score_bias
