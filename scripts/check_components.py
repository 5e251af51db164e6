"""Check that the configured pipeline's presslens components are complete spaCy components.

Prints, for every presslens component, whether it has ``initialize``, ``to_disk`` and ``from_disk``
and which scorer it registers; the presslens scorers in spaCy's registry; the problems
``nlp.analyze_pipes`` finds; whether ``nlp.to_disk`` then ``spacy.load`` gives identical records on
``samples/``; and the presslens keys ``nlp.evaluate`` returns on gold Examples (PETRARCH2 GSR dev and
the textacy quote fixtures from ``../shared/eval``).
Exits 1 when any check fails. Run it as ``.venv/bin/python scripts/check_components.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from presslens.clean import Article, clean
from presslens.ingest.raw import RawDoc

from presslens.eval.events import read_records as read_events
from presslens.eval.events import gold_examples as events_examples
from presslens.eval.events import gold_sentences
from presslens.eval.quotes import gold_examples as quotes_examples
from presslens.eval.quotes import read_gold as read_quotes
from presslens.pipeline import Pipeline
from presslens.record.convert import from_article

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared" / "eval"


def main() -> int:
    """Run every check and print one line per finding."""
    pipeline = Pipeline()
    nlp = pipeline.nlp
    failures = 0
    for name, component in nlp.pipeline:
        if not name.startswith("presslens_"):
            continue
        methods = [m for m in ("initialize", "to_disk", "from_disk") if callable(getattr(component, m, None))]
        scorer = nlp.get_pipe_config(name).get("scorer")
        print(f"{name}: {', '.join(methods)}; scorer {scorer['@scorers'] if scorer else None}")
        failures += len(methods) != 3
    scorers = sorted(n for n in spacy.registry.scorers.get_all() if n.startswith("presslens."))
    print(f"registered presslens scorers ({len(scorers)}): {', '.join(scorers)}")
    failures += len(scorers) < 4
    problems = {n: p for n, p in nlp.analyze_pipes(pretty=False)["problems"].items() if p}
    print(f"analyze_pipes problems: {problems or 'none'}")
    failures += bool(problems)
    articles = [a for a in (clean(item, pipeline.settings.clean) for item in pipeline.read([str(SAMPLES)]) if isinstance(item, RawDoc)) if a.analyzable]

    def make_doc(article: Article, language: Language = nlp) -> Doc:
        doc = language.make_doc(article.text)
        doc.user_data["published"] = article.published
        return doc

    with tempfile.TemporaryDirectory() as folder:
        nlp.to_disk(folder)
        reloaded = spacy.load(folder)
        differ = [
            a.source for a in articles
            if from_article(a, nlp(make_doc(a))) != from_article(a, reloaded(make_doc(a, reloaded)))
        ]
    print(f"to_disk -> spacy.load: {len(articles) - len(differ)} of {len(articles)} sample articles identical")
    failures += bool(differ)
    events_kind, sentences = gold_sentences(read_events(SHARED / "events" / "dev" / "petr2_gsr.jsonl"))
    examples = events_examples(nlp, events_kind, sentences)
    examples += quotes_examples(nlp, read_quotes(SHARED / "quotes" / "dev" / "textacy_fixtures.jsonl"))
    scores = nlp.evaluate(examples)
    keys = sorted(k for k in scores if k.split("_")[0] in {"quotes", "events", "actors", "bias", "techniques", "framing"})
    print(f"nlp.evaluate presslens keys ({len(keys)}): {', '.join(keys)}")
    failures += not keys
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
