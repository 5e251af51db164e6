"""What presslens registers with spaCy, and that the configured pipeline behaves as full spaCy components."""

from __future__ import annotations

import json
import re
import tomllib
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import presslens
from presslens.analyzers.component import PresslensComponent
from presslens.eval.babe import babe_examples, read_babe
from presslens.eval.events import gold_examples as event_examples
from presslens.eval.events import gold_sentences, read_records
from presslens.eval.quotes import gold_examples as quote_examples
from presslens.pipeline import Pipeline
from presslens.record.models import ArticleRecord

from .conftest import ROOT, SAMPLES, shared_eval

SCORERS = [
    "presslens.actors_scorer.v1", "presslens.bias_scorer.v1", "presslens.events_scorer.v1",
    "presslens.framing_scorer.v1", "presslens.quotes_scorer.v1", "presslens.techniques_scorer.v1",
]
FACTORIES = [
    "presslens_actors", "presslens_bias", "presslens_events", "presslens_framing",
    "presslens_places", "presslens_quotes", "presslens_sentences", "presslens_techniques", "presslens_textcheck",
]


def _presslens_entry_points(group: str) -> dict[str, str]:
    """name -> object reference of the presslens entry points of one group."""
    return {ep.name: ep.value for ep in entry_points(group=group) if ep.value.startswith("presslens.")}


def _components(nlp: Language) -> dict[str, Any]:
    """The presslens components of a pipeline, by name."""
    return {name: pipe for name, pipe in nlp.pipeline if name.startswith("presslens_")}


def _weights(nlp: Language, name: str) -> dict[str, float | None]:
    """A component's default score weights (empty when it declares none)."""
    return nlp.get_pipe_meta(name).default_score_weights or {}


def test_registrations_spacy_factories_snapshot() -> None:
    assert sorted(_presslens_entry_points("spacy_factories")) == FACTORIES


def test_registrations_spacy_scorers_are_registered_and_resolve() -> None:
    scorers = _presslens_entry_points("spacy_scorers")
    assert sorted(scorers) == SCORERS
    for name in scorers:
        assert re.fullmatch(r"presslens\.[a-z_]+_scorer\.v1", name), name
        assert callable(spacy.registry.scorers.get(name)()), name


def test_registrations_installed_entry_points_are_the_declared_ones() -> None:
    """The install's metadata is pyproject.toml's (a stale editable install would hide a renamed entry point)."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    for group in ("spacy_factories", "spacy_scorers"):
        assert _presslens_entry_points(group) == declared[group], f"{group}: run pip install -e ."


def test_registrations_every_configured_component_is_a_full_spacy_component(nlp: Language) -> None:
    components = _components(nlp)
    assert sorted(components) == FACTORIES
    scorers = _presslens_entry_points("spacy_scorers")
    for name, component in components.items():
        assert isinstance(component, PresslensComponent), name
        for method in ("initialize", "to_disk", "from_disk", "score"):
            assert callable(getattr(component, method, None)), (name, method)
        scorer = (nlp.get_pipe_meta(name).default_config or {}).get("scorer", {}).get("@scorers")
        assert scorer is None or scorer in scorers, (name, scorer)
    assert sum(bool(_weights(nlp, name)) for name in components) >= 4


def test_registrations_analyze_pipes_reports_no_problem(nlp: Language) -> None:
    analysis = nlp.analyze_pipes()
    assert analysis is not None
    assert {name: missing for name, missing in analysis["problems"].items() if missing} == {}


def _records(pipeline: Pipeline) -> list[dict[str, Any]]:
    """The records of every document of samples/, as JSON-ready dicts, in input order."""
    outcomes = pipeline.analyze(pipeline.read([str(SAMPLES)]))
    return [o.model_dump(mode="json") for o in outcomes if isinstance(o, ArticleRecord)]


def test_registrations_saved_pipeline_reloads_with_identical_output(pipeline: Pipeline, nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    for name in _components(nlp):
        assert (tmp_path / "pipeline" / name).is_dir(), f"nlp.to_disk wrote nothing for {name}"
    reloaded = Pipeline(pipeline.settings)
    reloaded.nlp = spacy.load(tmp_path / "pipeline")  # the cached property, set to the reloaded pipeline
    assert reloaded.nlp.pipe_names == nlp.pipe_names
    before, after = _records(pipeline), _records(reloaded)
    assert len(before) >= 10
    assert after == before


def test_registrations_evaluate_returns_presslens_scores(nlp: Language) -> None:
    """nlp.evaluate on gold Examples of the eval loaders (textacy fixtures, PLOVER and BABE sentences) gives every weighted presslens score."""
    records = [json.loads(line) for line in shared_eval("quotes/dev/textacy_fixtures.jsonl").read_text(encoding="utf-8").splitlines()]
    kind, sentences = gold_sentences(read_records(shared_eval("events/dev/plover_gsr.jsonl")))
    texts, labels, _, _ = read_babe(shared_eval("framing/dev/babe.jsonl"))
    examples = [*quote_examples(nlp, records), *event_examples(nlp, kind, sentences[:20]), *babe_examples(nlp, texts[:20], labels[:20])]
    scores = nlp.evaluate(examples)
    weighted = {key for name in _components(nlp) for key in _weights(nlp, name)}
    assert len(weighted) >= 8 and weighted <= set(scores), sorted(weighted - set(scores))
    assert (scores["quotes_p"], scores["quotes_r"], scores["quotes_f"], scores["quotes_speaker_acc"]) == (1.0, 1.0, 1.0, 1.0)
    assert all(0.0 <= scores[key] <= 1.0 for key in ("bias_macro_f1", "events_type_recall", "events_type_f", "events_dyad_f"))


def test_registrations_component_available_in_any_pipeline() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("presslens_textcheck")
    doc = nlp("It resulted in n 7 deaths.")
    assert [w["message"] for w in doc._.presslens_warnings] == ["stray token 'n' before a number in 'resulted in n 7'"]


def test_registrations_public_api_is_exported() -> None:
    assert sorted(presslens.__all__) == [
        "ArticleRecord", "BadInputError", "Pipeline", "PresslensError", "Quarantined", "RunSummary", "Settings", "Store",
        "UsageError", "__version__", "analyze", "ingest", "load_nlp", "load_settings",
    ]
    for name in presslens.__all__:
        assert hasattr(presslens, name)
