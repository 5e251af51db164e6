"""presslens_events on parsed sentences with hand-set actor/place mentions, on the seed article, and its scorer."""

from __future__ import annotations

import re
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

import presslens.analyzers.events.component  # noqa: F401  (registers the factory)
from presslens.analyzers.events.coding import code_sentence
from presslens.analyzers.events.context import Sentence
from presslens.analyzers.events.dates import parse_published
from presslens.analyzers.events.roles import Roles
from presslens.analyzers.events.deaths import number
from presslens.analyzers.events.patterns import VerbCoder
from presslens.analyzers.events.scorer import KIND_KEY
from presslens.knowledge.events import load_event_knowledge
from presslens.pipeline import Pipeline
from presslens.record.models import Event
# Hand-made actors: surface form -> (id, kind, country, CAMEO code).
ACTORS = {
    "Hamas": ("hamas", "armed_group", "PSE", "PSEREB"),
    "Islamic Jihad": ("palestinian-islamic-jihad", "armed_group", "PSE", "PSEREB"),
    "Al-Akhbar": ("al-akhbar", "media", "LBN", "LBNMED"),
    "Israeli forces": ("israel-defense-forces", "military", "ISR", "ISRMIL"),
    "Israel": ("israel", "state", "ISR", "ISR"),
    "Egyptian officials": ("egypt", "state", "EGY", "EGYGOV"),
    "Egypt": ("egypt", "state", "EGY", "EGY"),
    "American": ("united-states", "state", "USA", "USA"),
    "Russian forces": ("russian-armed-forces", "military", "RUS", "RUSMIL"),
    "Volodymyr Zelensky": ("volodymyr-zelenskyy", "person", "UKR", "UKRGOV"),
    "Joe Biden": ("joe-biden", "person", "USA", "USAGOV"),
    "The Sudanese army": ("sudanese-armed-forces", "military", "SDN", "SDNMIL"),
    "the Rapid Support Forces": ("rapid-support-forces", "armed_group", "SDN", "SDNREB"),
    "India": ("india", "state", "IND", "IND"),
    "Pakistan": ("pakistan", "state", "PAK", "PAK"),
}
PLACES = {
    "Cairo": ("cairo", "EGY"), "Jenin": ("jenin", "PSE"), "Kharkiv": ("kharkiv", "UKR"),
    "Washington": ("washington-dc", "USA"), "Khartoum": ("khartoum", "SDN"), "Kashmir": ("kashmir", None),
    "Kabul": ("kabul", "AFG"),
}


def _spans(doc: Doc, table: dict[str, tuple]) -> list:
    spans, taken = [], set()
    for surface, row in table.items():
        for m in re.finditer(re.escape(surface), doc.text):
            span = doc.char_span(m.start(), m.end(), label=row[0], alignment_mode="expand")
            if span is not None and not taken & set(range(span.start, span.end)):
                taken.update(range(span.start, span.end))
                spans.append(span)
    return sorted(spans, key=lambda s: s.start)


def _parsed(nlp: Language, text: str) -> Doc:
    """The text through the model's own components (tagger, parser, NER), none of presslens."""
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if not name.startswith("presslens_"):
            doc = proc(doc)
    return doc


def prepared(nlp: Language, text: str, published: str | None = None) -> Doc:
    """Parse, then set the actor and place mentions (spans and token indexes) and the publication date by hand."""
    doc = _parsed(nlp, text)
    for key, table, index in (("presslens_actors", ACTORS, "presslens_actor"), ("presslens_places", PLACES, "presslens_place")):
        doc.spans[key] = _spans(doc, table)
        for span in doc.spans[key]:
            for token in span:
                token._.set(index, span.label_)
    doc._.presslens_actors = {r[0]: {"id": r[0], "name": r[0], "kind": r[1], "country": r[2], "cameo": r[3]}
                              for r in ACTORS.values()}
    doc._.presslens_places = {r[0]: {"id": r[0], "name": r[0], "country": r[1]} for r in PLACES.values()}
    if published:
        doc.user_data["published"] = published
    return doc


