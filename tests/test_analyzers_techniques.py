from __future__ import annotations

import math

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from presslens.analyzers.techniques import (
    SPANS_KEY, SpanRule, TechniqueDetector, detect, find_spans, make_techniques, score_techniques, token_features,
    token_probabilities,
)
from presslens.knowledge.techniques import load_technique_model, model_from_dict
from presslens.pipeline import Pipeline

LOADED = "The corrupt regime's thugs brutally slaughtered innocent protesters in a despicable massacre."


@pytest.fixture(scope="module")
def nlp(pipeline: Pipeline) -> Language:
    return pipeline.nlp


@pytest.fixture(scope="module")
def detector(nlp: Language) -> TechniqueDetector:
    return nlp.get_pipe("presslens_techniques")


def _tiny_model() -> dict:
    """A hand-made model file: one word, one tag pair, one lexicon and one sentence cue carry weight."""
    row = lambda *w: list(w)  # noqa: E731
    return {
        "version": 1,
        "trained_on": "test",
        "lexicons": {"npov": ["brutal"], "negative": ["slaughter", "brutally"]},
        "tokens": {
            "classes": ["propaganda"], "bias": [-2.0],
            "weights": {"b": row(0.5), "w=thugs": row(3.0), "pp+1=JJ|NNS": row(1.0), "x=negative": row(2.0), "x-1=npov": row(0.7), "s!": row(0.25), "slen=1": row(-0.1)},
        },
        "techniques": {"classes": ["Doubt", "Loaded_Language"], "bias": [0.0, 0.1], "weights": {"w=thugs": [0.0, 1.0]}},
    }


def test_analyzers_techniques_fast_scores_equal_feature_weights(nlp: Language) -> None:
    model = model_from_dict(_tiny_model())
    doc = nlp.make_doc(LOADED)
    for name, proc in nlp.pipeline:
        if not name.startswith("presslens_"):
            doc = proc(doc)
    weights = {k: v[0] for k, v in _tiny_model()["tokens"]["weights"].items()}
    expected = [1 / (1 + math.exp(-(-2.0 + sum(weights.get(f, 0.0) for f in row)))) for row in token_features(doc, model.lexicon)]
    assert token_probabilities(doc, model) == pytest.approx(expected, abs=1e-12)
    assert max(range(len(doc)), key=lambda i: expected[i]) == [t.text for t in doc].index("thugs")


def test_analyzers_techniques_word_scores_add_to_the_token_and_the_sentence_mean(nlp: Language) -> None:
    plain = _tiny_model()
    scored = {**plain, "word_scores": {"words": ["thugs", "corrupt", "unused"], "templates": {"w": [1.0, 0.0, 9.0], "sv": [0.5, 2.0, 9.0]}}}
    doc = nlp(LOADED)
    before = token_probabilities(doc, model_from_dict(plain))
    after = token_probabilities(doc, model_from_dict(scored))
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    thugs = [t.text for t in doc].index("thugs")
    # every token gains the mean "sv" score of the sentence's listed words (thugs, corrupt), "thugs" also its "w" score
    assert [logit(b) - logit(a) for a, b in zip(before, after)] == pytest.approx([1.25 + (i == thugs) for i in range(len(doc))], abs=1e-9)


def test_analyzers_techniques_model_file_rejects_bad_shapes() -> None:
    bad = _tiny_model()
    bad["techniques"]["weights"]["w=thugs"] = [1.0]
    with pytest.raises(ValueError, match="one value per class"):
        model_from_dict(bad)
    with pytest.raises(ValueError, match="one value per word"):
        model_from_dict({**_tiny_model(), "word_scores": {"words": ["a", "b"], "templates": {"w": [1.0]}}})
    with pytest.raises(ValueError, match="templates must be among"):
        model_from_dict({**_tiny_model(), "word_scores": {"words": ["a"], "templates": {"p": [1.0]}}})


def test_analyzers_techniques_classifies_the_14_ptc_techniques() -> None:
    assert len(set(load_technique_model().techniques.classes)) == 14


def test_analyzers_techniques_span_rule_is_checked(nlp: Language) -> None:
    with pytest.raises(ValueError, match="token_share and sentence_cover in"):
        make_techniques(nlp, "t", sentence_threshold=0.35, token_share=1.5, max_gap=4, sentence_cover=0.7, spans_key=None, scorer=None)


