from __future__ import annotations

import json
import re
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from presslens.analyzers.quotes import find_quotations, sourcing_profile
from presslens.clean import clean
from presslens.ingest.raw import RawDoc
from presslens.pipeline import Pipeline
from presslens.settings import Settings

from .conftest import SEED, shared_eval

_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019 .,"


@pytest.fixture(scope="module")
def nlp(settings: Settings) -> Language:
    """The configured pipeline (places, actors, events, quotes)."""
    return Pipeline(settings).nlp


@pytest.fixture(scope="module")
def seed_quotes(nlp: Language, settings: Settings) -> list[dict[str, Any]]:
    article = clean(RawDoc(str(SEED), "text", SEED.read_text(encoding="utf-8")), settings.clean)
    return nlp(article.text)._.presslens_quotes


def _quotes(nlp: Language, text: str) -> list[dict[str, Any]]:
    return nlp(text)._.presslens_quotes


def test_analyzers_quotes_find_quotations_curly_open_straight_close() -> None:
    text = "\u201cThe plan is bad. It will fail,\" the statement said."
    [quotation] = find_quotations(text)
    assert text[quotation.start : quotation.end] == "\u201cThe plan is bad. It will fail,\""
    assert quotation.closed


def test_analyzers_quotes_find_quotations_survives_unbalanced_paragraph() -> None:
    text = 'He said "we will stay.\n\n"We will not leave," he added. Then a "word" came.'
    found = [(text[q.start : q.end], q.closed, q.continues) for q in find_quotations(text)]
    assert found == [('"we will stay.', False, False), ('"We will not leave,"', True, True), ('"word"', True, False)]


def test_analyzers_quotes_find_quotations_nested_curly_marks() -> None:
    text = "\u201cI\u2019d rather live in what he calls \u201chell\u201d than this.\u201d \u2015 A. Reader"
    [quotation] = find_quotations(text)
    assert text[quotation.start : quotation.end].endswith("than this.\u201d")


@pytest.mark.slow
def test_analyzers_quotes_seed_must_items_hold(seed_quotes: list[dict], seed_expected: dict[str, Any]) -> None:
    for item in seed_expected["quotes"]["must"]:
        matches = [q for q in seed_quotes if item["contains"] in q["text"]]
        assert matches, f"no quote contains {item['contains']!r}"
        assert any(q["kind"] == item["kind"] and q["speaker"] == item["speaker"].lower() for q in matches), matches


@pytest.mark.slow
def test_analyzers_quotes_seed_must_not_items_hold(seed_quotes: list[dict], seed_expected: dict[str, Any]) -> None:
    for item in seed_expected["quotes"]["must_not"]:
        assert not [q for q in seed_quotes if q["text"].strip(_QUOTE_MARKS).lower() == item["contains"].lower()]


@pytest.mark.slow
def test_analyzers_quotes_seed_cues_and_relays(seed_quotes: list[dict]) -> None:
    def starting(prefix: str) -> dict[str, Any]:
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


@pytest.mark.slow
def test_analyzers_quotes_doc_spans_mirror_records(nlp: Language) -> None:
    doc: Doc = nlp('"We will not raise taxes," said Jane Doe, the finance minister. "Not this year."')
    assert [(s.text, s.label_) for s in doc.spans["presslens_quotes"]] == [
        ('"We will not raise taxes,"', "direct"),
        ('"Not this year."', "direct"),
    ]
    texts = [doc.text[q["speaker_span"][0] : q["speaker_span"][1]] for q in doc._.presslens_quotes]
    assert texts == ["Jane Doe", "Jane Doe"]


@pytest.mark.slow
def test_analyzers_quotes_mixed_quote_spans_the_paraphrase(nlp: Language) -> None:
    [quote] = _quotes(nlp, 'Joe Biden said the talks were "productive and frank" but gave no details.')
    assert (quote["text"], quote["kind"], quote["speaker"], quote["cue"]) == (
        'the talks were "productive and frank"', "mixed", "joe-biden", "said"
    )


@pytest.mark.slow
def test_analyzers_quotes_indirect_speech_and_according_to(nlp: Language) -> None:
    [said] = _quotes(nlp, "The minister said that the budget would be cut by ten percent next year.")
    assert (said["text"], said["kind"], said["speaker_span"]) == (
        "that the budget would be cut by ten percent next year", "indirect", [0, 12]
    )
    [according] = _quotes(nlp, "According to the ministry, 40 people were injured in the storm.")
    assert (according["text"], according["cue"]) == ("40 people were injured in the storm", "According to")


