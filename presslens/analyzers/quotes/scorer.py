"""``presslens.quotes_scorer.v1``: predicted quotes against gold attributions (PolNeAR, textacy fixtures).

Gold sits in ``example.reference._.presslens_quotes`` as ``QuotesGold`` (the attributions of one
document, spans in pieces as PolNeAR gives them). Words are lower-cased ``\\w+`` types; a gold
quote's words come from its ``fragments`` when present. As in PolNeAR's reference scoring, a
prediction "touches" a gold quote of the same document when they share a word type, wherever it
stands; the ``strict`` figures limit touching to overlapping character ranges.

* ``quotes_r``: over gold direct+mixed quotes; one is found when the predicted direct+mixed quotes
  touching it together hold at least half of its words.
* ``quotes_p``: over predicted direct+mixed quotes; one is right when at least half of its words
  lie in one gold attribution (of any type).
* ``quotes_speaker_acc``: over found gold quotes with a speaker; the touching prediction sharing
  most words with the gold quote has a ``speaker_span`` sharing a word with the gold speaker.
* ``quotes_all_r``: recall over every gold attribution (indirect included) with every prediction.
* ``quotes_fixtures``: for documents whose ids start with ``textacy``, a case passes when every gold
  quote is found with its speaker and, for a case without quotes, nothing direct or mixed is predicted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Required, TypedDict

import spacy
from spacy.training import Example

from presslens.analyzers.quotes.marks import WORD

_QUOTED = ("direct", "mixed")
_COUNTS = ("gold", "found", "pred", "right", "spk_gold", "spk_right", "all_gold", "all_found")
Ranges = list[tuple[int, int]]
Pred = Mapping[str, Any]  # a predicted quote: at least start, end, kind and speaker_span


class GoldPiece(TypedDict):
    """One contiguous piece of a gold span."""

    start: int
    end: int


class GoldSpan(TypedDict, total=False):
    """A gold quote or speaker: its extent, and its pieces when it is discontinuous."""

    start: Required[int]
    end: Required[int]
    text: str
    fragments: list[GoldPiece]


class GoldAttribution(TypedDict):
    """One gold attribution: the quote, its speaker (None when unmarked) and its type."""

    quote: GoldSpan
    speaker: GoldSpan | None
    type: str


class QuotesGold(TypedDict):
    """The gold of one document (``example.reference._.presslens_quotes``)."""

    id: str
    attributions: list[GoldAttribution]


def _pieces(span: GoldSpan | None) -> Ranges:
    """Character ranges of a gold span: its fragments, else the span itself."""
    if not span:
        return []
    return [(f["start"], f["end"]) for f in span.get("fragments") or [span]]


def _words(text: str, ranges: Iterable[tuple[int, int]]) -> set[str]:
    """Lower-cased word types in character ranges of a text."""
    return {w.lower() for s, e in ranges for w in WORD.findall(text[s:e])}


def _touches(a: Ranges, b: Ranges) -> bool:
    """Whether two sets of character ranges overlap."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def score_document(text: str, gold: list[GoldAttribution], predicted: Iterable[Pred], strict: bool = False) -> dict[str, int]:
    """Counts for one document (see the module docstring); ``strict`` asks for overlapping ranges."""

    def touches(a: Ranges, b: Ranges) -> bool:
        return _touches(a, b) if strict else True

    golds = [(g, _pieces(g["quote"]), _words(text, _pieces(g["quote"]))) for g in gold]
    preds = [(p, [(p["start"], p["end"])], _words(text, [(p["start"], p["end"])])) for p in predicted]
    quoted_preds = [x for x in preds if x[0]["kind"] in _QUOTED]
    counts = dict.fromkeys(_COUNTS, 0)
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
            if hit and g["speaker"]:
                counts["spk_gold"] += 1
                best = max(touching, key=lambda pw: len(pw[1] & gwords))[0]
                span = best.get("speaker_span")
                spk_words = _words(text, [(span[0], span[1])]) if span else set()
                counts["spk_right"] += bool(spk_words & _words(text, _pieces(g["speaker"])))
    return counts


def _ratio(a: int, b: int) -> float | None:
    """a / b rounded, None when b is 0."""
    return round(a / b, 4) if b else None


def _summary(counts: dict[str, int], prefix: str) -> dict[str, Any]:
    """Precision, recall, F1 and accuracies from summed counts, under spaCy-style score keys."""
    p, r = _ratio(counts["right"], counts["pred"]), _ratio(counts["found"], counts["gold"])
    return {
        f"{prefix}_p": p,
        f"{prefix}_r": r,
        f"{prefix}_f": round(2 * p * r / (p + r), 4) if p and r else 0.0,
        f"{prefix}_speaker_acc": _ratio(counts["spk_right"], counts["spk_gold"]),
        f"{prefix}_all_r": _ratio(counts["all_found"], counts["all_gold"]),
        f"{prefix}_counts": counts,
    }


def _fixture_passes(counts: dict[str, int], n_gold: int) -> bool:
    """A fixture case passes: all gold quotes found with speakers, or nothing predicted for a negative."""
    if n_gold == 0:
        return counts["pred"] == 0
    return counts["found"] == counts["gold"] and counts["spk_right"] == counts["spk_gold"]


def score_quotes(examples: Iterable[Example], **_: Any) -> dict[str, Any]:
    """Scores of the predicted ``presslens_quotes`` against the gold of every Example that has quote gold.

    Returns:
        ``quotes_p``, ``quotes_r``, ``quotes_f``, ``quotes_speaker_acc``, ``quotes_all_r`` and
        ``quotes_counts``, the same under ``quotes_strict_*``, and ``quotes_fixtures`` (``{passed,
        total, cases}``, None without textacy fixtures).
    """
    total = dict.fromkeys(_COUNTS, 0)
    strict = dict.fromkeys(_COUNTS, 0)
    fixtures: dict[str, bool] = {}
    for example in examples:
        gold = example.reference._.presslens_quotes
        if not gold or "attributions" not in gold:
            continue  # no quote gold in this Example (another task's data)
        text = example.reference.text
        predicted = (example.predicted._.presslens_quotes or {}).get("quotes") or []
        counts = score_document(text, gold["attributions"], predicted)
        for key, value in counts.items():
            total[key] += value
        for key, value in score_document(text, gold["attributions"], predicted, strict=True).items():
            strict[key] += value
        if str(gold["id"]).startswith("textacy"):
            fixtures[gold["id"]] = _fixture_passes(counts, len(gold["attributions"]))
    passed = {"passed": sum(fixtures.values()), "total": len(fixtures), "cases": fixtures} if fixtures else None
    return {**_summary(total, "quotes"), **_summary(strict, "quotes_strict"), "quotes_fixtures": passed}


@spacy.registry.scorers("presslens.quotes_scorer.v1")
def make_quotes_scorer() -> Callable[..., dict[str, Any]]:
    """The registered quotes scorer (``presslens_quotes``'s ``score`` calls it)."""
    return score_quotes
