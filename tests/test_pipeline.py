from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import presslens
from presslens.ingest.raw import RawDoc
from presslens.pipeline import Pipeline, Skipped
from presslens.record.models import ArticleRecord, Quarantined
from presslens.settings import Settings

from .conftest import SAMPLES


def test_pipeline_every_offset_points_at_its_text(pipeline: Pipeline) -> None:
    records = [o for o in pipeline.analyze(pipeline.read([str(SAMPLES)])) if isinstance(o, ArticleRecord)]
    assert len(records) == 11
    for record in records:
        assert record.entities and record.sentences
        for entity in record.entities:
            assert record.text[entity.start : entity.end] == entity.text
        for sentence in record.sentences:
            assert 0 <= sentence.start < sentence.end <= len(record.text)


def test_pipeline_seed_entities_include_the_main_actors(pipeline: Pipeline, seed_text: str) -> None:
    record = pipeline.analyze_one(seed_text)
    names = {e.text for e in record.entities}
    assert {"Hamas", "Egypt", "Cairo", "Joe Biden"} <= names


def test_pipeline_keeps_order_and_goes_past_bad_records(pipeline: Pipeline) -> None:
    good = "The storm hit the coast on Sunday, officials in the port city said."
    german = "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das die Mieten begrenzen soll."
    items = [
        RawDoc("a", "text", good),
        RawDoc("b", "html", "<html><body></body></html>"),
        Quarantined(source="c", code="PL101", reason="empty input: the record has no text"),
        RawDoc("d", "text", german),
        RawDoc("e", "text", "tiny"),
        RawDoc("f", "text", "word " * 50_000),
        RawDoc("g", "text", good + "\n"),  # the same article again, from another source
    ]
    outcomes = list(pipeline.analyze(items))
    summary = [(type(o).__name__, o.source, getattr(o, "code", None)) for o in outcomes]
    assert summary == [
        ("ArticleRecord", "a", None),
        ("Quarantined", "b", "PL105"),
        ("Quarantined", "c", "PL101"),
        ("ArticleRecord", "d", None),
        ("Quarantined", "d", "PL108"),
        ("Quarantined", "e", "PL109"),
        ("Quarantined", "f", "PL112"),
        ("Skipped", "g", None),
    ]
    german_record = outcomes[3]
    assert isinstance(german_record, ArticleRecord)
    assert (german_record.lang, german_record.entities, german_record.sentences) == ("de", [], [])
    assert outcomes[4].reason == "not English (detected 'de'): kept unanalyzed"  # type: ignore[union-attr]


def test_pipeline_fingerprint_is_stable_and_covers_the_config(settings: Settings) -> None:
    changed = replace(settings, text=settings.text + "\n# edited\n")
    assert Pipeline(settings).fingerprint == Pipeline(settings).fingerprint != Pipeline(changed).fingerprint


def test_pipeline_skip_callback_resumes_without_nlp(pipeline: Pipeline) -> None:
    text = "The storm hit the coast on Sunday, officials in the port city said."
    first = next(iter(pipeline.analyze([RawDoc("a", "text", text)])))
    assert isinstance(first, ArticleRecord)
    again = list(pipeline.analyze([RawDoc("a", "text", text)], skip=lambda article_id: article_id == first.id))
    assert again == [Skipped(first.id, "a")]


def test_pipeline_public_analyze_accepts_html(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Storm hits coast</title></head><body><article><h1>Storm hits coast</h1>"
        "<p>The storm hit the coast of Norland on Sunday, officials in the port city of Brask said.</p>"
        "<p>More than 2,000 people left their homes before the storm arrived in the evening.</p>"
        "</article></body></html>"
    )
    record = presslens.analyze(html, url="https://example.org/storm")
    assert record.title == "Storm hits coast"
    assert record.url == "https://example.org/storm"
    assert "More than 2,000 people left their homes" in record.text
    assert record.text[record.entities[0].start : record.entities[0].end] == record.entities[0].text


def test_pipeline_sentences_are_trimmed_and_entities_name_theirs(pipeline: Pipeline, seed_text: str) -> None:
    record = pipeline.analyze_one(seed_text)
    for sentence in record.sentences:
        span = record.text[sentence.start : sentence.end]
        assert span == span.strip()
    for entity in record.entities:
        sentence = record.sentences[entity.sentence]  # type: ignore[index]
        assert sentence.start <= entity.start < entity.end <= sentence.end


def test_pipeline_seed_actor_place_and_event_spans_point_at_their_text(pipeline: Pipeline, seed_text: str) -> None:
    record = pipeline.analyze_one(seed_text)
    for item in [*record.actors, *record.places]:
        names = {*getattr(item, "aliases", []), *getattr(item, "alt_names", [])}
        for start, end in item.mentions:
            assert record.text[start:end] in names or record.text[start:end].removeprefix("the ") in names
    spans = [(s.start, s.end) for s in record.sentences]
    for event in record.events:
        assert tuple(event.sentence) in spans
        assert event.sentence[0] <= event.trigger[0] < event.trigger[1] <= event.sentence[1]
    linked = {e.text: e.actor_id for e in record.entities if e.actor_id}
    assert linked["Hamas"] == "hamas" and linked["Joe Biden"] == "joe-biden"


def test_pipeline_every_actor_id_a_record_uses_is_in_its_actors(pipeline: Pipeline) -> None:
    texts = [
        "President Volodymyr Zelensky accused Moscow of shelling Kharkiv on Monday.",
        "The American president met the Israeli prime minister in Washington on Tuesday.",
    ]
    for text in texts:
        record = pipeline.analyze_one(text, published="2022-06-01")
        ids = {actor.id for actor in record.actors}
        used = {a.affiliation for a in record.actors} | {e.source for e in record.events} | {e.target for e in record.events}
        used |= {e.attributed_to for e in record.events} | {e.actor_id for e in record.entities}
        assert used - {None} <= ids
    record = pipeline.analyze_one(texts[0], published="2022-06-01")
    assert next(a for a in record.actors if a.name == "Volodymyr Zelenskyy").affiliation == "ukraine"


def test_pipeline_seed_quotes_and_sourcing_profile(pipeline: Pipeline, seed_text: str) -> None:
    record = pipeline.analyze_one(seed_text)
    for quote in record.quotes:
        assert record.text[quote.start : quote.end] == quote.text
    hamas = next(s for s in record.sources if s.speaker == "hamas")
    direct = [q for q in record.quotes if q.speaker == "hamas" and q.kind == "direct"]
    assert hamas.direct == len(direct) >= 6 and not hamas.second_hand_only
    assert hamas.words == sum(len(re.findall(r"\w+", q.text)) for q in record.quotes if q.speaker == "hamas")