def _inside(spans: list[Span], sent: Span) -> list[Span]:
    """The spans lying wholly inside a sentence."""
    return [s for s in spans if s.start >= sent.start and s.end <= sent.end]


def analyze(nlp: Language, text: str, published: str | None = None) -> list[dict[str, Any]]:
    """The event coder's candidates for a prepared text (before the learned verifier), each a valid record Event."""
    doc = prepared(nlp, text, published)
    k = load_event_knowledge()
    verbs = VerbCoder(k, block_fallback=False, dyad_required=False)
    tokens, date = list(doc), parse_published(doc.user_data.get("published"))
    events: list[dict[str, Any]] = []
    for sent in doc.sents:
        dates = _inside([e for e in doc.ents if e.label_ in {"DATE", "TIME"}], sent)
        ctx = Sentence(k, sent, tokens, [t.lower_ for t in tokens], doc._.presslens_actors, doc._.presslens_places,
                       _inside(list(doc.spans["presslens_actors"]), sent), _inside(list(doc.spans["presslens_places"]), sent),
                       dates, date)
        events += code_sentence(ctx, verbs, Roles(), paired_events=True)
    for n, event in enumerate(events):
        event["id"] = f"e{n}"
        Event.model_validate(event)
    return events


def brief(events: list[dict[str, Any]], text: str) -> list[tuple]:
    return [(e["type"], e["cameo"], text[e["trigger"][0]:e["trigger"][1]], e["source"], e["target"]) for e in events]


def test_analyzers_events_requirements_are_met_by_the_model(nlp: Language) -> None:
    assert nlp.analyze_pipes(pretty=False)["problems"]["presslens_events"] == []


def test_analyzers_events_negation(nlp: Language) -> None:
    text = "Hamas did not attack Israel."
    [event] = analyze(nlp, text)
    assert brief([event], text) == [("ASSAULT", "190", "attack", "hamas", "israel")]
    assert event["negated"] is True and event["hypothetical"] is False


def test_analyzers_events_negating_governor(nlp: Language) -> None:
    events = analyze(nlp, "Hamas is refusing to call for talks.")
    assert [(e["type"], e["negated"]) for e in events] == [("REJECT", False), ("REQUEST", True)]


def test_analyzers_events_phrase_threat_is_not_negated(nlp: Language) -> None:
    text = "Hamas said that it will not be silent about the actions of Israeli forces."
    [event] = analyze(nlp, text)
    assert brief([event], text) == [("THREATEN", "130", "will not be silent", "hamas", "israel-defense-forces")]
    assert event["negated"] is False


def test_analyzers_events_modal_is_hypothetical(nlp: Language) -> None:
    [event] = analyze(nlp, "Egypt may attack Hamas.")
    assert (event["type"], event["hypothetical"]) == ("ASSAULT", True)


def test_analyzers_events_announced_action_is_intent(nlp: Language) -> None:
    [event] = analyze(nlp, "India will attack Pakistan.")
    assert (event["type"], event["cameo"], event["hypothetical"]) == ("THREATEN", "138", False)


def test_analyzers_events_passive_agent_is_source(nlp: Language) -> None:
    [event] = analyze(nlp, "Three children were killed by Israeli forces in Jenin.")
    assert (event["type"], event["source"], event["target"]) == ("ASSAULT", "israel-defense-forces", None)
    assert (event["place"], event["fatalities"], event["source_cameo"]) == ("jenin", 3, "ISRMIL")


def test_analyzers_events_compound_source_gives_one_event_each(nlp: Language) -> None:
    events = analyze(nlp, "Hamas and Islamic Jihad fired rockets at Israel.")
    assert [(e["type"], e["source"], e["target"]) for e in events] == [
        ("ASSAULT", "hamas", "israel"), ("ASSAULT", "palestinian-islamic-jihad", "israel"),
    ]
    assert [e["id"] for e in events] == ["e0", "e1"]


