"""The presslens_quotes component on hand-built parsed Docs: output shape, requires, knowledge and serialization."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import spacy
from confection import ConfigValidationError
from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc, Span

import presslens.analyzers.quotes.component  # noqa: F401  (registers the factory)
from presslens.analyzers.quotes.component import QuoteFinder
from presslens.clean import clean
from presslens.ingest.raw import RawDoc
from presslens.nlp.outputs import ActorOut, QuoteOut
from presslens.settings import Settings

from .conftest import SEED, shared_eval

_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019 .,"

# '"We will stay," said Jane Doe.' parsed as the small model parses it.
WORDS = ['"', "We", "will", "stay", ",", '"', "said", "Jane", "Doe", "."]
SPACES = [False, True, True, False, False, True, True, True, False, False]
HEADS = [3, 3, 3, 6, 3, 6, 6, 8, 6, 6]
DEPS = ["punct", "nsubj", "aux", "ccomp", "punct", "punct", "ROOT", "compound", "nsubj", "punct"]
TAGS = ["``", "PRP", "MD", "VB", ",", "''", "VBD", "NNP", "NNP", "."]
POS = ["PUNCT", "PRON", "AUX", "VERB", "PUNCT", "PUNCT", "VERB", "PROPN", "PROPN", "PUNCT"]
LEMMAS = ['"', "we", "will", "stay", ",", '"', "say", "Jane", "Doe", "."]
JANE: ActorOut = {"id": "jane-doe", "name": "Jane Doe", "kind": "person", "country": "USA", "cameo": None,
                  "role": None, "affiliation": None, "aliases": [], "mentions": [(21, 29)]}


def _first_starts(n: int) -> list[bool | int | None]:
    """One sentence of ``n`` tokens."""
    starts: list[bool | int | None] = [True]
    return starts + [False] * (n - 1)


def _doc(nlp: Language, *, lemmas: list[str] = LEMMAS, with_actor: bool = True) -> Doc:
    doc = Doc(nlp.vocab, words=WORDS, spaces=SPACES, heads=HEADS, deps=DEPS, tags=TAGS, pos=POS, lemmas=lemmas,
              sent_starts=_first_starts(len(WORDS)))
    if with_actor:
        doc.spans["presslens_actors"] = [Span(doc, 7, 9, label="jane-doe")]
        doc._.presslens_actors = {"jane-doe": JANE}
        for token in doc[7:9]:
            token._.presslens_actor = "jane-doe"
    return doc


@pytest.fixture
def blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_quotes")
    return nlp


def test_analyzers_quotes_component_writes_quotes_sources_and_spans(blank: Language) -> None:
    doc = blank.get_pipe("presslens_quotes")(_doc(blank))
    assert doc.text == '"We will stay," said Jane Doe.'
    assert doc._.presslens_quotes == {
        "quotes": [{"start": 0, "end": 15, "text": '"We will stay,"', "kind": "direct", "speaker": "jane-doe",
                    "speaker_span": [21, 29], "cue": "said", "attributed_via": None}],
        "sources": [{"speaker": "jane-doe", "name": "Jane Doe", "country": "USA", "quotes": 1, "words": 3,
                     "direct": 1, "relayed": 0, "second_hand_only": False}],
    }
    assert [(s.text, s.label_) for s in doc.spans["presslens_quotes"]] == [('"We will stay,"', "direct")]


def test_analyzers_quotes_component_speaker_actor_comes_from_the_token_index(blank: Language) -> None:
    doc = _doc(blank, with_actor=False)
    doc[8]._.presslens_actor = "jane-doe"  # the index alone, no mention span: the head token names the actor
    [quote] = blank.get_pipe("presslens_quotes")(doc)._.presslens_quotes["quotes"]
    assert (quote["speaker"], quote["speaker_span"]) == ("jane-doe", [21, 29])


def test_analyzers_quotes_component_requires_the_actors_output() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_quotes")
    analysis = nlp.analyze_pipes()
    assert analysis is not None
    problems = analysis["problems"]["presslens_quotes"]
    assert {"doc._.presslens_actors", "token._.presslens_actor", "token.dep", "token.tag"} <= set(problems)
    assert "token.pos" not in problems


def _chirped(nlp: Language) -> Doc:
    """'Jane Doe chirped that the plan failed.', parsed."""
    words = ["Jane", "Doe", "chirped", "that", "the", "plan", "failed", "."]
    return Doc(nlp.vocab, words=words, spaces=[True] * 6 + [False, False], heads=[1, 2, 2, 6, 5, 6, 2, 2],
               deps=["compound", "nsubj", "ROOT", "mark", "det", "nsubj", "ccomp", "punct"],
               tags=["NNP", "NNP", "VBD", "IN", "DT", "NN", "VBD", "."],
               pos=["PROPN", "PROPN", "VERB", "SCONJ", "DET", "NOUN", "VERB", "PUNCT"],
               lemmas=["Jane", "Doe", "chirp", "that", "the", "plan", "fail", "."], sent_starts=_first_starts(8))


def test_analyzers_quotes_component_cues_come_from_initialize(blank: Language, tmp_path: Path) -> None:
    component = blank.get_pipe("presslens_quotes")
    assert isinstance(component, QuoteFinder)
    assert component(_chirped(blank))._.presslens_quotes["quotes"] == []  # 'chirp' is no packaged cue
    raw = json.loads((resources.files("presslens") / "data" / "quotes" / "cues.json").read_text(encoding="utf-8"))
    raw["verbs"].append({"lemma": "chirp", "source": "presslens"})
    component.initialize(nlp=blank, cues=raw)
    [quote] = component(_chirped(blank))._.presslens_quotes["quotes"]
    assert (quote["text"], quote["kind"], quote["cue"], quote["speaker_span"]) == (
        "that the plan failed", "indirect", "chirped", [0, 8]
    )
    blank.to_disk(tmp_path / "pipeline")
    reloaded = spacy.load(tmp_path / "pipeline")
    assert reloaded.get_pipe("presslens_quotes")(_chirped(reloaded))._.presslens_quotes["quotes"] == [quote]
    raw["particles"]["chirp"] = ["out"]
    raw["verbs"].pop()
    with pytest.raises(ValidationError, match="not cue verbs"):
        component.initialize(nlp=blank, cues=raw)


def test_analyzers_quotes_component_cues_from_the_initialize_config(tmp_path: Path) -> None:
    raw = json.loads((resources.files("presslens") / "data" / "quotes" / "cues.json").read_text(encoding="utf-8"))
    raw["verbs"].append({"lemma": "chirp", "source": "presslens"})
    (tmp_path / "cues.json").write_text(json.dumps(raw), encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("presslens_quotes")
    nlp.config["initialize"]["components"]["presslens_quotes"] = {
        "cues": {"@readers": "srsly.read_json.v1", "path": str(tmp_path / "cues.json")}
    }
    nlp.initialize()
    assert [q["cue"] for q in nlp.get_pipe("presslens_quotes")(_chirped(nlp))._.presslens_quotes["quotes"]] == ["chirped"]
    nlp.config["initialize"]["components"]["presslens_quotes"] = {"verbs": []}
    with pytest.raises(ConfigValidationError):
        nlp.initialize()  # spaCy checks the section against the explicit initialize signature


def test_analyzers_quotes_component_uninitialized_loads_the_packaged_cues(blank: Language, tmp_path: Path) -> None:
    doc = blank.get_pipe("presslens_quotes")(_doc(blank))
    assert doc._.presslens_quotes["quotes"][0]["cue"] == "said"
    blank.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "presslens_quotes" / "data.msgpack").is_file()


# ---- the configured pipeline (the real parse and the actors component) --------------------------


@pytest.fixture(scope="module")
def seed_quotes(nlp: Language, settings: Settings) -> list[QuoteOut]:
    article = clean(RawDoc(str(SEED), "text", SEED.read_text(encoding="utf-8")), settings.clean)
    return nlp(article.text)._.presslens_quotes["quotes"]


def test_analyzers_quotes_component_seed_must_items_hold(seed_quotes: list[QuoteOut], seed_expected: dict[str, Any]) -> None:
    for item in seed_expected["quotes"]["must"]:
        matches = [q for q in seed_quotes if item["contains"] in q["text"]]
        assert matches, f"no quote contains {item['contains']!r}"
        assert any(q["kind"] == item["kind"] and q["speaker"] == item["speaker"].lower() for q in matches), matches


def test_analyzers_quotes_component_seed_must_not_items_hold(seed_quotes: list[QuoteOut], seed_expected: dict[str, Any]) -> None:
    for item in seed_expected["quotes"]["must_not"]:
        assert not [q for q in seed_quotes if q["text"].strip(_QUOTE_MARKS).lower() == item["contains"].lower()]


def test_analyzers_quotes_component_seed_cues_and_relays(seed_quotes: list[QuoteOut]) -> None:
    def starting(prefix: str) -> QuoteOut:
        [quote] = [q for q in seed_quotes if q["text"].startswith(prefix)]
        return quote

    assert starting('"we will not be silent')["cue"] == "emphasized"
    assert starting('"we will not be silent')["attributed_via"] == "al-akhbar"
    assert starting('"the movement has')["attributed_via"] == "al-akhbar"
    assert starting('"the Palestinians feel')["cue"] == "pointed out"
    assert starting("\u201cThe American plan")["cue"] == "according to"
    reported = starting("that the terrorist organization")
    assert (reported["kind"], reported["speaker"], reported["cue"]) == ("indirect", "al-akhbar", "reported")
    assert starting("that the IDF's activity")["speaker"] == "hamas"
    assert not [q for q in seed_quotes if q["text"].startswith("made by")]  # 'the statement made by' is no speech


def test_analyzers_quotes_component_doc_spans_mirror_quotes(nlp: Language) -> None:
    doc = nlp('"We will not raise taxes," said Jane Doe, the finance minister. "Not this year."')
    assert [(s.text, s.label_) for s in doc.spans["presslens_quotes"]] == [
        ('"We will not raise taxes,"', "direct"),
        ('"Not this year."', "direct"),
    ]
    quoted = doc._.presslens_quotes
    assert [doc.text[q["speaker_span"][0] : q["speaker_span"][1]] for q in quoted["quotes"]] == ["Jane Doe", "Jane Doe"]
    assert [(s["name"], s["quotes"], s["words"]) for s in quoted["sources"]] == [("Jane Doe", 2, 8)]


def test_analyzers_quotes_component_textacy_fixtures(nlp: Language) -> None:
    path = shared_eval("quotes/dev/textacy_fixtures.jsonl")
    for case in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        predicted = [q for q in nlp(case["text"])._.presslens_quotes["quotes"] if q["kind"] != "indirect"]
        assert len(predicted) == len(case["quotes"]), case["id"]
        for gold, quote in zip(case["quotes"], predicted):
            assert re.sub(r"\W", "", quote["text"]) == re.sub(r"\W", "", gold["quote"]["text"]), case["id"]
            speaker = case["text"][quote["speaker_span"][0] : quote["speaker_span"][1]]
            assert speaker in gold["speaker"]["text"], case["id"]
