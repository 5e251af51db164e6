"""Tune the optional MiniLM encoder of presslens_bias on BABE and write presslens/data/bias/encoder/.

Cross-validates it (5 folds grouped by article, the folds of shuffle 0), chooses the weight of its
mix with the shipped linear model on those out-of-fold probabilities (the linear model is
cross-validated on the same folds), then tunes the members (one by default) on the whole file
and saves them with the scores in card.json. About 25 minutes per member on 2 CPU cores; run
nothing else meanwhile (PyTorch threads of two busy processes slow each other down threefold).

Usage: .venv/bin/python scripts/train_bias_encoder.py ../shared/eval/framing/dev/babe.jsonl [--members N]
Needs the train and encoder extras: pip install -e '.[train,encoder]'.
"""

from __future__ import annotations

import argparse
from pathlib import Path


from presslens.analyzers.bias import BiasModel
from presslens.analyzers.bias_encoder import ENCODER_PATH, EncoderEnsemble
from presslens.analyzers.bias_encoder_training import fit_encoder
from presslens.analyzers.bias_training import lexicons_of
from presslens.eval.babe import cross_validate, cross_validate_encoder, parse, read_babe, scores

WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)  # candidate weights of the encoder in its mix with the linear model


def main() -> None:
    """Cross-validate both models on the same folds, choose the mix, tune the members on everything, save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("babe", type=Path)
    parser.add_argument("--members", type=int, default=1, help="encoders tuned from different seeds, averaged")
    args = parser.parse_args()
    texts, labels, groups, biased_words = read_babe(args.babe)
    linear = cross_validate(parse(texts), labels, groups, biased_words, 5, lexicons_of(BiasModel.load()), 0)
    encoded = cross_validate_encoder(texts, labels, groups, 5, args.members, seed=0)
    mixed = {w: scores(labels, ((1 - w) * linear + w * encoded >= 0.5).astype(int)) for w in WEIGHTS}
    weight = max(WEIGHTS, key=lambda w: mixed[w]["macro_f1"])
    cv = {
        "linear": scores(labels, (linear >= 0.5).astype(int)),
        "encoder": scores(labels, (encoded >= 0.5).astype(int)),
        "mixed_by_weight": {str(w): mixed[w]["macro_f1"] for w in WEIGHTS},
        "mixed": mixed[weight],
    }
    print(f"5-fold CV (grouped, shuffle 0): linear {cv['linear']['macro_f1']:.4f}, encoder {cv['encoder']['macro_f1']:.4f}, mixed (weight {weight}) {mixed[weight]['macro_f1']:.4f}")
    card = {"data": args.babe.name, "n": len(texts), "weight": weight, "cv_5fold_grouped_shuffle_0": cv}
    EncoderEnsemble([fit_encoder(texts, labels, seed=k) for k in range(args.members)], card).save(ENCODER_PATH)
    print(f"wrote {ENCODER_PATH}")


if __name__ == "__main__":
    main()