@pytest.mark.slow
def test_analyzers_quotes_scare_quotes_and_titles_are_not_quotes(nlp: Language) -> None:
    assert _quotes(nlp, 'The so-called "experts" disagree, and the "review" was delayed.') == []
    assert _quotes(nlp, 'She is reading "One Hundred Years of Solitude" again.') == []


@pytest.mark.slow
def test_analyzers_quotes_colon_and_paragraph_continuation(nlp: Language) -> None:
    text = 'The mayor warned: "This is the last chance.\n\n"We cannot wait for another flood."'
    quotes = _quotes(nlp, text)
    assert [(q["text"], q["cue"], q["speaker_span"]) for q in quotes] == [
        ('"This is the last chance.', "warned", [0, 9]),
        ('"We cannot wait for another flood."', "warned", [0, 9]),
    ]


@pytest.mark.slow
def test_analyzers_quotes_textacy_fixtures(nlp: Language) -> None:
    path = shared_eval("quotes/dev/textacy_fixtures.jsonl")
    for case in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        predicted = [q for q in _quotes(nlp, case["text"]) if q["kind"] != "indirect"]
        assert len(predicted) == len(case["quotes"]), case["id"]
        for gold, quote in zip(case["quotes"], predicted):
            assert re.sub(r"\W", "", quote["text"]) == re.sub(r"\W", "", gold["quote"]["text"]), case["id"]
            speaker = case["text"][quote["speaker_span"][0] : quote["speaker_span"][1]]
            assert speaker in gold["speaker"]["text"], case["id"]


def test_analyzers_quotes_sourcing_profile() -> None:
    quotes = [
        {"text": "one two three", "kind": "direct", "speaker": "hamas", "attributed_via": "al-akhbar"},
        {"text": "four five", "kind": "indirect", "speaker": "hamas", "attributed_via": "al-akhbar"},
        {"text": "six", "kind": "mixed", "speaker": "egypt", "attributed_via": None},
        {"text": "seven eight", "kind": "indirect", "speaker": None, "attributed_via": None},
    ]
    actors = {"hamas": {"name": "Hamas", "country": "PSE"}, "egypt": {"name": "Egypt", "country": "EGY"}}
    profile = sourcing_profile(quotes, actors)
    assert (profile["quotes"], profile["words"], profile["unattributed"]) == (4, 8, 1)
    assert (profile["direct_share"], profile["relayed_share"]) == (0.5, 0.5)
    assert profile["speakers"][0] == {
        "speaker": "hamas", "name": "Hamas", "country": "PSE", "quotes": 2, "words": 5, "direct": 1, "relayed": 2
    }
    assert profile["countries"] == [
        {"country": "PSE", "quotes": 2, "words": 5}, {"country": "EGY", "quotes": 1, "words": 1}
    ]
    assert profile["second_hand_only"] == ["hamas"]
    assert sourcing_profile([], {})["direct_share"] is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "quoted", "kind", "speaker"),
    [
        # a transcript turn names its speaker in capitals
        ('Partial transcript:\n\n"HARRIS: We will not back down on this, and we never have."', "We will not", "direct", "HARRIS"),
        # a participle right after a name: the name speaks
        ('The ad shows footage of Maria Lopez asking, "Why are we still waiting for the bridge?"', "Why are we", "direct", "Maria Lopez"),
        # a participle continuing a clause: that clause's subject speaks
        ('Johnson said, adding a warning, "This budget will not pass the Senate."', "This budget", "direct", "Johnson"),
        # a quotation right after a sentence ending in a cue: that cue's speaker
        ('The board may delay the vote until spring, Okafor said. "We need more time to read the report."', "We need", "direct", "Okafor"),
        # a verb of thinking inside a speech verb: the speech verb's subject
        ('Mr. Brandt said, most voters have come to believe "that the river must be cleaned up now."', "the river", "mixed", "Mr. Brandt"),
        # one quoted word in what a speech verb reports is the speaker's word
        ('The governor said it would be "improper" to comment on the inquiry.', "improper", "mixed", "The governor"),
    ],
)
def test_analyzers_quotes_speaker_rules(nlp: Language, text: str, quoted: str, kind: str, speaker: str) -> None:
    [quote] = [q for q in _quotes(nlp, text) if quoted in q["text"]]
    start, end = quote["speaker_span"]
    assert (quote["kind"], text[start:end]) == (kind, speaker)


@pytest.mark.slow
def test_analyzers_quotes_one_word_without_speech_verb_is_no_quote(nlp: Language) -> None:
    text = 'Burton thinks that cats are "cuties". Images of the "heroes" were shared online.'
    assert [q["kind"] for q in _quotes(nlp, text)] == ["indirect"]  # what Burton thinks, not a quotation
