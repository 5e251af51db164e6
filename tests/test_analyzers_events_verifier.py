"""The event verifier: its weights file is validated, probabilities are exact and calibrated, the threshold drops events."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from spacy.language import Language

from presslens.analyzers.events.component import EventCoder, event_coder
from presslens.analyzers.events.verifier import (FORMAT, MODEL_PATH, Verifier, decide, hash_features,
                                                 load_verifier_data, pair_indices, sentence_features, verify)
from presslens.analyzers.events.weights import save_hashed
from presslens.nlp.outputs import EventOut

TYPES = ["ACCUSE", "ASSAULT"]


def _data(weights: dict[int, float] | None = None, intercept: float = 0.0, calibration: tuple[float, float] = (1.0, 0.0)) -> dict[str, Any]:
    """A tiny verifier: 2**8 weights, all zero except ``weights``."""
    array = np.zeros(1 << 8, dtype=np.float32)
    for index, value in (weights or {}).items():
        array[index] = value
    return {"format": FORMAT, "bits": 8, "weights": array.tobytes(), "intercept": intercept,
            "calibration": list(calibration), "types": TYPES, "type_codes": {"ACCUSE": "112", "ASSAULT": "190"},
            "card": {}}


def _event(kind: str = "ASSAULT", cameo: str = "190", confidence: float = 0.5) -> EventOut:
    return cast(EventOut, {"id": "", "type": kind, "cameo": cameo, "mode": None, "source": "a", "target": "b",
                           "confidence": confidence, "trigger": [0, 5], "sentence": [0, 20], "fatalities": None})


def test_verifier_shipped_file_loads_and_names_its_training_data() -> None:
    data = load_verifier_data()
    verifier = Verifier(data)
    assert len(verifier.types) == 16 and "ASSAULT" in verifier.types
    assert data["card"]["files"] == ["train/plv_train.jsonl", "dev/plover_gsr.jsonl", "dev/petr2_gsr.jsonl"]
    assert MODEL_PATH.name == "verifier.npz"


def test_verifier_bad_files_give_a_clear_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a numpy archive")
    with pytest.raises(ValueError, match=f"{garbage}: not a valid event verifier file"):
        load_verifier_data(garbage)
    with pytest.raises(ValueError, match="not a valid event verifier file"):
        load_verifier_data(tmp_path / "missing.npz")
    with pytest.raises(ValueError, match="format 2, expected 1"):
        Verifier({**_data(), "format": 2})
    with pytest.raises(ValueError, match="255 weights for 8 hash bits"):
        Verifier({**_data(), "weights": np.zeros(255, dtype=np.float32).tobytes()})
    with pytest.raises(ValueError, match="a type without its CAMEO code"):
        Verifier({**_data(), "type_codes": {"ACCUSE": "112"}})
    with pytest.raises(ValueError, match="lacks or mistypes a field: 'intercept'"):
        Verifier({k: v for k, v in _data().items() if k != "intercept"})


def test_verifier_save_and_load_round_trip(tmp_path: Path) -> None:
    data = _data({3: 0.5, 200: -1.25}, intercept=0.1, calibration=(0.9, -0.2))
    save_hashed(data, tmp_path / "v.npz")
    loaded = load_verifier_data(tmp_path / "v.npz")
    assert loaded["weights"] == data["weights"] and loaded["calibration"] == [0.9, -0.2]
    assert (loaded["intercept"], loaded["types"], loaded["type_codes"]) == (0.1, TYPES, data["type_codes"])


def test_verifier_probability_is_the_calibrated_logistic_of_the_active_weights() -> None:
    hashes = hash_features(["bias", "lem=attack"])
    typed = pair_indices(hashes, "ASSAULT", "ASSAULT", 8)
    weights: dict[int, float] = {}
    for index in typed:
        weights[int(index)] = weights.get(int(index), 0.0) + 0.5  # colliding features add up, as in training
    verifier = Verifier(_data(weights, intercept=-0.25, calibration=(2.0, 0.1)))
    z = -0.25 + sum(verifier.weights[typed])
    assert verifier.probability(hashes, "ASSAULT", "ASSAULT") == pytest.approx(1 / (1 + math.exp(-(2.0 * z + 0.1))))
    assert Verifier(_data()).probability(hashes, "ACCUSE", "ASSAULT") == 0.5
    assert len(typed) == 4 and len(pair_indices(hashes, "ACCUSE", "ASSAULT", 8)) == 2  # own type: + the "same" copies


def test_verifier_probabilities_stay_in_the_unit_interval() -> None:
    rng = np.random.default_rng(0)
    verifier = Verifier(_data({i: float(w) for i, w in enumerate(rng.normal(0, 30, 256))}))
    hashes = hash_features([f"w={i}" for i in range(40)])
    probabilities = [verifier.probability(hashes, t, "ASSAULT") for t in TYPES]
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert verifier.scores(hashes, "ASSAULT", alternatives=True)[2] == "ACCUSE"


def test_verifier_decide_retypes_only_beyond_the_margin() -> None:
    assert decide(("ASSAULT", 0.4, "ACCUSE", 0.7), 0.2) == ("ACCUSE", 0.7)
    assert decide(("ASSAULT", 0.4, "ACCUSE", 0.5), 0.2) == ("ASSAULT", 0.4)
    assert decide(("ASSAULT", 0.4, "ACCUSE", 0.99), 1.0) == ("ASSAULT", 0.4)


def test_verifier_threshold_drops_low_events_and_retyping_takes_the_family_code() -> None:
    codes = {"ACCUSE": ("112", None), "ASSAULT": ("190", None)}
    events = [_event(), _event(confidence=0.9), _event()]
    kept = verify(events, [("ASSAULT", 0.81234), ("ASSAULT", 0.2), ("ACCUSE", 0.7)], 0.5, codes)
    assert [(e["type"], e["cameo"], e["confidence"]) for e in kept] == [("ASSAULT", "190", 0.812), ("ACCUSE", "112", 0.7)]
    deadly = cast(EventOut, {**_event(), "fatalities": 7})
    assert [e["confidence"] for e in verify([deadly], [("ASSAULT", 0.05)], 0.5, codes)] == [0.05]  # deaths are kept
    assert events[0]["confidence"] == 0.5  # the candidates themselves are not changed


def test_verifier_sets_the_pipelines_confidence_deterministically(nlp: Language) -> None:
    coder = event_coder(nlp)
    assert coder.verifier is not None
    text = "Hamas fired rockets at Israel. Egypt condemned the attack on Monday, and Israel said it would retaliate."
    doc = nlp(text)
    candidates = coder.candidates(doc)
    features = sentence_features(doc, candidates, doc._.presslens_actors)
    expected = [round(coder.verifier.probability(hash_features(f), e["type"], e["type"]), 3)
                for e, f in zip(candidates, features)]
    assert candidates and all(0.0 <= p <= 1.0 for p in expected)
    output = [e["confidence"] for e in doc._.presslens_events]
    assert output == [p for p, e in zip(expected, candidates) if p >= coder.min_confidence or e["fatalities"]]
    assert [e["confidence"] for e in nlp(text)._.presslens_events] == output


def test_verifier_weights_travel_with_the_saved_pipeline(nlp: Language) -> None:
    coder = event_coder(nlp)
    clone = EventCoder(nlp, "clone", None, 1.0, True, True, True, False, False).from_bytes(coder.to_bytes())
    assert clone.verifier is not None and coder.verifier is not None
    assert clone.verifier.weights.tobytes() == coder.verifier.weights.tobytes()
    recommended = load_verifier_data()["card"]["recommended_min_confidence"]
    assert coder.min_confidence == clone.min_confidence == recommended == 0.3  # null (the default): the card's
    kept = EventCoder(nlp, "all", 0.0, 1.0, True, True, True, False, False).from_bytes(coder.to_bytes())
    assert kept.min_confidence == 0.0  # a configured threshold wins