def test_analyzers_events_reporting_frame_is_attribution(nlp: Language) -> None:
    text = "The Lebanese newspaper Al-Akhbar reported that Hamas rejected the American proposal."
    events = analyze(nlp, text)
    assert brief(events, text) == [("REJECT", "120", "rejected", "hamas", "united-states")]
    assert events[0]["attributed_to"] == "al-akhbar"


def test_analyzers_events_according_to_is_attribution(nlp: Language) -> None:
    [event] = analyze(nlp, "Israeli forces attacked Jenin, according to Al-Akhbar.")
    assert (event["source"], event["attributed_to"]) == ("israel-defense-forces", "al-akhbar")


def test_analyzers_events_fatalities_despite_stray_letter(nlp: Language) -> None:
    text = "Hamas praised the attack near a synagogue, which resulted in n 7 murdered Jews."
    attack = [e for e in analyze(nlp, text) if e["type"] == "ASSAULT"]
    assert [(text[e["trigger"][0]:e["trigger"][1]], e["fatalities"]) for e in attack] == [("attack", 7)]


def test_analyzers_events_fatalities_of_killing_verb(nlp: Language) -> None:
    [event] = analyze(nlp, "Gunmen killed 12 people in Kabul.")
    assert (event["type"], event["fatalities"], event["place"]) == ("ASSAULT", 12, "kabul")


def test_analyzers_events_date_resolved_against_publication(nlp: Language) -> None:
    text = "Hamas rejected the proposal early Thursday morning."
    assert analyze(nlp, text, published="2023-02-03")[0]["date"] == "2023-02-02"
    assert analyze(nlp, text)[0]["date"] is None


def test_analyzers_events_place_and_target(nlp: Language) -> None:
    text = "Hamas met with Egyptian officials in Cairo."
    [event] = analyze(nlp, text)
    assert brief([event], text) == [("CONSULT", "040", "met with", "hamas", "egypt")]
    assert event["place"] == "cairo"


def test_analyzers_events_visited_place_stands_for_its_state(nlp: Language) -> None:
    [event] = analyze(nlp, "The Islamic Jihad delegation visited Cairo.")
    assert (event["type"], event["cameo"], event["source"], event["target"], event["place"], event["mode"]) == (
        "CONSULT", "042", "palestinian-islamic-jihad", "egypt", "cairo", "visit")


def test_analyzers_events_light_verb_noun_takes_verb_negation(nlp: Language) -> None:
    [event] = analyze(nlp, "Hamas has not made a visit to Cairo.")
    assert (event["type"], event["source"], event["negated"]) == ("CONSULT", "hamas", True)


def test_analyzers_events_obligation_is_a_demand_of_the_speaker(nlp: Language) -> None:
    [event] = analyze(nlp, "Egypt said that Hamas must stop the attacks.")
    assert (event["type"], event["cameo"], event["source"], event["target"]) == ("REQUEST", "100", "egypt", "hamas")


def test_analyzers_events_reported_attack_is_also_an_accusation(nlp: Language) -> None:
    events = analyze(nlp, "Israel said that Hamas attacked Jenin.")
    assert [(e["type"], e["source"], e["attributed_to"]) for e in events] == [
        ("ACCUSE", "israel", None), ("ASSAULT", "hamas", "israel")]
    assert events[0]["target"] == "hamas"


def test_analyzers_events_statement_is_not_an_event(nlp: Language) -> None:
    assert analyze(nlp, "Egypt said nothing.") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Russian forces shelled Kharkiv on Tuesday, killing five civilians.",
     ("ASSAULT", "194", "russian-armed-forces", None, "kharkiv", 5, "2023-01-31")),
    ("Volodymyr Zelensky met with Joe Biden in Washington.",
     ("CONSULT", "040", "volodymyr-zelenskyy", "joe-biden", "washington-dc", None, None)),
    ("The Sudanese army accused the Rapid Support Forces of attacking civilians in Khartoum.",
     ("ACCUSE", "112", "sudanese-armed-forces", "rapid-support-forces", "khartoum", None, None)),
    ("India warned Pakistan against further incursions in Kashmir.",
     ("THREATEN", "130", "india", "pakistan", "kashmir", None, None)),
])
def test_analyzers_events_other_conflicts(nlp: Language, text: str, expected: tuple) -> None:
    first = analyze(nlp, text, published="2023-02-03")[0]
    keys = ("type", "cameo", "source", "target", "place", "fatalities", "date")
    assert tuple(first[k] for k in keys) == expected


