"""``presslens eval sentences``: how sentence splits treat quotation marks, ellipses and abbreviations on PolNeAR.

PolNeAR has no gold sentences, so the splitting is measured by proxies, each a rate with the spread
over article folds. Every figure is computed for the model's parser alone and for the parser after
``presslens_sentences`` (the same Docs, the component switched off or on):

- ``suspect``: share of in-paragraph breaks that no English sentence has: before a lower-case word,
  at closing punctuation (”, a comma, an ellipsis), after a word without terminal punctuation, or
  right after a title abbreviation or initial ("Sen. | Warren"). These mirror the component's rules,
  so they show what the rules change, not that the rules are right;
  ``break_lower``, ``break_closing``, ``break_no_terminal``, ``break_abbreviation``: each kind's share of the breaks;
- ``quote_cut``: share of gold direct and mixed quotes (their character spans) holding a suspect break;
- ``cue_detached`` (independent of the rules): share of gold attributions whose cue ("said") lies in
  the quotation's paragraph but in a sentence holding neither the quotation's first nor its last
  character ("“We will win…” | she said" detaches the cue);
- ``quote_break_suspect``: share of the breaks inside a quotation that are suspect (the others end a
  quoted sentence and start a new one);
- ``missed_paragraph``: share of newlines not followed by a sentence start;
- ``parse_agreement``: share of tokens whose head and label are the same with and without the rules.

The hand check samples breaks, and non-breaks after terminal punctuation, for a reader to judge.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from presslens.analyzers.quotes.marks import find_quotations
from presslens.analyzers.senter import SentenceRules, Words, closes, ends_sentence, paragraph_start, previous_word
from presslens.errors import UsageError
from presslens.nlp.build import load_nlp
from presslens.settings import Settings

RULES = "presslens_sentences"
VARIANTS = ("parser", "rules")
BREAK_KINDS = ("lower", "closing", "no_terminal", "abbreviation")
Record = dict[str, Any]


def read_records(path: Path) -> list[Record]:
    """PolNeAR records (``text``, ``quotes``) of a JSON Lines file, gzip-compressed or not.

    Raises:
        UsageError: PL201 when the file is missing, PL208 when it is not JSON Lines of quote records.
    """
    if not path.is_file():
        raise UsageError("PL201", path=path)
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        records = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err
    if not records or not all(isinstance(r, dict) and "text" in r and "quotes" in r for r in records):
        raise UsageError("PL208", path=path, detail="not JSON Lines records with 'text' and 'quotes'")
    return records


@dataclass
class DocCounts:
    """Numerators and denominators of every proxy for one article and one variant."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, key: str, hit: bool) -> None:
        """Count one case of ``key`` (its denominator) and, when ``hit``, one error (its numerator)."""
        self.counts[f"{key}_n"] += 1
        self.counts[key] += hit


def break_kinds(w: Words, i: int, rules: SentenceRules) -> list[str]:
    """Why a break before token ``i`` cannot be right (empty: it can be)."""
    j = previous_word(w, i)
    kinds = []
    if w.lower[i] and w.words[i][0].isalpha():
        kinds.append("lower")
    if closes(w, i):
        kinds.append("closing")
    if j >= 0 and not ends_sentence(w, j) and not w.punct[i]:
        kinds.append("no_terminal")
    if j >= 0 and ends_sentence(w, j) and rules.continues(w, j, i):
        kinds.append("abbreviation")
    return kinds


def inline_breaks(doc: Doc, w: Words) -> list[int]:
    """Token indices of the sentence starts that are not at a paragraph start (nor the Doc's first token)."""
    return [t.i for t in doc[1:] if t.is_sent_start and not w.space[t.i] and not paragraph_start(w, t.i)]


def count_doc(doc: Doc, record: Record, rules: SentenceRules) -> DocCounts:
    """Every proxy's counts for one parsed article and its gold quotes."""
    out = DocCounts()
    w = Words.of(doc)
    text = doc.text
    quotations = find_quotations(text)
    suspect_chars = []
    for i in inline_breaks(doc, w):
        kinds = break_kinds(w, i, rules)
        out.add("suspect", bool(kinds))
        for kind in BREAK_KINDS:
            out.add(f"break_{kind}", kind in kinds)
        if kinds:
            suspect_chars.append(w.idx[i])
        if any(q.start < w.idx[i] < q.end for q in quotations):
            out.add("quote_break_suspect", bool(kinds))
    for token in doc[1:]:
        j = previous_word(w, token.i)
        if not w.space[token.i] and j >= 0 and paragraph_start(w, token.i):
            out.add("missed_paragraph", not any(doc[k].is_sent_start for k in range(j + 1, token.i + 1)))
    for gold in record["quotes"]:
        quote = gold["quote"]
        if gold["type"] in ("direct", "mixed"):
            out.add("quote_cut", any(quote["start"] < c < quote["end"] for c in suspect_chars))
        cue = gold.get("cue")
        if cue and "\n" not in text[min(cue["start"], quote["start"]) : max(cue["end"], quote["end"])]:
            out.add("cue_detached", detached(doc, cue, quote))
    return out


