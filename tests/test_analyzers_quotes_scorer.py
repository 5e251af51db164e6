from __future__ import annotations

import spacy
from spacy.training import Example

from presslens.analyzers.quotes.scorer import GoldAttribution, GoldSpan, score_document, score_quotes

TEXT = 'Ann said "alpha beta gamma delta". Bob said "epsilon zeta". Carl said eta theta.'


def _at(piece: str, text: str = TEXT) -> GoldSpan:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


def _gold() -> list[GoldAttribution]:
    return [
        {"quote": _at('"alpha beta gamma delta"'), "speaker": _at("Ann"), "type": "direct"},
        {"quote": _at('"epsilon zeta"'), "speaker": _at("Bob"), "type": "direct"},
        {"quote": _at("eta theta"), "speaker": _at("Carl"), "type": "indirect"},
    ]


def _pred(piece: str, kind: str, speaker: str | None, text: str = TEXT) -> dict:
    span = _at(piece, text)
    speaker_span = (text.index(speaker), text.index(speaker) + len(speaker)) if speaker else None
    return {**span, "kind": kind, "speaker_span": speaker_span}


def _example(text: str, doc_id: str, gold: list[GoldAttribution], predicted: list[dict]) -> Example:
    nlp = spacy.blank("en")
    reference, doc = nlp.make_doc(text), nlp.make_doc(text)
    reference._.presslens_quotes = {"id": doc_id, "attributions": gold}
    doc._.presslens_quotes = {"quotes": predicted, "sources": []}
    return Example(doc, reference)


def test_analyzers_quotes_scorer_score_document_exact_counts() -> None:
    predicted = [
        _pred("alpha beta", "direct", "Ann"),  # half of g1's words: found, right speaker
        _pred('said "epsilon zeta"', "mixed", "Carl"),  # 2 of its 3 words in g2: right; wrong speaker
        _pred("Carl said", "direct", None),  # in no attribution: wrong
        _pred("eta theta", "indirect", "Carl"),  # counts only for all-attribution recall
    ]
    counts = score_document(TEXT, _gold(), predicted)
    assert counts == {
        "gold": 2, "found": 2, "pred": 3, "right": 2, "spk_gold": 2, "spk_right": 1, "all_gold": 3, "all_found": 3
    }


def test_analyzers_quotes_scorer_fragments_count_words_of_the_pieces() -> None:
    text = '"One two," she said. "Three four five six."'
    whole = _at(text, text)
    gold: list[GoldAttribution] = [{
        "quote": {**whole, "fragments": [_at('"One two,"', text), _at('"Three four five six."', text)]},
        "speaker": _at("she", text),
        "type": "direct",
    }]
    scores = score_quotes([_example(text, "x", gold, [_pred('"One two,"', "direct", "she", text)])])
    # 2 of the 6 fragment words are covered (not found); the prediction lies in the attribution (right)
    assert {k: scores[k] for k in ("quotes_p", "quotes_r", "quotes_f", "quotes_speaker_acc")} == {
        "quotes_p": 1.0, "quotes_r": 0.0, "quotes_f": 0.0, "quotes_speaker_acc": None
    }
    assert scores["quotes_fixtures"] is None


def test_analyzers_quotes_scorer_strict_needs_overlap() -> None:
    text = '"red blue" he said. Later red blue appeared.'
    gold: list[GoldAttribution] = [{"quote": _at('"red blue"', text), "speaker": _at("he", text), "type": "direct"}]
    elsewhere = [{"start": 26, "end": 34, "text": "red blue", "kind": "direct", "speaker_span": None}]
    loose = score_document(text, gold, elsewhere)
    strict = score_document(text, gold, elsewhere, strict=True)
    assert (loose["found"], loose["spk_gold"], loose["spk_right"]) == (1, 1, 0)
    assert (strict["found"], strict["right"]) == (0, 0)


def test_analyzers_quotes_scorer_sums_examples_and_fixture_cases() -> None:
    found = _example(TEXT, "textacy-1", _gold(), [_pred('"alpha beta gamma delta"', "direct", "Ann"),
                                                  _pred('"epsilon zeta"', "direct", "Bob")])
    negative = _example("Nothing is quoted here.", "textacy-2", [], [_pred("Nothing", "direct", None, "Nothing")])
    other_task = Example(spacy.blank("en").make_doc("No gold."), spacy.blank("en").make_doc("No gold."))
    scores = score_quotes([found, negative, other_task])
    assert (scores["quotes_p"], scores["quotes_r"], scores["quotes_f"]) == (0.6667, 1.0, 0.8)
    assert (scores["quotes_speaker_acc"], scores["quotes_all_r"]) == (1.0, 0.6667)
    assert scores["quotes_counts"]["pred"] == 3
    assert scores["quotes_fixtures"] == {"passed": 1, "total": 2, "cases": {"textacy-1": True, "textacy-2": False}}


def test_analyzers_quotes_scorer_is_registered() -> None:
    assert spacy.registry.scorers.get("presslens.quotes_scorer.v1")() is score_quotes
