from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import presslens
from presslens.analyzers.component import PresslensComponent
from presslens.errors import BadInputError
from presslens.ingest.raw import Quarantined, RawDoc
from presslens.pipeline import Outcome, Pipeline, Skipped
from presslens.record.models import ArticleRecord
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
    with pytest.raises(BadInputError) as info:  # the batch path's quarantine, raised with its code
        presslens.analyze("<html><body><p>menu</p></body></html>")
    assert (info.value.code, info.value.message) == ("PL105", "no article found in the HTML page")


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


GOOD = [
    "The storm hit the coast of Norland on Sunday, officials in the port city said.",
    "The council of Brask met on Monday to discuss the budget for the coming year.",
    "Farmers in the north of the country said the harvest would be late this autumn.",
]
MARKER = "Kaboom"


def _check(doc: Doc) -> Doc:
    """Raise on the marker word (the failing component of these tests)."""
    if MARKER in doc.text:
        raise RuntimeError(f"{MARKER} found\nsecond line")
    return doc


@Language.component("test_dropping")
def _dropping(doc: Doc) -> Doc:
    """A function component: spaCy calls the error handler and drops the Doc, as for its own components."""
    return _check(doc)


class _Noting(PresslensComponent):
    """A presslens component: it calls the error handler and passes the Doc on."""

    def load_data(self, **additions: Any) -> dict[str, Any]:
        return {}

    def annotate(self, doc: Doc) -> Doc:
        return _check(doc)


class _Raising:
    """A component that ignores the error handler and raises out of nlp.pipe, as the parser and NER do."""

    def __call__(self, doc: Doc) -> Doc:
        return _check(doc)

    def pipe(self, docs: Iterator[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield _check(doc)


@Language.factory("test_noting")
def _make_noting(nlp: Language, name: str) -> _Noting:
    return _Noting(nlp, name)


@Language.factory("test_raising")
def _make_raising(nlp: Language, name: str) -> _Raising:
    return _Raising()


@pytest.fixture(scope="module")
def bare(settings: Settings) -> Pipeline:
    """The model without presslens components, so these tests depend on the engine alone."""
    return Pipeline(replace(settings, nlp=settings.nlp.model_copy(update={"components": []})))


def _summary(outcomes: list[Outcome]) -> list[tuple[str, str, str | None]]:
    return [(type(o).__name__, o.source, getattr(o, "code", None)) for o in outcomes]


def _mixed() -> list[RawDoc]:
    bad = f"Police said the {MARKER} device was found near the station on Friday."
    return [RawDoc("g0", "text", GOOD[0]), RawDoc("bad", "text", bad), RawDoc("g1", "text", GOOD[1]), RawDoc("g2", "text", GOOD[2])]


@pytest.mark.slow
@pytest.mark.parametrize("n_process", [1, 2])
@pytest.mark.parametrize("factory", ["test_dropping", "test_noting", "test_raising"])
def test_pipeline_quarantines_only_the_article_a_component_fails_on(bare: Pipeline, factory: str, n_process: int) -> None:
    bare.nlp.add_pipe(factory, name="failing", after="parser")
    try:
        outcomes = list(bare.analyze(_mixed(), n_process=n_process))
        with pytest.raises(RuntimeError, match=MARKER):  # outside analyze, spaCy's own handler is back
            bare.nlp(_mixed()[1].content)
    finally:
        bare.nlp.remove_pipe("failing")
    assert _summary(outcomes) == [
        ("ArticleRecord", "g0", None), ("Quarantined", "bad", "PL302"), ("ArticleRecord", "g1", None), ("ArticleRecord", "g2", None),
    ]
    assert outcomes[1].reason == f"analysis failed in component failing: RuntimeError: {MARKER} found"  # type: ignore[union-attr]
    assert outcomes[1].excerpt.startswith("Police said the")  # type: ignore[union-attr]
    assert all(o.sentences for o in outcomes if isinstance(o, ArticleRecord))  # parsed


@pytest.mark.slow
def test_pipeline_a_batch_a_model_component_dropped_is_redone_article_by_article(bare: Pipeline) -> None:
    bare.nlp.add_pipe("test_raising", name="failing", first=True)
    items = [RawDoc(f"g{n}", "text", f"{GOOD[n % 3]} Item {n}.") for n in range(40)]
    items[33] = RawDoc("bad", "text", f"{GOOD[0]} {MARKER}.")
    try:
        outcomes = list(bare.analyze(items))
    finally:
        bare.nlp.remove_pipe("failing")
    assert [o.source for o in outcomes] == [item.source for item in items]
    assert [o.source for o in outcomes if isinstance(o, Quarantined)] == ["bad"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("target", "code", "reason"),
    [
        ("clean", "PL301", "cleaning failed: RecursionError: maximum recursion depth exceeded"),
        ("from_article", "PL303", "record conversion failed: RecursionError: maximum recursion depth exceeded"),
    ],
)
def test_pipeline_a_cleaning_or_conversion_failure_costs_one_article(
    bare: Pipeline, monkeypatch: pytest.MonkeyPatch, target: str, code: str, reason: str
) -> None:
    real = getattr(presslens.pipeline, target)

    def failing(item: Any, *args: Any) -> Any:
        if MARKER in (getattr(item, "content", None) or item.text):
            raise RecursionError("maximum recursion depth exceeded")
        return real(item, *args)

    monkeypatch.setattr(presslens.pipeline, target, failing)
    outcomes = list(bare.analyze(_mixed()))
    assert _summary(outcomes)[1] == ("Quarantined", "bad", code)
    assert outcomes[1].reason == reason  # type: ignore[union-attr]
    assert [type(o).__name__ for o in outcomes] == ["ArticleRecord", "Quarantined", "ArticleRecord", "ArticleRecord"]


def test_pipeline_a_reader_failure_ends_only_its_path(tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(GOOD[0], encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD[1], encoding="utf-8")
    real = presslens.pipeline.read_sources

    def failing(paths: list[str], ingest: Any) -> Iterator[Any]:
        if paths[0].endswith("a.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(paths, ingest)

    monkeypatch.setattr(presslens.pipeline, "read_sources", failing)
    items = list(Pipeline(settings).read([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]))
    assert [(type(i).__name__, i.source, getattr(i, "code", None)) for i in items] == [
        ("Quarantined", str(tmp_path / "a.txt"), "PL300"), ("RawDoc", str(tmp_path / "b.txt"), None),
    ]


@pytest.mark.slow
def test_pipeline_analyze_one_raises_the_quarantine_code(bare: Pipeline) -> None:
    with pytest.raises(BadInputError) as info:
        bare.analyze_one("<html><body></body></html>")
    assert (info.value.code, str(info.value)) == ("PL105", "[PL105] no article found in the HTML page")
    with pytest.raises(BadInputError) as info:
        bare.analyze_one("tiny")
    assert info.value.code == "PL109"
    assert bare.analyze_one(GOOD[0], published="2024-03-05").published == "2024-03-05"


def test_pipeline_public_api_binds_ingest_and_keeps_the_reader_package() -> None:
    from presslens.ingest.readers import read_sources
    from presslens.run import RunSummary, ingest

    assert presslens.ingest is ingest and presslens.RunSummary is RunSummary
    assert callable(read_sources) and {"ingest", "RunSummary", "analyze"} <= set(presslens.__all__)
