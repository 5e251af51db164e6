"""presslens_techniques: propaganda-technique spans (PTC labels) found by a linear token tagger, labelling framing items."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import spacy
from spacy.attrs import DEP, HEAD, IS_PUNCT, IS_TITLE, IS_UPPER, LEMMA, LENGTH, LIKE_NUM, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.analyzers.metrics import micro_f1, span_prf
from presslens.analyzers.sentences import sentence_bounds, sentence_text
from presslens.knowledge.techniques import TechniqueModel, model_from_dict, packaged_model_data
from presslens.nlp.outputs import FramingOut, TechniqueOut

# The span group the scorer compares (detected spans, labelled with their technique; gold in the reference).
SPANS_KEY = "presslens_techniques"

_QUOTE_MARKS = frozenset({'"', "\u201c", "\u201d", "``", "''"})


@dataclass(frozen=True)
class _Columns:
    """Per-token strings the features read, taken from the doc in one array pass (no Token objects)."""

    texts: list[str]
    lows: list[str]
    lemmas: list[str]
    tags: list[str]
    deps: list[str]
    shapes: list[str]
    heads: list[int]


def _columns(doc: Doc) -> _Columns:
    """Word, lower case, lemma, tag, dependency, coarse shape and head index of every token."""
    rows = doc.to_array([ORTH, LOWER, LEMMA, TAG, DEP, HEAD, IS_PUNCT, LIKE_NUM, IS_UPPER, IS_TITLE, LENGTH]).tolist()
    strings = doc.vocab.strings
    shapes = ["P" if r[6] else "D" if r[7] else "U" if r[8] and r[10] > 1 else "T" if r[9] else "l" for r in rows]
    return _Columns(
        texts=[strings[r[0]] for r in rows],
        lows=[strings[r[1]] for r in rows],
        lemmas=[strings[r[2]].lower() for r in rows],
        tags=[strings[r[3]] for r in rows],
        deps=[strings[r[4]] for r in rows],
        shapes=shapes,
        heads=[i + ((r[5] + 2**63) % 2**64 - 2**63) for i, r in enumerate(rows)],
    )


def token_features(doc: Doc, lexicon: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Feature strings of every token: word, lemma, tags, neighbours, head, lexicon hits, sentence cues."""
    cols = _columns(doc)
    lows, lemmas, tags, deps, heads = cols.lows, cols.lemmas, cols.tags, cols.deps, cols.heads
    hits = [lexicon.get(lemma) or lexicon.get(low) or () for low, lemma in zip(lows, lemmas)]
    features: list[list[str]] = []
    for lo, hi in sentence_bounds(doc):
        text = doc[lo:hi].text
        shared = [f"slex={min(sum(1 for i in range(lo, hi) if hits[i]), 4)}", f"slen={min((hi - lo) // 10, 5)}"]
        shared += [cue for cue, mark in (("s!", "!"), ("s?", "?")) if mark in text]
        quoted = 0
        for i in range(lo, hi):
            if cols.texts[i] in _QUOTE_MARKS:
                quoted ^= 1
            h = heads[i]
            prev = tags[i - 1] if i > lo else "<s>"
            nxt = tags[i + 1] if i + 1 < hi else "</s>"
            row = [
                "b", "w=" + lows[i], "l=" + lemmas[i], "p=" + tags[i], "d=" + deps[i], "sh=" + cols.shapes[i],
                "w-1=" + (lows[i - 1] if i > lo else "<s>"), "w+1=" + (lows[i + 1] if i + 1 < hi else "</s>"),
                "l-2=" + (lemmas[i - 2] if i - 1 > lo else "<s>"), "l+2=" + (lemmas[i + 2] if i + 2 < hi else "</s>"),
                "p-1p=" + prev + "|" + tags[i], "pp+1=" + tags[i] + "|" + nxt,
                "hl=" + lemmas[h], "dhl=" + deps[i] + "|" + lemmas[h],
                f"q={quoted}", f"pos={min(i - lo, 3)}",
            ]
            row += ["x=" + name for name in hits[i]]
            row += ["x-1=" + name for name in (hits[i - 1] if i > lo else ())]
            row += ["x+1=" + name for name in (hits[i + 1] if i + 1 < hi else ())]
            row += ["hx=" + name for name in hits[h]]
            features.append(row + shared)
    return features