# -- the seed article, through the real places and actors components ---------------------------

def _names(value: str | list[str] | None) -> set[str | None]:
    return set(value) if isinstance(value, list) else {value}


def _seed_events(pipeline: Pipeline, seed_text: str) -> tuple[list[dict[str, Any]], dict, dict, str]:
    """The seed article through the configured pipeline (cleaned, with a publication date)."""
    record = pipeline.analyze_one(seed_text, published="2023-02-03")
    actors = {a.id: a.model_dump() for a in record.actors}
    places = {p.id: p.model_dump() for p in record.places}
    return [e.model_dump() for e in record.events], actors, places, record.text


def _holds(item: dict[str, Any], event: dict[str, Any], actors: dict, places: dict, text: str) -> bool:
    def name(table: dict, key: str | None) -> str | None:
        return (table.get(key) or {}).get("name") if key else None

    trigger = text[event["trigger"][0]:event["trigger"][1]]
    checks = [
        event["type"] == item["type"],
        item["trigger"] in trigger or trigger in item["trigger"],
        name(actors, event["source"]) in _names(item["source"]),
        name(actors, event["target"]) in _names(item["target"]),
    ]
    if "attributed_to" in item:
        checks.append(name(actors, event["attributed_to"]) == item["attributed_to"])
    if "place" in item:
        checks.append(name(places, event["place"]) == item["place"])
    if "fatalities" in item:
        checks.append(event["fatalities"] == item["fatalities"])
    return all(checks)


@pytest.fixture(scope="module")
def seed_run(pipeline: Pipeline, seed_text: str) -> tuple:
    return _seed_events(pipeline, seed_text)


@pytest.mark.slow
@pytest.mark.parametrize("index", range(8))
def test_analyzers_events_seed_must(seed_expected: dict, seed_run: tuple, index: int) -> None:
    events, actors, places, text = seed_run
    items = seed_expected["events"]["must"]
    if index >= len(items):
        pytest.skip("fewer must items")
    item = items[index]
    assert any(_holds(item, e, actors, places, text) for e in events), item


SHOULD_XFAIL = {
    0: "the victims are \"'children'\", which no actor names; the population (Palestinians) is not inferred",
    1: "the verifier scores 'operations by the IDF' 0.13, below the default threshold 0.3 (min_confidence = 0.0 keeps it)",
    2: "the places component names the place 'Jenin refugee camp', the analyst 'Jenin'",
}


@pytest.mark.slow
@pytest.mark.parametrize("index", range(4))
def test_analyzers_events_seed_should(seed_expected: dict, seed_run: tuple, index: int) -> None:
    events, actors, places, text = seed_run
    items = seed_expected["events"]["should"]
    if index >= len(items):
        pytest.skip("fewer should items")
    held = any(_holds(items[index], e, actors, places, text) for e in events)
    if not held and index in SHOULD_XFAIL:
        pytest.xfail(SHOULD_XFAIL[index])
    assert held, items[index]


@pytest.mark.slow
def test_analyzers_events_seed_must_not(seed_run: tuple) -> None:
    events, actors, _, text = seed_run
    media = {a for a, v in actors.items() if v.get("name") == "Al-Akhbar"}
    assert not [e for e in events if e["source"] in media or e["target"] in media]
    red_lines = text.index("Israel's existence")
    assert not [e for e in events if e["sentence"][0] <= red_lines < e["sentence"][1] and e["type"] == "ASSAULT"]


