from __future__ import annotations

from typing import Any

import pytest
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

import presslens.nlp.extensions  # noqa: F401  (registers the Doc and Token extensions)
from presslens.clean.article import Article
from presslens.record.convert import from_article

WORDS = ["Hamas", "said", "Egypt", "hosted", "talks", "in", "Cairo", ".", "Biden", "agreed", "."]
SPACES = [True, True, True, True, True, True, False, True, True, False, False]
TEXT = "Hamas said Egypt hosted talks in Cairo. Biden agreed."
HAMAS: dict[str, Any] = {
    "id": "hamas", "name": "Hamas", "kind": "organisation", "country": "PSE", "cameo": "PSEREB",
    "role": None, "affiliation": None, "aliases": ["Hamas"], "mentions": [[0, 5]],
}
CAIRO: dict[str, Any] = {
    "id": "cairo", "name": "Cairo", "geonameid": 360630, "lat": 30.06, "lon": 31.25, "country": "EGY",
    "alt_names": ["Cairo"], "mentions": [[33, 38]],
}
EVENT: dict[str, Any] = {
    "id": "e0", "type": "CONSULT", "cameo": "043", "source": "egypt", "target": None, "source_cameo": "EGY",
    "target_cameo": None, "mode": None, "negated": False, "hypothetical": False, "background": False, "attributed_to": "hamas",
    "place": "cairo", "date": None, "fatalities": None, "trigger": [17, 23], "sentence": [0, 39], "confidence": 0.8,
}
QUOTE: dict[str, Any] = {
    "start": 11, "end": 38, "text": "Egypt hosted talks in Cairo", "kind": "indirect", "speaker": "hamas",
    "speaker_span": [0, 5], "cue": "said", "attributed_via": None,
}
SOURCE: dict[str, Any] = {
    "speaker": "hamas", "name": "Hamas", "country": "PSE", "quotes": 1, "words": 5, "direct": 0, "relayed": 0,
    "second_hand_only": False,
}
FRAMING: list[dict[str, Any]] = [
    {"kind": "hedge", "start": 6, "end": 10, "text": "said", "target": None, "voice": "outlet", "note": "n0", "technique": None},
    {"kind": "loaded_term", "start": 46, "end": 52, "text": "agreed", "target": "joe-biden", "voice": "outlet", "note": "n1", "technique": None},
]


def _article(text: str = TEXT) -> Article:
    return Article(id="f" * 64, text=text, source="a.txt", title="Talks", published="2024-03-05", lang="en", warnings=["w0"])


def _doc() -> Doc:
    """A hand-built Doc as the presslens components leave it (no model needed)."""
    doc = Doc(Vocab(), words=WORDS, spaces=SPACES, sent_starts=[True] + [False] * 7 + [True, False, False])
    doc.ents = [Span(doc, 0, 1, "ORG"), Span(doc, 2, 3, "GPE"), Span(doc, 6, 7, "GPE"), Span(doc, 8, 9, "PERSON")]
    for i, actor in ((0, "hamas"), (2, "egypt"), (8, "joe-biden")):
        doc[i]._.presslens_actor = actor
    doc[6]._.presslens_place = "cairo"
    doc._.presslens_actors = {"hamas": HAMAS}
    doc._.presslens_places = {"cairo": CAIRO}
    doc._.presslens_events = [EVENT]
    doc._.presslens_quotes = {"quotes": [QUOTE], "sources": [SOURCE]}
    doc._.presslens_sentence_bias = [0.25, 0.75]
    doc._.presslens_framing = FRAMING
    doc._.presslens_techniques = [{"framing": 1, "technique": "Loaded_Language"}]
    doc._.presslens_warnings = [{"message": "stray character", "start": None, "end": None}]
    return doc


def test_record_convert_reads_every_typed_output_once() -> None:
    record = from_article(_article(), _doc()).model_dump()
    assert [(e["text"], e["label"], e["sentence"], e["actor_id"], e["place_id"]) for e in record["entities"]] == [
        ("Hamas", "ORG", 0, "hamas", None),
        ("Egypt", "GPE", 0, "egypt", None),
        ("Cairo", "GPE", 0, None, "cairo"),
        ("Biden", "PERSON", 1, "joe-biden", None),
    ]
    assert all(TEXT[e["start"] : e["end"]] == e["text"] for e in record["entities"])
    assert record["sentences"] == [{"start": 0, "end": 39, "bias": 0.25}, {"start": 40, "end": 53, "bias": 0.75}]
    assert record["actors"] == [{**HAMAS, "mentions": [(0, 5)]}]
    assert record["places"] == [{**CAIRO, "mentions": [(33, 38)]}]
    assert record["events"] == [{**EVENT, "trigger": (17, 23), "sentence": (0, 39)}]
    assert record["quotes"] == [{**QUOTE, "speaker_span": (0, 5)}]
    assert record["sources"] == [SOURCE]
    assert record["framing"] == [FRAMING[0], {**FRAMING[1], "technique": "Loaded_Language"}]
    assert FRAMING[1]["technique"] is None  # the component's output is not rewritten
    assert record["warnings"] == ["w0", "stray character"]
    assert (record["id"], record["source"], record["title"], record["published"]) == ("f" * 64, "a.txt", "Talks", "2024-03-05")


def test_record_convert_without_component_outputs() -> None:
    doc = Doc(Vocab(), words=WORDS, spaces=SPACES, sent_starts=[True] + [False] * 10)
    record = from_article(_article(), doc)
    assert [s.model_dump() for s in record.sentences] == [{"start": 0, "end": 53, "bias": None}]
    assert (record.entities, record.actors, record.events, record.quotes, record.sources, record.framing) == ([], [], [], [], [], [])
    assert record.warnings == ["w0"]


def test_record_convert_article_alone_keeps_metadata_and_text() -> None:
    record = from_article(_article())
    assert (record.text, record.lang, record.sentences, record.entities, record.warnings) == (TEXT, "en", [], [], ["w0"])


def test_record_convert_refuses_a_doc_of_another_text() -> None:
    with pytest.raises(ValueError, match="Doc text differs"):
        from_article(_article(TEXT + " More."), _doc())


def test_record_convert_rejects_output_that_breaks_the_contract() -> None:
    doc = _doc()
    doc._.presslens_events = [{**EVENT, "type": "NOT_A_PLOVER_TYPE"}]
    with pytest.raises(ValueError, match="type"):
        from_article(_article(), doc)