def test_analyzers_techniques_spans_are_runs_or_the_whole_sentence(nlp: Language) -> None:
    doc = nlp("The regime's thugs stormed the square, the officials said on Monday, and the crowd fled in terror. The weather was mild.")
    probs = [0.0] * len(doc)
    # top 0.6, so tokens at 0.3 count; "Monday" alone never reaches the sentence threshold 0.35
    for word, p in {"thugs": 0.6, "stormed": 0.5, "square": 0.31, "Monday": 0.32, "crowd": 0.36, "fled": 0.3}.items():
        probs[[t.text for t in doc].index(word)] = p
    runs = find_spans(doc, probs, SpanRule(sentence_threshold=0.35, token_share=0.5, max_gap=2, sentence_cover=0.9))
    assert [doc[a:b].text for a, b in runs] == ["thugs stormed the square", "crowd fled"]
    # the counted tokens spread over 15 of the sentence's 21 tokens: at a cover of 0.7 the sentence is the span
    whole = find_spans(doc, probs, SpanRule(sentence_threshold=0.35, token_share=0.5, max_gap=2, sentence_cover=0.7))
    assert [doc[a:b].text for a, b in whole] == ["The regime's thugs stormed the square, the officials said on Monday, and the crowd fled in terror"]


def _rerun(nlp: Language, detector: TechniqueDetector, text: str, items: list[dict] | None = None) -> list[dict]:
    """The configured pipeline on ``text``, then the detector again over the given framing items."""
    doc = nlp(text)
    doc._.presslens_framing = items
    return detector(doc)._.presslens_techniques


def test_analyzers_techniques_detects_the_loaded_sentence(nlp: Language, detector: TechniqueDetector) -> None:
    doc = nlp(LOADED)
    [found] = detect(doc, detector.model, detector.rule)
    assert (doc[found.start : found.end].text, found.technique) == (LOADED.rstrip("."), "Loaded_Language")


def test_analyzers_techniques_adds_no_items_of_its_own(nlp: Language, detector: TechniqueDetector) -> None:
    assert _rerun(nlp, detector, LOADED, []) == []
    assert _rerun(nlp, detector, LOADED, None) == []


def test_analyzers_techniques_labels_overlapping_items_by_index(nlp: Language, detector: TechniqueDetector) -> None:
    untagged = {"kind": "label", "start": 21, "end": 26, "text": "thugs", "target": None, "voice": "outlet", "note": "n", "technique": None}
    tagged = {**untagged, "start": 84, "end": 92, "text": "massacre", "kind": "loaded_term", "technique": "Exaggeration,Minimisation"}
    sourcing = {"kind": "sourcing", "start": None, "end": None, "text": None, "target": None, "voice": "outlet", "note": "s", "technique": None}
    items = [untagged, tagged, sourcing]
    assert _rerun(nlp, detector, LOADED, items) == [{"framing": 0, "technique": "Loaded_Language"}]
    assert untagged["technique"] is None  # the framing items are left as framing wrote them


def test_analyzers_techniques_work_without_sentence_boundaries(nlp: Language, detector: TechniqueDetector) -> None:
    parsed = nlp(LOADED)
    bare = Doc(parsed.vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed],
               tags=[t.tag_ for t in parsed], lemmas=[t.lemma_ for t in parsed])
    assert not bare.has_annotation("SENT_START")
    probs = token_probabilities(bare, detector.model)
    assert len(probs) == len(bare) and [(d.start, d.end) for d in detect(bare, detector.model, detector.rule)]


def test_analyzers_techniques_span_group_when_asked(nlp: Language, detector: TechniqueDetector) -> None:
    doc = nlp(LOADED)
    detector.spans_key = SPANS_KEY
    try:
        detector(doc)
    finally:
        detector.spans_key = None
    assert [(s.text, s.label_) for s in doc.spans[SPANS_KEY]] == [(LOADED.rstrip("."), "Loaded_Language")]


def test_analyzers_techniques_scorer_partial_credit_by_hand() -> None:
    vocab = spacy.blank("en").vocab
    words = ["Thugs", "attacked", "the", "brave", "crowd", "today"]
    predicted, reference = Doc(vocab, words=words), Doc(vocab, words=words)
    predicted.spans[SPANS_KEY] = [Span(predicted, 0, 2, label="Name_Calling,Labeling")]  # "Thugs attacked", chars 0-14
    reference.spans[SPANS_KEY] = [Span(reference, 0, 1, label="Name_Calling,Labeling"), Span(reference, 3, 4, label="Loaded_Language")]
    scores = score_techniques([Example(predicted, reference)])
    # precision: 5 of the predicted span's 14 characters are gold; recall: (5/5 + 0) / 2 gold spans
    assert (scores["techniques_si_p"], scores["techniques_si_r"], scores["techniques_tc_f"]) == (0.3571, 0.5, 0.5)
    assert (scores["techniques_si_predicted"], scores["techniques_si_gold"]) == (1, 2)


def test_analyzers_techniques_scorer_is_registered_and_saved_weights_reload(nlp: Language, detector: TechniqueDetector, tmp_path) -> None:
    assert spacy.registry.scorers.get("presslens.techniques_scorer.v1")() is score_techniques
    detector.to_disk(tmp_path)
    copy = TechniqueDetector(nlp, "copy", detector.rule).from_disk(tmp_path)
    doc = nlp(LOADED)
    assert detect(doc, copy.model, copy.rule) == detect(doc, detector.model, detector.rule)