def test_analyzers_events_a_denying_subject_negates_and_counts_no_dead(pipeline: Pipeline) -> None:
    for text in ("No one was killed in the Russian strike on Odesa, officials said.", "Nobody was killed in the attack by Hamas."):
        record = pipeline.analyze_one(text)
        (event,) = [e for e in record.events if record.text[e.trigger[0] : e.trigger[1]] == "killed"]
        assert (event.type, event.negated, event.fatalities) == ("ASSAULT", True, None)
    (event,) = pipeline.analyze_one("Russian missiles killed 12 people in Odesa on Monday.").events
    assert (event.negated, event.fatalities, event.source) == (False, 12, "russia")


def test_analyzers_events_numbers_are_decimal_digits_or_number_words() -> None:
    words = {"seven": 7}
    vocab = spacy.blank("en").vocab
    tokens = Doc(vocab, words=["12", "1,200", "\u0663", "seven", "\u00b3", "\u2460", "x", "9" * 5000])
    assert [number(t, words) for t in tokens] == [12, 1200, 3, 7, None, None, None, None]


def test_analyzers_events_a_superscript_count_does_not_crash(nlp: Language) -> None:
    text = "The attack killed \u00b3 people and wounded dozens, police said on Monday."
    candidates = nlp.get_pipe("presslens_events").candidates(nlp(text))  # no actor, no count: none is output
    assert [(e["type"], text[e["trigger"][0]:e["trigger"][1]], e["fatalities"]) for e in candidates] == []


def test_analyzers_events_saved_knowledge_gives_the_same_events(nlp: Language) -> None:
    coder = nlp.get_pipe("presslens_events")
    copy = type(coder)(nlp, "copy", coder.configured_threshold, coder.retype_margin, coder.use_verifier, coder.use_roles,
                       True, False, False).from_bytes(coder.to_bytes())
    doc = nlp("Hamas and Islamic Jihad fired rockets at Israel, and Egypt said that Hamas must stop the attacks.")
    assert doc._.presslens_events and copy(doc)._.presslens_events == nlp.get_pipe("presslens_events")(doc)._.presslens_events


def _example(text: str, events: list[dict[str, Any]], gold: list[dict[str, Any]], kind: str) -> Example:
    vocab = spacy.blank("en").vocab
    example = Example(Doc(vocab, words=text.split()), Doc(vocab, words=text.split()))
    example.predicted._.presslens_actors = {"usa": {"cameo": "USAGOV"}, "iran": {"cameo": None, "country": "IRN"}}
    example.predicted._.presslens_events = events
    example.reference._.presslens_events = gold
    example.reference.user_data[KIND_KEY] = kind
    return example


def test_analyzers_events_scorer_is_registered_and_exact() -> None:
    request = {"type": "REQUEST", "cameo": "100", "source": "usa", "target": "iran", "confidence": 0.8}
    assault = {"type": "ASSAULT", "cameo": "190", "source": None, "target": "iran", "confidence": 0.5}
    examples = [
        _example("The US demanded talks", [request, assault], [{"label": "REQUEST", "code": None, "dyads": [["USA", "IRN"]]}],
                 "plover"),
        _example("Nothing happened", [], [{"label": "AGREE", "code": None, "dyads": [["USA", None]]}], "plover"),
    ]
    scores = spacy.registry.scorers.get("presslens.events_scorer.v1")()(examples)
    assert (scores["events_type_recall"], scores["events_accuracy"]) == (0.5, 0.5)
    assert (scores["events_type_p"], scores["events_type_r"], scores["events_type_f"]) == (0.5, 0.5, 0.5)
    assert (scores["events_dyad_p"], scores["events_dyad_r"], scores["events_dyad_f"]) == (0.5, 0.5, 0.5)
    assert scores["events_confusion"] == {"AGREE": {"NONE": 1}, "REQUEST": {"REQUEST": 1}}
    cameo = spacy.registry.scorers.get("presslens.events_scorer.v1")()(
        [_example("x", [request], [{"label": "10", "code": "100", "dyads": [["USA", "IRN"]]}], "cameo")])
    assert (cameo["events_kind"], cameo["events_accuracy"], cameo["events_dyad_f"]) == ("cameo", 1.0, 1.0)