def span_features(doc: Doc, start: int, end: int, lexicon: dict[str, tuple[str, ...]], lowered: str) -> list[str]:
    """Feature strings of a token span for the technique classifier (``lowered``: the doc text lower-cased)."""
    span = doc[start:end]
    words = [t.lower_ for t in span]
    row = [f"len={min(len(span), 12)}", "first=" + words[0], "last=" + words[-1], "p0=" + span[0].tag_]
    row += ["w=" + w for w in words] + ["l=" + t.lemma_.lower() for t in span]
    row += ["bg=" + a + "_" + b for a, b in zip(words, words[1:])]
    row += ["root=" + span.root.lemma_.lower(), "rootp=" + span.root.tag_, f"rep={min(lowered.count(span.text.lower()), 4)}"]
    row += ["x=" + name for t in span for name in (lexicon.get(t.lemma_.lower()) or lexicon.get(t.lower_) or ())]
    row += ["c-" + t.lower_ for t in doc[max(start - 3, 0) : start]] + ["c+" + t.lower_ for t in doc[end : end + 3]]
    sentence = sentence_text(doc, start, end)
    row += [cue for cue, mark in (("s!", "!"), ("s?", "?")) if mark in sentence]
    if len(span) == 1:
        row.append("one=" + words[0])
    if any(t.is_upper and len(t) > 1 for t in span):
        row.append("caps")
    if any(t.text in _QUOTE_MARKS for t in doc[max(start - 1, 0) : end + 1]):
        row.append("quoted")
    return row


def _sigmoid(score: float) -> float:
    """Logistic function, clipped so exp never overflows."""
    return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))


