"""Score main-text extraction on the Zyte benchmark and on trafilatura's snippet gold set.

Both metrics follow ``shared/eval/README.md`` (section ``extraction/``):

* Zyte: tokens are ``re.findall(r"\\w+", text)``; each text becomes a multiset of 4-token
  shingles (a text of 1-3 tokens is one shorter shingle, as in the benchmark's ``evaluate.py``).
  Per document TP/FP/FN are the multiset overlap, normalised so TP + FP + FN = 1; a document
  where gold and prediction are both empty scores (0, 0, 0) and so adds nothing. Precision,
  recall and F1 come from the sums over documents. The benchmark's own script instead averages
  per-document precision and recall; that variant is reported under ``"benchmark"`` so numbers
  stay comparable with its published scores.
* trafilatura: the extracted text and each snippet are whitespace-normalised; a ``with``
  snippet found is a TP, not found an FN; a ``without`` snippet found is an FP. P/R/F1 come from
  the summed counts, for all pages and for English ones (``lang_guess == "en"``).

The default extractor is presslens itself: HTML extraction plus the cleaning stage (mojibake
repair, boilerplate lines), i.e. the text every later offset refers to.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from presslens.clean import clean
from presslens.ingest.raw import RawDoc
from presslens.settings import Settings, load_settings
from presslens.errors import BadInputError, UsageError
from presslens.ingest.decode import decode_bytes

Extractor = Callable[[str, str | None], str]
_TOKEN_RE = re.compile(r"\w+")
_SHINGLE = 4


def shingles(text: str, n: int = _SHINGLE) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles of ``text`` (one shorter shingle when it has < n tokens)."""
    tokens = _TOKEN_RE.findall(text)
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def shingle_scores(pred: str, gold: str) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of ``pred`` against ``gold``; (0, 0, 0) when both are empty."""
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def snippet_counts(text: str, with_: Iterable[str], without: Iterable[str]) -> tuple[int, int, int, int]:
    """(TP, FN, FP, TN) of whitespace-normalised snippets found in ``text``."""
    norm = " ".join(text.split())
    found_with = [" ".join(s.split()) in norm for s in with_]
    found_without = [" ".join(s.split()) in norm for s in without]
    return (
        sum(found_with),
        len(found_with) - sum(found_with),
        sum(found_without),
        len(found_without) - sum(found_without),
    )


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    """Precision, recall and F1 from summed counts (0.0 where undefined)."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def benchmark_prf(scores: list[tuple[float, float, float]]) -> dict[str, float]:
    """P/R/F1 as the Zyte ``evaluate.py`` computes them: means of per-document scores."""
    precisions = [1.0 if fp == fn == 0 else tp / (tp + fp) for tp, fp, fn in scores if tp + fp > 0]
    recalls = [1.0 if fp == fn == 0 else tp / (tp + fn) for tp, fp, fn in scores if tp + fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def read_html(path: Path) -> str:
    """Text of an HTML file, gunzipped when it ends in ``.gz`` and decoded with ``decode_bytes``."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return decode_bytes(data)


def _safe_text(extract: Extractor, path: Path, url: str | None) -> str:
    """Extracted text of one page; "" when the page cannot be decoded.

    Raises:
        UsageError: PL208 when the page is missing or is not valid gzip.
    """
    try:
        html = read_html(path)
    except BadInputError:  # an undecodable page scores as an empty extraction
        return ""
    except (OSError, EOFError, zlib.error) as err:
        raise _malformed(path, f"cannot read the page: {getattr(err, 'strerror', None) or err}") from None
    return extract(html, url)


def _malformed(path: Path, detail: str) -> UsageError:
    """The PL208 error for a malformed evaluation file."""
    return UsageError("PL208", path=str(path), detail=detail)


def _read_json(path: Path, text: str, line: int = 0) -> Any:
    """Parse JSON ``text`` read from ``path`` (``line``: its line number in a JSON Lines file)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise _malformed(path, f"{err.msg} at line {line or err.lineno}, column {err.colno}") from None


def _read_text(path: Path) -> str:
    """The UTF-8 text of an evaluation file."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise _malformed(path, f"not UTF-8 text ({err.reason} at byte {err.start})") from None


def _is_str(value: object) -> bool:
    """True for a string or a missing value."""
    return value is None or isinstance(value, str)


def _zyte_truth(path: Path) -> dict[str, dict[str, Any]]:
    """The Zyte ground truth: page key -> {"articleBody": ..., "url": ...}.

    Raises:
        UsageError: PL208 unless the file is a JSON object of objects with string fields.
    """
    truth = _read_json(path, _read_text(path))
    if not isinstance(truth, dict):
        raise _malformed(path, "expected a JSON object mapping page keys to records")
    for key, item in truth.items():
        if not (isinstance(item, dict) and _is_str(item.get("articleBody")) and _is_str(item.get("url"))):
            raise _malformed(path, f"record {key!r}: expected an object with string 'articleBody' and 'url'")
    return truth


def _trafilatura_gold(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a trafilatura ``gold.jsonl``, each checked as it is read.

    Raises:
        UsageError: PL208 for a line that is not JSON, or lacks a string ``html_file`` and
            lists of strings ``with`` and ``without``.
    """
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        record = _read_json(path, line, number)
        valid = (
            isinstance(record, dict)
            and isinstance(record.get("html_file"), str)
            and _is_str(record.get("url"))
            and all(isinstance(record.get(k), list) and all(map(_is_str, record[k])) for k in ("with", "without"))
        )
        if not valid:
            raise _malformed(
                path, f"line {number}: expected an object with a string 'html_file' and lists of strings 'with' and 'without'"
            )
        yield record


def stored_text(settings: Settings | None = None) -> Extractor:
    """The extractor presslens itself is: HTML extraction plus cleaning ("" when quarantined)."""
    clean_settings = (settings or load_settings()).clean

    def extract(html: str, url: str | None) -> str:
        try:
            return clean(RawDoc("eval", "html", html, {"url": url} if url else {}), clean_settings).text
        except BadInputError:
            return ""

    return extract


def evaluate_zyte(data_dir: Path, extract: Extractor) -> dict[str, object]:
    """Shingle P/R/F1 of ``extract`` on a Zyte-format directory."""
    truth = _zyte_truth(data_dir / "ground-truth.json")
    scores: list[tuple[float, float, float]] = []
    for key, item in sorted(truth.items()):
        text = _safe_text(extract, data_dir / "html" / f"{key}.html.gz", item.get("url"))
        scores.append(shingle_scores(text, item.get("articleBody") or ""))
    sums = [sum(column) for column in zip(*scores)] if scores else [0.0, 0.0, 0.0]
    return {"dataset": "zyte", "documents": len(scores), **prf(*sums), "benchmark": benchmark_prf(scores)}


def evaluate_trafilatura(data_dir: Path, extract: Extractor) -> dict[str, object]:
    """Snippet P/R/F1 of ``extract`` on a trafilatura-format directory, all pages and English."""
    totals = {"all": [0, 0, 0, 0, 0], "en": [0, 0, 0, 0, 0]}
    for record in _trafilatura_gold(data_dir / "gold.jsonl"):
        url = record.get("url") or ""
        # some ids are file names ("hard::site.html"), not URLs: pass no URL then
        text = _safe_text(extract, data_dir / record["html_file"], url if "://" in url else None)
        counts = snippet_counts(text, [s for s in record["with"] if s], [s for s in record["without"] if s])
        groups = ("all", "en") if record.get("lang_guess") == "en" else ("all",)
        for group in groups:
            totals[group] = [a + b for a, b in zip(totals[group], (*counts, 1))]
    result: dict[str, object] = {"dataset": "trafilatura"}
    for group, (tp, fn, fp, _tn, docs) in totals.items():
        result[group] = {**prf(tp, fp, fn), "documents": docs}
    return result


def evaluate_extraction(data_dir: Path, extract: Extractor | None = None) -> dict[str, object]:
    """Evaluate ``extract`` on the data set in ``data_dir`` (Zyte or trafilatura format).

    Raises:
        UsageError: PL206 when ``data_dir`` holds neither ``ground-truth.json`` nor ``gold.jsonl``,
            PL208 when the file is malformed or a page it names is missing.
    """
    data_dir = Path(data_dir)
    extract = extract or stored_text()
    if (data_dir / "ground-truth.json").is_file():
        return evaluate_zyte(data_dir, extract)
    if (data_dir / "gold.jsonl").is_file():
        return evaluate_trafilatura(data_dir, extract)
    raise UsageError("PL206", path=str(data_dir))