def detached(doc: Doc, cue: Record, quote: Record) -> bool:
    """Whether the cue's sentence holds neither the first nor the last character of the quotation."""
    span = doc.char_span(cue["start"], cue["end"], alignment_mode="expand")
    first = doc.char_span(quote["start"], quote["start"] + 1, alignment_mode="expand")
    last = doc.char_span(quote["end"] - 1, quote["end"], alignment_mode="expand")
    if span is None or first is None or last is None:
        return False
    sent = span[0].sent
    return not (sent.start <= first[0].i < sent.end or sent.start <= last[0].i < sent.end)


def sentence_pipeline(settings: Settings) -> Language:
    """The configured model with ``presslens_sentences`` alone (the other presslens components do not touch the splits)."""
    return load_nlp(dataclasses.replace(settings, nlp=settings.nlp.model_copy(update={"components": [RULES]})))


def parse(nlp: Language, texts: Iterable[str], rules_on: bool, batch_size: int = 32) -> Iterator[Doc]:
    """Tag and parse ``texts`` with the model's components, with or without ``presslens_sentences``."""
    keep = {"tok2vec", "tagger", "parser"} | ({RULES} if rules_on else set())
    with nlp.select_pipes(enable=[name for name in nlp.pipe_names if name in keep]):
        yield from nlp.pipe(texts, batch_size=batch_size)


def agreement(a: Doc, b: Doc) -> tuple[int, int]:
    """(tokens with the same head and label in both parses, tokens)."""
    same = sum(x.head.i == y.head.i and x.dep == y.dep for x, y in zip(a, b, strict=True))
    return same, len(a)


def rates(per_doc: list[DocCounts], folds: int) -> dict[str, dict[str, float]]:
    """Each proxy's rate over all articles, with its minimum and maximum over ``folds`` article folds."""
    keys = sorted({k[:-2] for d in per_doc for k in d.counts if k.endswith("_n")})
    result = {}
    for key in keys:
        total = _rate(per_doc, key)
        spread = [_rate(per_doc[f::folds], key) for f in range(folds) if per_doc[f::folds]]
        result[key] = {"rate": total, "min": min(spread), "max": max(spread), "n": sum(d.counts[f"{key}_n"] for d in per_doc)}
    return result


def _rate(docs: list[DocCounts], key: str) -> float:
    """Errors over cases of ``key`` summed over ``docs`` (0.0 when there are no cases)."""
    cases = sum(d.counts[f"{key}_n"] for d in docs)
    return sum(d.counts[key] for d in docs) / cases if cases else 0.0


@dataclass
class VariantResult:
    """One variant's per-article counts, break totals and Docs (kept for agreement and the hand check)."""

    per_doc: list[DocCounts]
    docs: list[Doc]
    seconds: float


def evaluate(nlp: Language, records: list[Record], folds: int = 5) -> dict[str, Any]:
    """Every proxy for both variants, the parse agreement between them, and the break counts."""
    rules = nlp.get_pipe(RULES)
    if not isinstance(rules, SentenceRules):
        raise UsageError("PL205", detail=f"{RULES} is not the presslens sentence component")
    results: dict[str, VariantResult] = {}
    for variant in VARIANTS:
        start = time.perf_counter()
        docs = list(parse(nlp, [r["text"] for r in records], variant == "rules"))
        seconds = time.perf_counter() - start
        results[variant] = VariantResult([count_doc(d, r, rules) for d, r in zip(docs, records, strict=True)], docs, seconds)
    pairs = [agreement(a, b) for a, b in zip(results["parser"].docs, results["rules"].docs, strict=True)]
    return {
        "articles": len(records),
        "variants": {
            v: {
                "proxies": rates(res.per_doc, folds),
                "breaks": sum(len(inline_breaks(d, Words.of(d))) for d in res.docs),
                "seconds": round(res.seconds, 2),
            }
            for v, res in results.items()
        },
        "parse_agreement": sum(s for s, _ in pairs) / max(1, sum(n for _, n in pairs)),
        "docs": {v: res.docs for v, res in results.items()},
    }


def hand_sample(docs: list[Doc], n: int, seed: int, breaks: bool, width: int = 60) -> list[str]:
    """``n`` random in-paragraph breaks (or non-breaks after terminal punctuation) as 'left ‖ right' lines."""
    places: list[tuple[int, int]] = []
    for d, doc in enumerate(docs):
        w = Words.of(doc)
        if breaks:
            places.extend((d, i) for i in inline_breaks(doc, w))
            continue
        for t in doc[1:]:
            j = previous_word(w, t.i)
            candidate = j >= 0 and j not in w.openers and not w.punct[t.i] and not w.space[t.i] and ends_sentence(w, j)
            if candidate and not t.is_sent_start and not paragraph_start(w, t.i):
                places.append((d, t.i))
    chosen = random.Random(seed).sample(places, min(n, len(places)))
    lines = []
    for d, i in sorted(chosen):
        text, at = docs[d].text, docs[d][i].idx
        lines.append(f"{text[max(0, at - width):at].rstrip(' ')} ‖ {text[at:at + width]}".replace("\n", "⏎"))
    return lines
