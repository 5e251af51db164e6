"""Train the propaganda-technique detector on PTC and write presslens/data/techniques/model.json.

Usage: python scripts/train_techniques.py [--data ../shared/eval/framing/dev/ptc.jsonl]
       [--lexicons ../shared/knowledge/lexicons/recasens2013_bias_lexicons] [--folds 5]
Needs ``pip install -e '.[train]'`` (scikit-learn, GloVe vectors). With --folds K it first prints the
article-grouped K-fold cross-validation scores (see presslens/data/techniques/README.md).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import spacy
from spacy.language import Language

from presslens.analyzers.techniques import SpanRule  # (importing registers the factory whose defaults CV uses)
from presslens.eval.framing import score_ptc_predictions
from presslens.eval.ptc import parse, read_ptc
from presslens.train.techniques import cross_validate, load_glove, train
from presslens.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# Lexicon files (Recasens et al. 2013 archive as re-hosted under MIT; Liu's opinion lexicon). The
# GPL-derived Riloff/MPQA lists are deliberately absent: model.json ships the lists it uses.
LEXICON_FILES = {
    "npov": ("npov_lexicon.txt", "utf-8"),
    "hedge": ("hedges_hyland2005.txt", "utf-8"),
    "positive": ("positive_liu2005.txt", "utf-8"),
    "negative": ("negative_liu2005.txt", "latin-1"),
    "factive": ("factives_hooper1975.txt", "utf-8"),
    "assertive": ("assertives_hooper1975.txt", "utf-8"),
    "implicative": ("implicatives_karttunen1971.txt", "utf-8"),
    "report": ("report_verbs.txt", "utf-8"),
}
OUT = ROOT / "presslens" / "data" / "techniques" / "model.json"


def read_lexicons(folder: Path) -> dict[str, list[str]]:
    """Lower-cased single entries of each lexicon file (comment lines start with # or ;)."""
    lexicons = {}
    for name, (filename, encoding) in LEXICON_FILES.items():
        lines = (folder / filename).read_text(encoding=encoding).splitlines()
        lexicons[name] = sorted({w.strip().lower() for w in lines if w.strip() and not w.startswith(("#", ";"))})
    return lexicons


def main() -> None:
    """Parse the corpus, optionally cross-validate, then train on everything and write the model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "eval" / "framing" / "dev" / "ptc.jsonl")
    parser.add_argument("--lexicons", type=Path, default=SHARED / "knowledge" / "lexicons" / "recasens2013_bias_lexicons")
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    records = read_ptc(args.data)
    lexicons = read_lexicons(args.lexicons)
    settings = load_settings()
    docs = parse(records, spacy.load(settings.nlp.model))
    if args.folds:
        defaults = Language.get_factory_meta("presslens_techniques").default_config
        thresholds = SpanRule(**defaults)
        spans, techniques = cross_validate(records, docs, lexicons, args.folds, thresholds)
        print(json.dumps(score_ptc_predictions(records, spans, techniques), indent=2))
    model = train(records, docs, lexicons, f"{args.data.name} ({len(records)} articles)", load_glove())
    args.out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
