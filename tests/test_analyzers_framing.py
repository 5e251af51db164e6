from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.training import Example

from presslens.analyzers.framing import FramingFinder, score_framing
from presslens.analyzers.framing_casualties import Side
from presslens.pipeline import Pipeline
from presslens.record.models import ArticleRecord, Framing

from .conftest import SAMPLES

CORPUS = SAMPLES / "corpus"


@contextmanager
def _rules_only(pipeline: Pipeline) -> Iterator[None]:
    """The configured pipeline up to presslens_framing (later components only label its items)."""
    names = pipeline.nlp.pipe_names
    with pipeline.nlp.select_pipes(disable=names[names.index("presslens_framing") + 1 :]):
        yield


def _analyze(pipeline: Pipeline, text: str, **meta: str) -> ArticleRecord:
    with _rules_only(pipeline):
        return pipeline.analyze_one(text, **meta)


def _framing(pipeline: Pipeline, text: str) -> list[Framing]:
    return _analyze(pipeline, text).framing


def _brief(items: list[Framing], kind: str) -> list[tuple[str | None, str]]:
    return [(f.text, f.voice) for f in items if f.kind == kind]


# -- the seed article ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_record(pipeline: Pipeline, seed_text: str) -> ArticleRecord:
    return _analyze(pipeline, seed_text, published="2023-02-03")


def _holds(item: dict[str, Any], record: ArticleRecord) -> bool:
    """Whether a framing item of the record matches an analyst's item (kind, text, target name, voice)."""
    names = {a.id: a.name for a in record.actors}
    wanted = set(item["target"]) if isinstance(item.get("target"), list) else {item.get("target")}
    for found in record.framing:
        checks = [
            found.kind == item["kind"],
            "text" not in item or (found.text is not None and item["text"] in found.text),
            "target" not in item or names.get(found.target or "") in wanted,
            "voice" not in item or found.voice == item["voice"],
        ]
        if all(checks):
            return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("index", range(7))
def test_analyzers_framing_seed_must(seed_expected: dict, seed_record: ArticleRecord, index: int) -> None:
    items = seed_expected["framing"]["must"]
    if index >= len(items):
        pytest.skip("fewer must items")
    assert _holds(items[index], seed_record), items[index]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(6))
def test_analyzers_framing_seed_should(seed_expected: dict, seed_record: ArticleRecord, index: int) -> None:
    items = seed_expected["framing"]["should"]
    if index >= len(items):
        pytest.skip("fewer should items")
    if not _holds(items[index], seed_record):
        pytest.xfail(f"should item not found: {items[index]}")


@pytest.mark.slow
def test_analyzers_framing_seed_spans_and_notes(seed_record: ArticleRecord) -> None:
    for item in seed_record.framing:
        assert item.note
        if item.kind != "sourcing":
            assert item.text == seed_record.text[item.start : item.end]
    [asymmetry] = [f for f in seed_record.framing if f.kind == "casualty_verb_asymmetry"]
    assert "'killed' for those killed by Israel Defense Forces" in asymmetry.note
    [sourcing] = [f for f in seed_record.framing if f.kind == "sourcing"]
    assert "all direct speech comes from Hamas" in sourcing.note
    assert "no voice is quoted from United States, Egypt, Israel, Jordan" in sourcing.note
    not_scare = {"Al-Akhbar", "Temple Mount"}
    assert not [f for f in seed_record.framing if f.kind == "scare_quote" and f.text.strip("\"'") in not_scare]


# -- the same story told by different outlets ------------------------------------------------------

