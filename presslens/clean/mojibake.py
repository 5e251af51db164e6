"""Repair mojibake: ftfy, plus UTF-8 punctuation misread through any single-byte Windows code page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import ftfy
from ftfy.badness import is_bad

# ftfy's defaults, except that curly quotes stay curly: they are evidence for quote detection.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)
# Lines of only these characters are ones that every ftfy fixer but the mojibake one leaves as they
# are: ASCII without "&" (an HTML entity), control characters (escape sequences) or carriage returns
# (line breaks), plus Latin-1 letters and typographic quotes, dashes and ellipsis (all in NFC).
_PLAIN = re.compile("[\t\n\x20-\x25\x27-\x7e\xa0\xc0-\xd6\xd8-\xf6\xf8-\xff\u2013\u2014\u2018\u2019\u201a\u201c-\u201e\u2026]*")
# General Punctuation (dashes, quotes, ellipsis, primes, guillemets) and the euro sign:
# all are three UTF-8 bytes starting E2, which single-byte code pages turn into distinctive triples.
# The most frequent marks come first: when two marks share a damaged form, the common one wins.
_COMMON = "\u201d\u201c\u2019\u2018\u2014\u2013\u2026"
_PUNCTUATION = list(_COMMON) + [chr(cp) for cp in range(0x2010, 0x203B) if chr(cp) not in _COMMON] + ["\u20ac"]
# Decoders differ in what they put for bytes a code page leaves undefined: the Windows-1252
# character (browsers, many CMSs), the Latin-1 control character (strict "sloppy" codecs), or
# the replacement character U+FFFD (lossy: the byte is gone, "â€\ufffd" for a closing quote).
_FALLBACKS = ("cp1252", "latin-1", "replace")


def repair_mojibake(text: str, codepages: tuple[str, ...]) -> str:
    """Return ``text`` with encoding damage repaired: the code-page table, then ftfy.

    The table goes first because ftfy turns a lossy form ("â€\ufffd") into a bare U+FFFD.
    """
    pattern, table = _codepage_table(codepages)
    if pattern.search(text):
        text = pattern.sub(lambda m: table[m.group(0)], text)
    return _fix_text(text)


def _fix_text(text: str) -> str:
    """``ftfy.fix_text(text, _FTFY)``, without running ftfy on the lines it would leave unchanged.

    ftfy fixes each line on its own, and stops unescaping HTML entities for good after the first
    line holding a "<"; this loop does the same, and most lines of news need no fixer.
    """
    if text.isascii() and _PLAIN.fullmatch(text):
        return text
    config, fixed = _FTFY, []
    for line in _segments(text, _FTFY.max_decode_length):
        if config.unescape_html == "auto" and "<" in line:
            config = config._replace(unescape_html=False)
        fixed.append(line if _inert(line) else ftfy.fix_and_explain(line, config).text)
    return "".join(fixed)


def _inert(line: str) -> bool:
    """Whether ftfy leaves ``line`` as it is: plain characters that ftfy's mojibake test passes."""
    return _PLAIN.fullmatch(line) is not None and (line.isascii() or not is_bad(line))


def _segments(text: str, max_length: int) -> Iterator[str]:
    """The pieces ``ftfy.fix_text`` fixes one by one: lines with their line feed, cut at ``max_length``."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        end = min(end, start + max_length)
        yield text[start:end]
        start = end


@lru_cache(maxsize=8)
def _codepage_table(codepages: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """Map each misread form of each punctuation mark to the mark, for every code page."""
    table: dict[str, str] = {}
    for char in _PUNCTUATION:
        for codepage in codepages:
            for fallback in _FALLBACKS:
                table.setdefault(_misread(char.encode("utf-8"), codepage, fallback), char)
    alternatives = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), table


def _misread(data: bytes, codepage: str, fallback: str) -> str:
    """Decode byte by byte as a sloppy decoder does: bytes the code page lacks come from ``fallback``."""
    chars = []
    for byte in data:
        one = bytes([byte])
        try:
            chars.append(one.decode(codepage))
        except UnicodeDecodeError:
            lost = fallback == "replace"
            chars.append("\ufffd" if lost else one.decode(fallback, errors="ignore") or chr(byte))
    return "".join(chars)
