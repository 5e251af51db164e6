"""Measure sentence splitting on PolNeAR paragraphs: the model's parser alone against the parser after presslens_sentences.

Prints each proxy of ``presslens.eval.sentences`` (rate, min-max over article folds, cases) for both
variants, the parse agreement and the time of each variant, and writes the hand-check samples (random
breaks, and random non-breaks after terminal punctuation, of both variants) to ``--out``. Examples::

    .venv/bin/python scripts/eval_sentences.py
    .venv/bin/python scripts/eval_sentences.py --data ../shared/eval/quotes/train/polnear_train.jsonl.gz --json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from presslens.eval.sentences import evaluate, hand_sample, read_records, sentence_pipeline
from presslens.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "quotes" / "dev" / "polnear_dev.jsonl"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR JSON Lines (.jsonl or .jsonl.gz)")
    parser.add_argument("--folds", type=int, default=5, help="article folds for the spread")
    parser.add_argument("--hand", type=int, default=50, help="breaks (and non-breaks) sampled per variant for the hand check")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "sentences", help="folder of the hand-check samples")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate both variants, print the proxies and write the hand-check files."""
    args = parse_args(argv)
    nlp = sentence_pipeline(load_settings())
    result = evaluate(nlp, read_records(args.data), folds=args.folds)
    docs = result.pop("docs")
    args.out.mkdir(parents=True, exist_ok=True)
    for variant, variant_docs in docs.items():
        for kind, breaks in (("breaks", True), ("nonbreaks", False)):
            lines = hand_sample(variant_docs, args.hand, args.seed, breaks)
            (args.out / f"{args.data.name.split('.')[0]}-{variant}-{kind}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result["data"] = str(args.data)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.data}: {result['articles']} articles; parse agreement {result['parse_agreement']:.4f}")
    for variant, res in result["variants"].items():
        print(f"{variant}: {res['breaks']} in-paragraph breaks, {res['seconds']} s")
        for key, r in res["proxies"].items():
            print(f"  {key:<20} {r['rate']:.4f}  [{r['min']:.4f}-{r['max']:.4f}]  n={r['n']}")
    print(f"hand-check samples in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
