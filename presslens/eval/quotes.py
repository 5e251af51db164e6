"""``presslens eval quotes``: PolNeAR and the textacy fixtures as gold ``Example``s, scored by ``nlp.evaluate``.

The gold of each document goes to ``example.reference._.presslens_quotes`` (``QuotesGold``);
``presslens.quotes_scorer.v1`` (``presslens.analyzers.quotes.scorer``, which documents every
figure) scores the pipeline's quotes against it. The reference baseline, textacy's
``direct_quotations`` run paragraph by paragraph with the same spaCy model (a paragraph it refuses
is skipped), is scored by the same scorer in the same evaluation when textacy is installed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.training import Example

import presslens.analyzers.quotes.component  # noqa: F401  (registers the factory and its scorer)
from presslens.analyzers.quotes.scorer import GoldAttribution, Pred, QuotesGold, score_quotes
from presslens.errors import UsageError


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Records of a quotes gold file (JSON Lines with ``text`` and ``quotes``).

    Raises:
        UsageError: PL201 when the file is missing, PL208 when it is not JSON Lines, PL217 when a
            record is not quote gold.
    """
    if not path.is_file():
        raise UsageError("PL201", path=path)
    try:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err
    if not records:
        raise UsageError("PL208", path=path, detail="no records")
    for line, record in enumerate(records, 1):
        if not isinstance(record, dict) or "text" not in record or "quotes" not in record:
            raise UsageError("PL217", path=path, task="quotes", line=line, fields="'text' and 'quotes'")
    return records


def gold_examples(nlp: Language, records: list[dict[str, Any]]) -> list[Example]:
    """One Example per gold record: an unannotated predicted Doc, the gold attributions on the reference."""
    examples = []
    for record in records:
        reference = nlp.make_doc(record["text"])
        attributions: list[GoldAttribution] = [
            {"quote": q["quote"], "speaker": q.get("speaker"), "type": q["type"]} for q in record["quotes"]
        ]
        gold: QuotesGold = {"id": str(record["id"]), "attributions": attributions}
        reference._.presslens_quotes = gold
        examples.append(Example(nlp.make_doc(record["text"]), reference))
    return examples


def _report(scores: dict[str, Any]) -> dict[str, Any]:
    """The scorer's ``quotes_*`` keys as the report's figures (precision, recall, f1, ..., strict, fixtures)."""

    def figures(prefix: str) -> dict[str, Any]:
        return {
            "precision": scores[f"{prefix}_p"],
            "recall": scores[f"{prefix}_r"],
            "f1": scores[f"{prefix}_f"],
            "speaker_accuracy": scores[f"{prefix}_speaker_acc"],
            "all_recall": scores[f"{prefix}_all_r"],
            "counts": scores[f"{prefix}_counts"],
        }

    report = figures("quotes") | {"strict": figures("quotes_strict")}
    if scores["quotes_fixtures"] is not None:
        report["fixtures"] = scores["quotes_fixtures"]
    return report


def _textacy_quotes(bare: Language, text: str) -> list[Pred]:
    """textacy's direct quotations of a text, paragraph by paragraph, as predicted quotes."""
    from textacy.extract.triples import direct_quotations

    found: list[Pred] = []
    for match in re.finditer(r"[^\n]+", text):
        doc = bare(match.group())
        try:
            triples = list(direct_quotations(doc))
        except ValueError:
            continue
        for triple in triples:
            speaker = [match.start() + doc[t.i].idx for t in triple.speaker]
            ends = [match.start() + t.idx + len(t) for t in triple.speaker]
            content = triple.content
            found.append({
                "start": match.start() + content.start_char,
                "end": match.start() + content.end_char,
                "kind": "direct",
                "speaker_span": [min(speaker), max(ends)] if speaker else None,
            })
    return found


def textacy_baseline(nlp: Language, examples: list[Example]) -> dict[str, Any] | None:
    """The textacy baseline's figures on the same gold (None when textacy is not installed)."""
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError:
        return None
    bare = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    predicted = []
    for example in examples:
        doc = nlp.make_doc(example.reference.text)
        doc._.presslens_quotes = {"quotes": _textacy_quotes(bare, doc.text), "sources": []}
        predicted.append(Example(doc, example.reference))
    return _report(score_quotes(predicted))


def evaluate_quotes(path: Path, nlp: Language) -> dict[str, Any]:
    """Score ``nlp`` (given ``presslens_quotes`` if missing) with ``nlp.evaluate``, and the textacy baseline, on a gold file.

    The components after ``presslens_quotes`` are disabled for the evaluation: they cannot change
    the quotes, and skipping them makes it cheaper.
    """
    records = read_gold(path)
    if "presslens_quotes" not in nlp.pipe_names:
        nlp.add_pipe("presslens_quotes")
    examples = gold_examples(nlp, records)
    later = nlp.pipe_names[nlp.pipe_names.index("presslens_quotes") + 1 :]
    with nlp.select_pipes(disable=later):  # what follows the quotes component cannot change its output
        scores = nlp.evaluate(examples)
    return {
        "data": str(path),
        "documents": len(records),
        "presslens": _report(scores),
        "textacy_direct_quotations": textacy_baseline(nlp, examples),
    }