def _wire(pipeline: Pipeline, record_id: str) -> ArticleRecord:
    for line in (CORPUS / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        if data["id"] == record_id:
            return _analyze(pipeline, data.get("text") or data["html"])
    raise LookupError(record_id)


@pytest.mark.slow
def test_analyzers_framing_outlets_differ_on_one_story(pipeline: Pipeline) -> None:
    herald = _analyze(pipeline, (CORPUS / "kessel-pass-clash--calveran-herald.txt").read_text(encoding="utf-8"))
    wire = _wire(pipeline, "wire-001")
    [asymmetry] = [f for f in herald.framing if f.kind == "casualty_verb_asymmetry"]
    assert (asymmetry.text, asymmetry.voice) == ("murdered", "outlet")
    assert "'killed' for Morland" in asymmetry.note
    assert ("'border guards'", "outlet") in _brief(herald.framing, "scare_quote")
    assert ("regime", "outlet") in _brief(herald.framing, "label")
    assert any(f.text.startswith("It is an open secret") for f in herald.framing if f.kind == "unattributed_claim")
    # The wire uses 'killed' for both sides' dead and keeps the judgemental words inside quotations.
    assert not [f for f in wire.framing if f.kind == "casualty_verb_asymmetry"]
    judging = {"label", "loaded_term", "scare_quote", "unattributed_claim"}
    assert not [f for f in wire.framing if f.kind in judging and f.voice == "outlet"]
    assert ("regime", "quoted") in _brief(wire.framing, "label")


@pytest.mark.slow
def test_analyzers_framing_outlets_label_the_armed_group_differently(pipeline: Pipeline) -> None:
    voice = _framing(pipeline, (CORPUS / "upper-sarva-ceasefire-talks--sarva-voice.txt").read_text(encoding="utf-8"))
    wire = _wire(pipeline, "wire-002")
    assert {"freedom fighters", "occupation army"} <= {t for t, v in _brief(voice, "label") if v == "outlet"}
    [bandits] = [f for f in voice if f.text == "bandits"]  # the other side's word, quoted as theirs
    assert (bandits.kind, bandits.voice) == ("label", "quoted")
    assert "applied by Kestrian state media ('called'), not by the outlet" in bandits.note
    [designation] = [f for f in wire.framing if f.kind == "label"]
    assert designation.text == "terrorist organization"
    assert "reported as a designation ('designated')" in designation.note


# -- rules on short texts --------------------------------------------------------------------------

@pytest.mark.slow
def test_analyzers_framing_label_targets(pipeline: Pipeline) -> None:
    cases = {
        "Hamas, a terrorist organization, rejected the plan on Monday.": "hamas",
        "Officials said Hezbollah is a terrorist organization.": "hezbollah",
        "The regime of Bashar al-Assad denied the report on Monday.": "bashar-al-assad",
    }
    for text, target in cases.items():
        labels = [(f.target, f.voice) for f in _framing(pipeline, text) if f.kind == "label"]
        assert labels == [(target, "outlet")], text


@pytest.mark.slow
def test_analyzers_framing_label_in_a_quote_belongs_to_the_speaker(pipeline: Pipeline) -> None:
    items = _framing(pipeline, 'The minister said: "These terrorists will be brought to justice."')
    [label] = [f for f in items if f.kind == "label"]
    assert (label.text, label.voice) == ("terrorists", "quoted")


@pytest.mark.slow
def test_analyzers_framing_scare_quotes_and_titles(pipeline: Pipeline) -> None:
    text = ("The newspaper \"Haaretz\" reported that the army's 'review' of the raid found no fault. "
            "The army then carried out a \"precise\" operation. Britain's \"Daily Telegraph\" ran the story.")
    assert _brief(_framing(pipeline, text), "scare_quote") == [("'review'", "outlet"), ('"precise"', "outlet")]


@pytest.mark.slow
def test_analyzers_framing_contested_toponym_only_without_the_other_name(pipeline: Pipeline) -> None:
    one_sided = "Settlers in Judea and Samaria protested on Monday."
    both = "Settlers in Judea and Samaria, the West Bank, protested on Monday."
    [item] = [f for f in _framing(pipeline, one_sided) if f.kind == "contested_toponym"]
    assert item.text == "Judea and Samaria" and "international usage is 'West Bank'" in item.note
    assert not [f for f in _framing(pipeline, both) if f.kind == "contested_toponym"]


@pytest.mark.slow
def test_analyzers_framing_casualty_words(pipeline: Pipeline) -> None:
    same = "Three Israelis were killed in Tel Aviv. Five Palestinians were killed in Gaza."
    different = "Three Israelis were murdered in Tel Aviv. Five Palestinians were killed in Gaza."
    assert not [f for f in _framing(pipeline, same) if f.kind == "casualty_verb_asymmetry"]
    [item] = [f for f in _framing(pipeline, different) if f.kind == "casualty_verb_asymmetry"]
    assert item.text == "murdered" and "'killed' for Palestin" in item.note


@pytest.mark.slow
def test_analyzers_framing_claims_hedges_and_intensifiers(pipeline: Pipeline) -> None:
    text = ("The policy is widely seen as a failure. The policy was criticised by the auditors. "
            "The group allegedly moved the funds in a bid to hide them. The losses were utterly unprecedented.")
    items = _framing(pipeline, text)
    assert [f.text for f in items if f.kind == "unattributed_claim"] == ["is widely seen as a failure"]
    assert [f.text for f in items if f.kind == "motive_speculation"] == ["moved the funds in a bid to hide them"]
    assert [f.text for f in items if f.kind == "hedge"] == ["allegedly"]
    assert [(f.text, f.technique) for f in items if f.kind == "intensifier"] == [
        ("utterly", "Exaggeration,Minimisation"), ("unprecedented", "Exaggeration,Minimisation")]


@pytest.mark.slow
def test_analyzers_framing_label_names_the_actor_modifying_it(pipeline: Pipeline) -> None:
    record = _analyze(pipeline, "Police said Hamas terrorists fired rockets at Sderot on Monday night.")
    names = {a.id: a.name for a in record.actors}
    assert [(f.text, names.get(f.target or "")) for f in record.framing if f.kind == "label"] == [("terrorists", "Hamas")]


def test_analyzers_framing_a_name_and_its_demonym_are_one_side() -> None:
    def same(a: str, b: str) -> bool:
        return Side(False, a, a).same(Side(False, b, b))

    assert same("israel", "israeli") and same("palestine", "palestinian") and same("calvera", "calveran")
    assert not same("iran", "iraqi") and not Side(True, "israel", "Israel").same(Side(False, "israel", "Israel"))


# -- the component on hand-built Docs (no parse needed) ----------------------------------------------

def _bare_doc(vocab, quotes: list[dict], sources: list[dict], actors: dict) -> Doc:
    doc = Doc(vocab, words=["Officials", "said", "talks", "would", "continue", "."])
    doc._.presslens_quotes = {"quotes": quotes, "sources": sources}
    doc._.presslens_actors = actors
    return doc


_QUOTE = {"start": 0, "end": 30, "text": "talks would continue", "kind": "direct", "speaker": "hamas", "speaker_span": None,
          "cue": "said", "attributed_via": "al-akhbar"}
_SOURCE = {"speaker": "hamas", "name": "Hamas", "country": "PSE", "quotes": 1, "words": 3, "direct": 1, "relayed": 1,
           "second_hand_only": True}
_ACTORS = {aid: {"id": aid, "name": name, "kind": kind, "country": country, "cameo": None, "role": None, "affiliation": None,
                 "aliases": [], "mentions": []}
           for aid, name, kind, country in (("hamas", "Hamas", "group", "PSE"), ("al-akhbar", "Al-Akhbar", "media", "LBN"),
                                            ("egypt", "Egypt", "state", "EGY"))}


def test_analyzers_framing_sourcing_reads_the_quotes_profile(pipeline: Pipeline) -> None:
    framing = pipeline.nlp.get_pipe("presslens_framing")
    unattributed = {**_QUOTE, "speaker": None, "attributed_via": None, "kind": "indirect"}
    doc = framing(_bare_doc(pipeline.nlp.vocab, [_QUOTE, unattributed], [_SOURCE], _ACTORS))
    [sourcing] = [f for f in doc._.presslens_framing if f["kind"] == "sourcing"]
    assert sourcing["note"] == ("2 quotes: Hamas 1, 1 unattributed; 1 of 2 are second-hand (via Al-Akhbar); "
                                "all direct speech comes from Hamas; no voice is quoted from Egypt")
    assert (sourcing["start"], sourcing["voice"], sourcing["technique"]) == (None, "outlet", None)


def test_analyzers_framing_saved_knowledge_gives_the_same_items(pipeline: Pipeline, seed_text: str, tmp_path: Path) -> None:
    framing = pipeline.nlp.get_pipe("presslens_framing")
    framing.to_disk(tmp_path)
    copy = FramingFinder(pipeline.nlp, "copy", scare_quote_max_words=4, max_span_tokens=40).from_disk(tmp_path)
    with _rules_only(pipeline):
        doc = pipeline.nlp(seed_text)
    assert copy(doc)._.presslens_framing == framing(doc)._.presslens_framing
    assert {"lexicon", "toponyms", "state_names"} == set(copy.data)


def test_analyzers_framing_scorer_compares_word_choice_items_by_hand(pipeline: Pipeline) -> None:
    vocab = pipeline.nlp.vocab
    predicted, reference = Doc(vocab, words=["a"] * 10), Doc(vocab, words=["a"] * 10)

    def item(kind: str, start: int | None, end: int | None) -> dict:
        return {"kind": kind, "start": start, "end": end, "text": None, "target": None, "voice": "outlet", "note": "", "technique": None}

    predicted._.presslens_framing = [item("label", 0, 4), item("hedge", 6, 8), item("sourcing", None, None)]
    reference._.presslens_framing = [item("loaded_term", 2, 4), item("loaded_term", 10, 12)]
    scores = score_framing([Example(predicted, reference)])
    # one word-choice item (hedges are not), half inside gold: P 0.5; recall (1 + 0) / 2
    assert (scores["framing_p"], scores["framing_r"], scores["framing_f"]) == (0.5, 0.5, 0.5)
    assert scores["framing_per_kind"] == {"label": 1}
