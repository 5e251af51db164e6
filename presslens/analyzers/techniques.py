"""presslens_techniques: propaganda-technique spans (PTC labels) found by a linear token tagger, labelling framing items."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from spacy.attrs import DEP, HEAD, IS_PUNCT, IS_TITLE, IS_UPPER, LEMMA, LENGTH, LIKE_NUM, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.tokens import Doc

import presslens.nlp.extensions  # noqa: F401  (registers Doc._.presslens_framing)
from presslens.knowledge.techniques import TechniqueModel, load_technique_model

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
    for sent in doc.sents:
        lo, hi = sent.start, sent.end
        text = sent.text
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
    sentence = span.sent.text
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


def token_probabilities(doc: Doc, model: TechniqueModel) -> list[float]:
    """Probability that each token lies inside a propaganda span.

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
    probs: list[float] = []
    for sent in doc.sents:
        lo, hi = sent.start, sent.end
        text = sent.text
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
            probs.append(_sigmoid(score))
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


def find_spans(doc: Doc, probs: list[float], rule: SpanRule) -> list[tuple[int, int]]:
    """Token spans of the sentences whose top token reaches ``rule.sentence_threshold``, edge punctuation cut.

    A sentence's tokens at ``rule.token_share`` of its top probability give the whole sentence when
    they spread over ``rule.sentence_cover`` of it, else their runs (gaps up to ``rule.max_gap``) that
    hold a token at the sentence threshold.
    """
    spans = []
    for sent in doc.sents:
        window = probs[sent.start : sent.end]
        top = max(window, default=0.0)
        if top < rule.sentence_threshold:
            continue
        inside = [i for i, p in enumerate(window) if p >= rule.token_share * top]
        if inside[-1] - inside[0] + 1 >= rule.sentence_cover * len(window):
            runs = [(0, len(window))]
        else:
            runs = [(a, b) for a, b in _runs(inside, rule.max_gap) if max(window[a:b]) >= rule.sentence_threshold]
        for a, b in runs:
            start, end = sent.start + a, sent.start + b
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


def detect(doc: Doc, model: TechniqueModel, rule: SpanRule) -> list[Detection]:
    """Technique spans of a parsed doc: span identification, then the most likely technique of each span."""
    spans = find_spans(doc, token_probabilities(doc, model), rule)
    lowered = doc.text.lower() if spans else ""
    classes = model.techniques.classes
    found = []
    for start, end in spans:
        scores = model.techniques.scores(span_features(doc, start, end, model.lexicon, lowered))
        found.append(Detection(start, end, classes[int(scores.argmax())]))
    return found


class TechniqueDetector:
    """Label framing items with the PTC technique of a detected span they overlap.

    The detector's spans are clause-long and right about a third of the time (SI precision 0.34),
    so they only label what the framing rules found; they never become framing items of their own.
    """

    def __init__(self, name: str, rule: SpanRule) -> None:
        if not all(0.0 < x <= 1.0 for x in (rule.sentence_threshold, rule.token_share, rule.sentence_cover)) or rule.max_gap < 0:
            raise ValueError("presslens_techniques needs sentence_threshold, token_share and sentence_cover in (0, 1] and max_gap >= 0")
        self.name = name
        self.rule = rule
        self.model: TechniqueModel = load_technique_model()

    def __call__(self, doc: Doc) -> Doc:
        """Detect technique spans and set ``technique`` on the framing items they overlap that have none."""
        items = doc._.presslens_framing or []
        unlabelled = [item for item in items if item.get("start") is not None and not item.get("technique")]
        if not unlabelled:
            return doc  # nothing to label: skip the detector's cost
        for found in detect(doc, self.model, self.rule):
            span = doc[found.start : found.end]
            for item in unlabelled:
                if item["start"] < span.end_char and span.start_char < item["end"]:
                    item["technique"] = item["technique"] or found.technique
        return doc


@Language.factory(
    "presslens_techniques",
    assigns=["doc._.presslens_framing"],
    requires=["token.lemma", "token.tag", "token.dep", "doc.sents"],
    default_config={"sentence_threshold": 0.35, "token_share": 0.5, "max_gap": 4, "sentence_cover": 0.7},
)
def make_techniques(
    nlp: Language, name: str, sentence_threshold: float, token_share: float, max_gap: int, sentence_cover: float
) -> TechniqueDetector:
    """Build the propaganda-technique detector (its span rule over the token tagger's probabilities)."""
    return TechniqueDetector(name, SpanRule(sentence_threshold, token_share, max_gap, sentence_cover))
