"""Train the shipped sentence-bias model on BABE: print 5-fold CV macro-F1, write presslens/data/bias/model.npz.

Usage: .venv/bin/python scripts/train_bias.py ../shared/eval/framing/dev/babe.jsonl [--lexicons DIR] [--out FILE]
Needs the train extra: pip install -e '.[train]'.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from presslens.analyzers.bias import MODEL_PATH, BiasModel
from presslens.eval.babe import parse, read_babe, scores
from presslens.train.bias import cross_validate, fit, read_lexicons

ROOT = Path(__file__).resolve().parents[1]
LEXICONS = ROOT.parent / "shared" / "knowledge" / "lexicons" / "recasens2013_bias_lexicons"


def main() -> None:
    """Cross-validate, fit on the whole file, check the exported model against the fit, save it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("babe", type=Path)
    parser.add_argument("--lexicons", type=Path, default=LEXICONS)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    texts, labels, groups, biased_words = read_babe(args.babe)
    docs = parse(texts)
    lexicons = read_lexicons(args.lexicons)
    cv = {}
    for name, keys, seeds in (("grouped_by_article", groups, (0, 1, 2)), ("by_sentence", [str(i) for i in range(len(texts))], (0,))):
        runs = [scores(labels, (cross_validate(docs, labels, keys, biased_words, 5, lexicons, seed) >= 0.5).astype(int)) for seed in seeds]
        cv[name] = {"macro_f1": round(float(np.mean([r["macro_f1"] for r in runs])), 4), "shuffles": len(seeds), "seed_0": runs[0]}
        print(f"5-fold CV ({name}): macro-F1 {cv[name]['macro_f1']:.4f} (mean of {len(seeds)} shuffles)")
    card = {"data": args.babe.name, "n": len(texts), "cv_5fold": cv}
    model = fit(docs, labels, biased_words, lexicons, card)
    model.save(args.out)
    reloaded = BiasModel.load(args.out)
    train_probs = np.array([reloaded.predict(doc, np.array([0]))[0] for doc in docs])
    print(f"training-set macro-F1 of the exported model: {scores(labels, (train_probs >= 0.5).astype(int))['macro_f1']:.4f}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(json.dumps(cv, indent=1))


if __name__ == "__main__":
    main()
