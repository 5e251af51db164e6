"""The sentence-split proxies of presslens.eval.sentences on made-up PolNeAR-style records, with the real model."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from spacy.language import Language

from presslens.errors import UsageError
from presslens.eval.sentences import DocCounts, evaluate, hand_sample, rates, read_records, sentence_pipeline
from presslens.settings import Settings

from .conftest import shared_eval

# Made up: the parser alone breaks after the ellipsis, and before the closing quote of the second paragraph.
TEXT = 'The rally was loud... the crowd cheered, "we will win," said Ann Lee.\n\n"It is hard to say what it was like before."\n\nThe program grew.'


def _record() -> dict[str, object]:
    """One record with a direct quote and its cue (character spans into TEXT)."""
    quote = TEXT.index('"It is')
    cue = TEXT.index("said")
    return {"id": "r1", "text": TEXT, "quotes": [
        {"quote": {"start": TEXT.index('"we'), "end": TEXT.index(" said")}, "cue": {"start": cue, "end": cue + 4}, "type": "direct"},
        {"quote": {"start": quote, "end": TEXT.index("\n\nThe program")}, "cue": None, "type": "direct"},
    ]}


@pytest.fixture(scope="module")
def model(settings: Settings) -> Language:
    return sentence_pipeline(settings)


@pytest.mark.slow
def test_eval_sentences_proxies_before_and_after_the_rules(model: Language) -> None:
    result = evaluate(model, [_record()], folds=1)
    parser, rules = (result["variants"][v]["proxies"] for v in ("parser", "rules"))
    assert {k: (v["rate"], v["n"]) for k, v in parser.items() if k in ("suspect", "quote_cut", "missed_paragraph")} == {
        "suspect": (1.0, 2), "quote_cut": (0.5, 2), "missed_paragraph": (0.5, 2),
    }
    assert {k: (v["rate"], v["n"]) for k, v in rules.items()} == {
        "cue_detached": (0.0, 1), "missed_paragraph": (0.0, 2), "quote_cut": (0.0, 2),
    }
    assert (result["variants"]["parser"]["breaks"], result["variants"]["rules"]["breaks"]) == (2, 0)
    assert 0.8 < result["parse_agreement"] < 1.0
    assert hand_sample(result["docs"]["parser"], 5, 1, breaks=True, width=12) == [
        "was loud... ‖ the crowd ch", 'like before. ‖ "⏎⏎The progr',
    ]


def test_eval_sentences_rates_spread_over_folds() -> None:
    docs = [DocCounts() for _ in range(4)]
    for doc, hits in zip(docs, (0, 1, 2, 2), strict=True):
        for k in range(2):
            doc.add("suspect", k < hits)
    assert rates(docs, folds=2) == {"suspect": {"rate": 0.625, "min": 0.5, "max": 0.75, "n": 8}}


def test_eval_sentences_reads_plain_and_gzip_records(tmp_path: Path) -> None:
    plain = tmp_path / "p.jsonl"
    plain.write_text(json.dumps(_record()) + "\n", encoding="utf-8")
    packed = tmp_path / "p.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert read_records(plain) == read_records(packed) == [_record()]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no quotes"}\n', encoding="utf-8")
    with pytest.raises(UsageError) as info:
        read_records(bad)
    assert info.value.code == "PL208"


@pytest.mark.slow
def test_eval_sentences_polnear_dev_rules_remove_the_suspect_breaks(model: Language) -> None:
    """On the first 20 PolNeAR dev articles the parser alone makes suspect breaks; after the rules there are none."""
    records = read_records(shared_eval("quotes/dev/polnear_dev.jsonl"))[:20]
    result = evaluate(model, records, folds=2)
    parser, rules = (result["variants"][v]["proxies"] for v in ("parser", "rules"))
    assert parser["suspect"]["rate"] > 0.05 and rules["suspect"]["rate"] < 0.01
    assert rules["cue_detached"]["rate"] < parser["cue_detached"]["rate"]
    assert rules["missed_paragraph"]["rate"] == 0.0