def token_probabilities(doc: Doc, model: TechniqueModel, sentences: list[tuple[int, int]] | None = None) -> list[float]:
    """Probability that each token lies inside a propaganda span (0.0 outside ``sentences``, default all).

    Equal to the logistic of the bias plus the weights of ``token_features``, but summed template by
    template from the model's per-template tables, so no feature string is built at run time; the
    tables also hold the folded word-vector scores, "sv" averaged over the sentence's listed words.
    """
    t = model.token_templates
    w, lem, pos, dep, shape, w_prev, w_next, l_prev2, l_next2, p_prev, p_next, head_l, dep_head, quote, place = (
        t.get(name, {}) for name in ("w", "l", "p", "d", "sh", "w-1", "w+1", "l-2", "l+2", "p-1p", "pp+1", "hl", "dhl", "q", "pos")
    )
    x, x_prev, x_next, x_head = (t.get(name, {}) for name in ("x", "x-1", "x+1", "hx"))
    plain, slex, slen, sent_vector = t.get("", {}), t.get("slex", {}), t.get("slen", {}), t.get("sv", {})
    lexicon = model.lexicon
    cols = _columns(doc)
    lows, lemmas, tags, deps, heads, shapes, texts = cols.lows, cols.lemmas, cols.tags, cols.deps, cols.heads, cols.shapes, cols.texts
    hits = [lexicon.get(lemma) or lexicon.get(low) or () for low, lemma in zip(lows, lemmas)]
    sums: dict[tuple[str, ...], tuple[float, float, float, float]] = {}
    for names in set(hits):
        sums[names] = tuple(sum(table.get(name, 0.0) for name in names) for table in (x, x_prev, x_next, x_head))  # type: ignore[assignment]
    lex = [sums[names] for names in hits]
    base = model.token_bias + plain.get("b", 0.0)
    probs = [0.0] * len(doc)
    for lo, hi in sentence_bounds(doc) if sentences is None else sentences:
        text = doc[lo:hi].text
        shared = base + slex.get(str(min(sum(1 for i in range(lo, hi) if hits[i]), 4)), 0.0)
        shared += slen.get(str(min((hi - lo) // 10, 5)), 0.0)
        shared += sum(plain.get(cue, 0.0) for cue, mark in (("s!", "!"), ("s?", "?")) if mark in text)
        listed = [sent_vector[low] for low in lows[lo:hi] if low in sent_vector]
        shared += sum(listed) / len(listed) if listed else 0.0
        quoted = 0
        for i in range(lo, hi):
            if texts[i] in _QUOTE_MARKS:
                quoted ^= 1
            h = heads[i]
            prev = tags[i - 1] if i > lo else "<s>"
            nxt = tags[i + 1] if i + 1 < hi else "</s>"
            score = shared + w.get(lows[i], 0.0) + lem.get(lemmas[i], 0.0) + pos.get(tags[i], 0.0) + dep.get(deps[i], 0.0)
            score += shape.get(shapes[i], 0.0) + head_l.get(lemmas[h], 0.0) + dep_head.get(deps[i] + "|" + lemmas[h], 0.0)
            score += w_prev.get(lows[i - 1] if i > lo else "<s>", 0.0) + w_next.get(lows[i + 1] if i + 1 < hi else "</s>", 0.0)
            score += l_prev2.get(lemmas[i - 2] if i - 1 > lo else "<s>", 0.0) + l_next2.get(lemmas[i + 2] if i + 2 < hi else "</s>", 0.0)
            score += p_prev.get(prev + "|" + tags[i], 0.0) + p_next.get(tags[i] + "|" + nxt, 0.0)
            score += quote.get(str(quoted), 0.0) + place.get(str(min(i - lo, 3)), 0.0)
            score += lex[i][0] + lex[h][3] + (lex[i - 1][1] if i > lo else 0.0) + (lex[i + 1][2] if i + 1 < hi else 0.0)
            probs[i] = _sigmoid(score)
    return probs


class SpanRule(NamedTuple):
    """How token probabilities become spans (the ``[components.presslens_techniques]`` settings)."""

    sentence_threshold: float
    token_share: float
    max_gap: int
    sentence_cover: float


def _runs(inside: list[int], max_gap: int) -> list[tuple[int, int]]:
    """Runs of ascending positions, a run broken where more than ``max_gap`` positions are skipped."""
    runs = [[inside[0], inside[0] + 1]]
    for i in inside[1:]:
        if i - runs[-1][1] <= max_gap:
            runs[-1][1] = i + 1
        else:
            runs.append([i, i + 1])
    return [(a, b) for a, b in runs]


def find_spans(doc: Doc, probs: list[float], rule: SpanRule, sentences: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Token spans of the sentences (default all) whose top token reaches ``rule.sentence_threshold``, edge punctuation cut.

    A sentence's tokens at ``rule.token_share`` of its top probability give the whole sentence when
    they spread over ``rule.sentence_cover`` of it, else their runs (gaps up to ``rule.max_gap``) that
    hold a token at the sentence threshold.
    """
    spans = []
    for sent_start, sent_end in sentence_bounds(doc) if sentences is None else sentences:
        window = probs[sent_start:sent_end]
        top = max(window, default=0.0)
        if top < rule.sentence_threshold:
            continue
        inside = [i for i, p in enumerate(window) if p >= rule.token_share * top]
        if inside[-1] - inside[0] + 1 >= rule.sentence_cover * len(window):
            runs = [(0, len(window))]
        else:
            runs = [(a, b) for a, b in _runs(inside, rule.max_gap) if max(window[a:b]) >= rule.sentence_threshold]
        for a, b in runs:
            start, end = sent_start + a, sent_start + b
            while start < end and doc[start].is_punct:
                start += 1
            while end > start and doc[end - 1].is_punct:
                end -= 1
            if end > start:
                spans.append((start, end))
    return spans


@dataclass(frozen=True)
class Detection:
    """One detected technique span (token offsets) and its technique."""

    start: int
    end: int
    technique: str


def detect(doc: Doc, model: TechniqueModel, rule: SpanRule, sentences: list[tuple[int, int]] | None = None) -> list[Detection]:
    """Technique spans of a parsed doc (in ``sentences``, default all): span identification, then each span's likeliest technique."""
    spans = find_spans(doc, token_probabilities(doc, model, sentences), rule, sentences)
    lowered = doc.text.lower() if spans else ""
    classes = model.techniques.classes
    found = []
    for start, end in spans:
        scores = model.techniques.scores(span_features(doc, start, end, model.lexicon, lowered))
        found.append(Detection(start, end, classes[int(scores.argmax())]))
    return found


def _holding(doc: Doc, items: list[FramingOut]) -> list[tuple[int, int]]:
    """Token bounds of the sentences that overlap a framing item (the only ones whose detections can label one)."""
    bounds = sentence_bounds(doc)
    return [(lo, hi) for lo, hi in bounds
            if any(item["start"] is not None and item["end"] is not None and item["start"] < doc[hi - 1].idx + len(doc[hi - 1])
                   and doc[lo].idx < item["end"] for item in items)]


class TechniqueDetector(PresslensComponent):
    """Label framing items with the PTC technique of a detected span they overlap (``doc._.presslens_techniques``).

    The detector's spans are clause-long and right about a third of the time (SI precision 0.34),
    so they only label what the framing rules found; they never become framing items of their own.
    With ``spans_key`` set, every detected span is also written to that span group (what the scorer reads).
    """

    def __init__(self, nlp: Language, name: str, rule: SpanRule, spans_key: str | None = None, scorer: Scorer | None = None) -> None:
        if not all(0.0 < x <= 1.0 for x in (rule.sentence_threshold, rule.token_share, rule.sentence_cover)) or rule.max_gap < 0:
            raise ValueError("presslens_techniques needs sentence_threshold, token_share and sentence_cover in (0, 1] and max_gap >= 0")
        super().__init__(nlp, name, scorer)
        self.rule = rule
        self.spans_key = spans_key
        self.model: TechniqueModel | None = None

    def load_data(self, **additions: Any) -> dict[str, Any]:
        """The packaged detector weights (``data/techniques/model.json``), parsed."""
        return {"model": packaged_model_data()}

    def build(self) -> None:
        """Validate the weights and fold them into the per-template tables the tagger reads."""
        assert self.data is not None
        self.model = model_from_dict(self.data["model"])

    def annotate(self, doc: Doc) -> Doc:
        """Set ``doc._.presslens_techniques``: the technique of the first detected span each unlabelled framing item overlaps."""
        assert self.model is not None
        items = doc._.presslens_framing or []
        unlabelled = [i for i, item in enumerate(items) if item["start"] is not None and not item["technique"]]
        labels: dict[int, str] = {}
        if unlabelled or self.spans_key:  # nothing to label and no span group asked for: skip the detector's cost
            found = detect(doc, self.model, self.rule, None if self.spans_key else _holding(doc, [items[i] for i in unlabelled]))
            if self.spans_key:
                doc.spans[self.spans_key] = [Span(doc, d.start, d.end, label=d.technique) for d in found]
            for detection in found:
                span = doc[detection.start : detection.end]
                for i in unlabelled:
                    if i not in labels and items[i]["start"] < span.end_char and span.start_char < items[i]["end"]:
                        labels[i] = detection.technique
        techniques: list[TechniqueOut] = [{"framing": i, "technique": labels[i]} for i in sorted(labels)]
        doc._.presslens_techniques = techniques
        return doc


def score_techniques(examples: Iterable[Example]) -> dict[str, Any]:
    """SemEval-2020 Task 11 style scores of the ``presslens_techniques`` span group against the reference's.

    ``techniques_si_*``: span identification with partial-overlap credit (``metrics.span_prf``);
    ``techniques_tc_f``: micro-F1 over gold spans of the technique of the predicted span overlapping each most.
    """
    predicted, gold, pred_labels, gold_labels = [], [], [], []
    for example in examples:
        pred = list(example.predicted.spans.get(SPANS_KEY, []))
        ref = list(example.reference.spans.get(SPANS_KEY, []))
        predicted.append([(s.start_char, s.end_char) for s in pred])
        gold.append([(s.start_char, s.end_char) for s in ref])
        for g in ref:
            overlaps = [(min(p.end_char, g.end_char) - max(p.start_char, g.start_char), p.label_) for p in pred]
            best = max(overlaps, default=(0, ""))
            pred_labels.append(best[1] if best[0] > 0 else "")
            gold_labels.append(g.label_)
    si = span_prf(predicted, gold)
    return {"techniques_si_p": si["precision"], "techniques_si_r": si["recall"], "techniques_si_f": si["f1"],
            "techniques_si_predicted": si["predicted"], "techniques_si_gold": si["gold"], "techniques_tc_f": micro_f1(pred_labels, gold_labels)}


@spacy.registry.scorers("presslens.techniques_scorer.v1")
def make_techniques_scorer() -> Scorer:
    """The registered scorer of ``presslens_techniques`` (``score_techniques``)."""
    return score_techniques


@Language.factory(
    "presslens_techniques",
    assigns=["doc._.presslens_techniques", "doc.spans"],
    requires=["token.lemma", "token.tag", "token.dep", "token.is_sent_start", "doc._.presslens_framing"],
    default_config={"sentence_threshold": 0.35, "token_share": 0.5, "max_gap": 4, "sentence_cover": 0.7, "spans_key": None,
                    "scorer": {"@scorers": "presslens.techniques_scorer.v1"}},
    default_score_weights={"techniques_si_f": 1.0, "techniques_si_p": 0.0, "techniques_si_r": 0.0, "techniques_tc_f": 0.0,
                           "techniques_si_predicted": None, "techniques_si_gold": None},
)
def make_techniques(
    nlp: Language, name: str, sentence_threshold: float, token_share: float, max_gap: int, sentence_cover: float,
    spans_key: str | None, scorer: Scorer | None,
) -> TechniqueDetector:
    """Build the propaganda-technique detector (its span rule over the token tagger's probabilities).

    Args:
        spans_key: Also write every detected span to ``doc.spans[spans_key]`` (``presslens eval`` sets it).
        scorer: The scorer ``nlp.evaluate`` calls (``presslens.techniques_scorer.v1``).
    """
    return TechniqueDetector(nlp, name, SpanRule(sentence_threshold, token_share, max_gap, sentence_cover), spans_key, scorer)
