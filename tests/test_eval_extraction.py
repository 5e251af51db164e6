"""Tests of the extraction metrics and of ``extract_html`` on hand-made inputs."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from presslens.clean.html import extract_html
from presslens.errors import UsageError
from presslens.eval.extraction import evaluate_extraction, prf, shingle_scores, snippet_counts

from .conftest import shared_eval


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ("a b c d e", "a b c d e", (1.0, 0.0, 0.0)),
        ("a b c d e f", "a b c d e", (2 / 3, 1 / 3, 0.0)),  # abcd bcde cdef vs abcd bcde
        ("a b c d", "a b c d e f", (1 / 3, 0.0, 2 / 3)),
        ("x x x x x", "x x x x", (0.5, 0.5, 0.0)),  # multisets: xxxx twice vs once
        ("Hello, world! How are you?", "Hello world How are you", (1.0, 0.0, 0.0)),
        ("hello world", "hello world", (1.0, 0.0, 0.0)),  # under 4 tokens: one short shingle
        ("hello world", "hello there", (0.0, 0.5, 0.5)),
        ("", "a b c d", (0.0, 0.0, 1.0)),
        ("a b c d", "", (0.0, 1.0, 0.0)),
        ("", "", (0.0, 0.0, 0.0)),  # both empty: contributes nothing to the sums
    ],
)
def test_shingle_scores(pred: str, gold: str, expected: tuple[float, float, float]) -> None:
    assert shingle_scores(pred, gold) == pytest.approx(expected)


def test_snippet_counts_normalise_whitespace() -> None:
    text = "The quick  brown\nfox jumps.\n\nSubscribe now"
    counts = snippet_counts(text, ["quick brown fox", "lazy dog"], ["Subscribe\n now", "Cookie policy"])
    assert counts == (1, 1, 1, 1)  # TP, FN, FP, TN
    assert snippet_counts("", ["a"], ["b"]) == (0, 1, 0, 1)


def test_prf() -> None:
    assert prf(1, 1, 1) == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5})
    assert prf(3, 1, 0) == pytest.approx({"precision": 0.75, "recall": 1.0, "f1": 6 / 7})
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def _strip_tags(html: str, url: str | None = None) -> str:
    """A stand-in extractor: the page text without tags."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_evaluate_zyte_layout(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    truth = {
        "a": {"articleBody": "one two three four five", "url": "https://example.com/a"},
        "b": {"articleBody": "one two three four five", "url": "https://example.com/b"},
    }
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    (tmp_path / "html" / "a.html.gz").write_bytes(gzip.compress(b"<p>one two three four five</p>"))
    (tmp_path / "html" / "b.html.gz").write_bytes(gzip.compress(b"<p>one two three four five six</p>"))
    result = evaluate_extraction(tmp_path, _strip_tags)
    # sums: TP = 1 + 2/3, FP = 1/3, FN = 0
    assert result["dataset"] == "zyte"
    assert result["documents"] == 2
    assert result["precision"] == pytest.approx(5 / 6)
    assert result["recall"] == pytest.approx(1.0)
    assert result["f1"] == pytest.approx(10 / 11)


def test_evaluate_trafilatura_layout(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    german = "<p>Grüße aus München: Die Straßenbahn fährt heute später.</p><nav>Zum Newsletter</nav>"
    (tmp_path / "html" / "de.html.gz").write_bytes(gzip.compress(german.encode("cp1252")))
    (tmp_path / "html" / "en.html.gz").write_bytes(gzip.compress(b"<p>Rain is expected.</p><p>Share this</p>"))
    records = [
        {"id": "de", "html_file": "html/de.html.gz", "url": "x", "lang_guess": "de",
         "with": ["Grüße aus München", "nicht da"], "without": ["Zum Newsletter"]},
        {"id": "en", "html_file": "html/en.html.gz", "url": "x", "lang_guess": "en",
         "with": ["Rain is  expected."], "without": ["Cookie settings"]},
    ]
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = evaluate_extraction(tmp_path, _strip_tags)
    # all: TP 2, FN 1, FP 1; en: TP 1, FN 0, FP 0
    assert result["dataset"] == "trafilatura"
    assert result["all"] == pytest.approx({"precision": 2 / 3, "recall": 2 / 3, "f1": 2 / 3, "documents": 2})
    assert result["en"] == pytest.approx({"precision": 1.0, "recall": 1.0, "f1": 1.0, "documents": 1})


def test_evaluate_unknown_layout(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        evaluate_extraction(tmp_path)
    assert err.value.code == "PL206"


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ('{"a": {"articleBody": "x"', "Expecting ',' delimiter at line 1, column 26"),
        ('["a", "b"]', "expected a JSON object mapping page keys to records"),
        ('{"a": "text"}', "record 'a': expected an object with string 'articleBody' and 'url'"),
        ('{"a": {"articleBody": ["x"]}}', "record 'a': expected an object with string 'articleBody' and 'url'"),
        (b'{"a": "\xff"}', "not UTF-8 text (invalid start byte at byte 7)"),
        ('{"a": {"articleBody": "x"}}', "cannot read the page: No such file or directory"),
    ],
    ids=["bad-json", "not-object", "record-not-object", "body-not-string", "not-utf8", "page-missing"],
)
def test_evaluate_malformed_zyte(tmp_path: Path, text: str | bytes, detail: str) -> None:
    truth = tmp_path / "ground-truth.json"
    truth.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(UsageError) as err:
        evaluate_extraction(tmp_path, _strip_tags)
    assert err.value.code == "PL208"
    where = tmp_path / "html" / "a.html.gz" if detail.startswith("cannot read the page") else truth
    assert err.value.message == f"malformed evaluation data in {where}: {detail}"


