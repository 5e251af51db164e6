"""Tune the optional MiniLM encoder of presslens_bias on BABE and write presslens/data/bias/encoder/.

Cross-validates it and the shipped linear model on the same folds (5 folds grouped by article,
shuffles 0 and 1), scores their equal mix (and, for the record, other weights), then tunes the
members (one by default) on the whole file and saves them with the scores in card.json. About
45 minutes on 2 CPU cores; run nothing else meanwhile (PyTorch threads of two busy processes slow
each other down threefold).

Usage: .venv/bin/python scripts/train_bias_encoder.py ../shared/eval/framing/dev/babe.jsonl [--members N]
Needs the train and encoder extras: pip install -e '.[train,encoder]'.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from presslens.analyzers.bias import BiasModel
from presslens.analyzers.bias_encoder import ENCODER_PATH, EncoderEnsemble
from presslens.eval.babe import parse, read_babe, scores
from presslens.train.bias import cross_validate, lexicons_of
from presslens.train.bias_encoder import cross_validate_encoder, fit_encoder

WEIGHT = 0.5  # the encoder's share of the mix: weights 0.4-0.6 scored within 0.001 of each other (mean of 2 shuffles)
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)  # other weights, scored for the card only
SHUFFLES = (0, 1)


def cross_validated(texts: list[str], labels: np.ndarray, groups: list[str], biased_words: list[list[str]], docs: list, members: int, shuffle: int) -> dict:
    """Scores of the linear model, the encoder and their mixes on the 5 grouped folds of one shuffle."""
    linear = cross_validate(docs, labels, groups, biased_words, 5, lexicons_of(BiasModel.load()), shuffle)
    encoded = cross_validate_encoder(texts, labels, groups, 5, members, seed=shuffle)

    def mix(weight: float) -> dict:
        return scores(labels, ((1 - weight) * linear + weight * encoded >= 0.5).astype(int))

    return {
        "linear": scores(labels, (linear >= 0.5).astype(int)),
        "encoder": scores(labels, (encoded >= 0.5).astype(int)),
        "mixed_by_weight": {str(w): mix(w)["macro_f1"] for w in WEIGHTS},
        "mixed": mix(WEIGHT),
    }


def main() -> None:
    """Cross-validate both models on the same folds, tune the members on everything, save with the scores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("babe", type=Path)
    parser.add_argument("--members", type=int, default=1, help="encoders tuned from different seeds, averaged")
    args = parser.parse_args()
    texts, labels, groups, biased_words = read_babe(args.babe)
    docs = parse(texts)
    card = {"data": args.babe.name, "n": len(texts), "weight": WEIGHT}
    for shuffle in SHUFFLES:
        cv = card[f"cv_5fold_grouped_shuffle_{shuffle}"] = cross_validated(texts, labels, groups, biased_words, docs, args.members, shuffle)
        print(f"shuffle {shuffle}: linear {cv['linear']['macro_f1']:.4f}, encoder {cv['encoder']['macro_f1']:.4f}, mixed {cv['mixed']['macro_f1']:.4f}")
    EncoderEnsemble([fit_encoder(texts, labels, seed=k) for k in range(args.members)], card).save(ENCODER_PATH)
    print(f"wrote {ENCODER_PATH}")


if __name__ == "__main__":
    main()
