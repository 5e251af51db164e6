"""Score quote extraction on PolNeAR and the textacy fixtures (``shared/eval/README.md``, ``quotes/``).

Words are lower-cased ``\\w+`` types; a gold quote's words come from its ``fragments`` when
present. As in the README's reference, a prediction "touches" a gold quote of the same document
when they share a word type, wherever it stands; ``strict`` repeats every figure with touching
limited to overlapping character ranges.

* ``recall``: over gold direct+mixed quotes; one is found when the predicted direct+mixed quotes
  touching it together hold at least half of its words.
* ``precision``: over predicted direct+mixed quotes; one is right when at least half of its words
  lie in one gold attribution (of any type).
* ``speaker_accuracy``: over found gold quotes with a speaker; the touching prediction sharing
  most words with the gold quote has a ``speaker_span`` sharing a word with the gold speaker.
* ``all_recall``: recall over every gold attribution (indirect included) with every prediction.
* ``fixtures``: for files whose ids start with ``textacy``, a case passes when every gold quote is
  found with its speaker and, for a case without quotes, nothing direct or mixed is predicted.

The reference baseline, textacy's ``direct_quotations`` run paragraph by paragraph with the same
spaCy model (a paragraph it refuses is skipped), is scored the same way when textacy is installed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

import presslens.analyzers.quotes  # noqa: F401  (registers Doc._.presslens_quotes and the factory)
from presslens.errors import UsageError

_WORD = re.compile(r"\w+")
_QUOTED = ("direct", "mixed")
Pred = dict[str, Any]
Predictor = Callable[[str], list[Pred]]


def _read(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines gold file."""
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err


def _pieces(span: dict | None) -> list[tuple[int, int]]:
    """Character ranges of a gold span: its fragments, else the span itself."""
    if not span:
        return []
    return [(f["start"], f["end"]) for f in span.get("fragments") or [span]]


def _words(text: str, ranges: Iterable[tuple[int, int]]) -> set[str]:
    """Lower-cased word types in character ranges of a text."""
    return {w.lower() for s, e in ranges for w in _WORD.findall(text[s:e])}


def _touches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """Whether two sets of character ranges overlap."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def score_document(text: str, gold: list[dict], predicted: list[Pred], strict: bool = False) -> dict[str, Any]:
    """Counts for one document (see the module docstring); ``strict`` asks for overlapping ranges."""

    def touches(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
        return _touches(a, b) if strict else True

    golds = [(g, _pieces(g["quote"]), _words(text, _pieces(g["quote"]))) for g in gold]
    preds = [(p, [(p["start"], p["end"])], _words(text, [(p["start"], p["end"])])) for p in predicted]
    quoted_preds = [x for x in preds if x[0]["kind"] in _QUOTED]
    counts = dict.fromkeys(("gold", "found", "pred", "right", "spk_gold", "spk_right", "all_gold", "all_found"), 0)
    for pred, ranges, words in quoted_preds:
        counts["pred"] += 1
        if words and any(touches(ranges, gr) and len(words & gw) * 2 >= len(words) for _, gr, gw in golds):
            counts["right"] += 1
    for g, granges, gwords in golds:
        if not gwords:
            continue
        quoted = g["type"] in _QUOTED
        for pool in ((quoted_preds, preds) if quoted else (preds,)):
            touching = [(p, w) for p, r, w in pool if touches(r, granges) and w & gwords]
            covered = set().union(*(w & gwords for _, w in touching)) if touching else set()
            hit = len(covered) * 2 >= len(gwords)
            if pool is preds:
                counts["all_gold"] += 1
                counts["all_found"] += hit
                continue
            counts["gold"] += 1
            counts["found"] += hit
            if hit and g.get("speaker"):
                counts["spk_gold"] += 1
                best = max(touching, key=lambda pw: len(pw[1] & gwords))[0]
                span = best.get("speaker_span")
                spk_words = _words(text, [tuple(span)]) if span else set()
                counts["spk_right"] += bool(spk_words & _words(text, _pieces(g["speaker"])))
    return counts


def _ratio(a: int, b: int) -> float | None:
    """a / b rounded, None when b is 0."""
    return round(a / b, 4) if b else None


def _summary(counts: dict[str, int]) -> dict[str, Any]:
    """Precision, recall, F1 and accuracies from summed counts."""
    p, r = _ratio(counts["right"], counts["pred"]), _ratio(counts["found"], counts["gold"])
    f1 = round(2 * p * r / (p + r), 4) if p and r else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": f1,
        "speaker_accuracy": _ratio(counts["spk_right"], counts["spk_gold"]),
        "all_recall": _ratio(counts["all_found"], counts["all_gold"]),
        "counts": counts,
    }


def _fixture_passes(counts: dict[str, int], n_gold: int) -> bool:
    """A fixture case passes: all gold quotes found with speakers, or nothing predicted for a negative."""
    if n_gold == 0:
        return counts["pred"] == 0
    return counts["found"] == counts["gold"] and counts["spk_right"] == counts["spk_gold"]


def score(records: list[dict], predict: Predictor) -> dict[str, Any]:
    """Summed scores of a predictor over gold records, with per-case fixture results."""
    total: dict[str, int] = {}
    strict: dict[str, int] = {}
    fixtures = {}
    for record in records:
        predicted = predict(record["text"])
        counts = score_document(record["text"], record["quotes"], predicted)
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
        for key, value in score_document(record["text"], record["quotes"], predicted, strict=True).items():
            strict[key] = strict.get(key, 0) + value
        if str(record["id"]).startswith("textacy"):
            fixtures[record["id"]] = _fixture_passes(counts, len(record["quotes"]))
    result = _summary(total)
    result["strict"] = _summary(strict)
    if fixtures:
        result["fixtures"] = {"passed": sum(fixtures.values()), "total": len(fixtures), "cases": fixtures}
    return result


def presslens_predictor(nlp: Language) -> Predictor:
    """Predictions of a pipeline holding ``presslens_quotes``."""
    if "presslens_quotes" not in nlp.pipe_names:
        nlp.add_pipe("presslens_quotes")

    def predict(text: str) -> list[Pred]:
        return nlp(text)._.presslens_quotes

    return predict


def textacy_predictor(nlp: Language) -> Predictor | None:
    """textacy's ``direct_quotations`` paragraph by paragraph (None when textacy is not installed)."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    model = nlp.meta["lang"] + "_" + nlp.meta["name"]
    import spacy

    bare = spacy.load(model)

    def predict(text: str) -> list[Pred]:
        found = []
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

    return predict


def evaluate_quotes(path: Path, nlp: Language) -> dict[str, Any]:
    """Score ``nlp`` (given ``presslens_quotes`` if missing) and the textacy baseline on a gold file."""
    records = _read(path)
    if not records or not all("text" in r and "quotes" in r for r in records):
        raise UsageError("PL208", path=path, detail="not a quotes gold file (records need 'text' and 'quotes')")
    result: dict[str, Any] = {"data": str(path), "documents": len(records)}
    result["presslens"] = score(records, presslens_predictor(nlp))
    baseline = textacy_predictor(nlp)
    result["textacy_direct_quotations"] = score(records, baseline) if baseline else None
    return result