def test_evaluate_zyte_corrupt_page(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth.json").write_text('{"a": {"articleBody": "x"}}', encoding="utf-8")
    (tmp_path / "html" / "a.html.gz").write_bytes(gzip.compress(b"<p>one two</p>")[:-6])
    with pytest.raises(UsageError) as err:
        evaluate_extraction(tmp_path, _strip_tags)
    assert err.value.code == "PL208" and "cannot read the page: Compressed file ended" in err.value.message


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        ("{not json}", "Expecting property name enclosed in double quotes at line 2, column 2"),
        ('["html/a.html"]', "line 2: expected an object"),
        ('{"html_file": "html/a.html", "with": "snippet", "without": []}', "line 2: expected an object"),
        ('{"with": [], "without": []}', "line 2: expected an object"),
        ('{"html_file": "html/a.html", "with": [1], "without": []}', "line 2: expected an object"),
    ],
    ids=["bad-json", "not-object", "with-not-list", "no-html-file", "snippet-not-string"],
)
def test_evaluate_malformed_trafilatura(tmp_path: Path, line: str, detail: str) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "a.html").write_text("<p>Rain is expected.</p>", encoding="utf-8")
    good = '{"html_file": "html/a.html", "url": "x", "with": ["Rain"], "without": []}'
    (tmp_path / "gold.jsonl").write_text(f"{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        evaluate_extraction(tmp_path, _strip_tags)
    assert err.value.code == "PL208"
    assert err.value.message.startswith(f"malformed evaluation data in {tmp_path / 'gold.jsonl'}: {detail}")


NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>Harbour bridge reopens after repairs | The Coastal Tribune</title>
<meta property="og:title" content="Harbour bridge reopens after repairs">
<meta property="og:site_name" content="The Coastal Tribune">
<meta name="author" content="Jane Miller">
<meta property="article:published_time" content="2024-03-05T08:30:00Z">
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
 <button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>Harbour bridge reopens after repairs</h1>
<p class="byline">By Jane Miller, 5 March 2024</p>
<p>The harbour bridge reopened to traffic on Tuesday morning after eight months of repairs
 that replaced the corroded steel cables holding up its central span.</p>
<p>City engineers said the work cost 42 million euros, slightly less than planned, and that the
 bridge should now stay open for at least another forty years without major closures.</p>
<p>"We are relieved that commuters can finally use the direct route again," the mayor told
 reporters at the opening ceremony, which drew several hundred residents despite the rain.</p>
<p>Buses that had been diverted through the industrial district will return to their usual
 routes from Monday, the transport authority said in a statement.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Ten recipes for spring</a></li>
<li><a href="/b">Local team wins the cup</a></li></ul></aside>
<footer><p>© 2024 The Coastal Tribune. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a></p></footer>
</body></html>"""


def test_extract_html_news_page() -> None:
    result = extract_html(NEWS_PAGE, "https://tribune.example/harbour-bridge")
    assert "eight months of repairs" in result.text
    assert "without major closures" in result.text
    assert "return to their usual routes" in " ".join(result.text.split())
    assert "\n\n" in result.text
    for boilerplate in ("cookies", "Politics", "Most read", "Ten recipes", "All rights reserved", "Privacy policy"):
        assert boilerplate not in result.text
    assert result.title == "Harbour bridge reopens after repairs"
    assert not result.text.startswith("Harbour bridge reopens")
    assert result.published is not None and result.published.startswith("2024-03-05")
    assert result.url == "https://tribune.example/harbour-bridge"


@pytest.mark.parametrize("junk", ["", "   ", "<<<>>>", "<html></html>", "\x00\x01binary", "<div><p></div></span>"])
def test_extract_html_never_raises(junk: str) -> None:
    assert extract_html(junk).text == ""


@pytest.mark.slow
def test_zyte_dev_regression() -> None:
    result = evaluate_extraction(shared_eval("extraction/dev/zyte"))
    assert result["documents"] == 88
    assert result["f1"] >= 0.965  # measured 0.971 with trafilatura 2.3.1
