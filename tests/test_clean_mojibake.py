from __future__ import annotations

import ftfy
import pytest

from presslens.clean.mojibake import _FTFY, _fix_text, repair_mojibake

CODEPAGES = ("cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874")


def _misread(text: str, codepage: str) -> str:
    """Simulate a sloppy decoder: undefined bytes come through as Windows-1252 characters."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(codepage))
        except UnicodeDecodeError:
            out.append(bytes([byte]).decode("cp1252", errors="ignore") or chr(byte))
    return "".join(out)


@pytest.mark.parametrize("codepage", CODEPAGES)
@pytest.mark.parametrize("mark", ["\u201c", "\u201d", "\u2019", "\u2014", "\u2026"])
def test_mojibake_repairs_punctuation_misread_through_any_windows_codepage(codepage: str, mark: str) -> None:
    damaged = f"He said {_misread(mark, codepage)}enough{_misread(mark, codepage)} today."
    assert repair_mojibake(damaged, CODEPAGES) == f"He said {mark}enough{mark} today."


def test_mojibake_repairs_the_seed_greek_misreading() -> None:
    assert repair_mojibake("\u03b2\u20ac\u0153The American plan", CODEPAGES) == "\u201cThe American plan"


def test_mojibake_repairs_latin1_text_via_ftfy() -> None:
    assert repair_mojibake("The caf\u00c3\u00a9 didn\u00e2\u20ac\u2122t open", CODEPAGES) == "The caf\u00e9 didn\u2019t open"


@pytest.mark.parametrize(
    "text",
    [
        "Plain \u201ccurly\u201d quotes \u2014 and dashes stay.",
        "\u0391\u03b8\u03ae\u03bd\u03b1 \u03b2 \u20ac 5",  # Greek text with a euro sign
        "\u041c\u043e\u0441\u043a\u0432\u0430 \u2014 \u0441\u0442\u043e\u043b\u0438\u0446\u0430",  # Russian
    ],
)
def test_mojibake_leaves_clean_text_unchanged(text: str) -> None:
    assert repair_mojibake(text, CODEPAGES) == text


@pytest.mark.parametrize("codepage", ["cp1252", "cp1253", "cp1255", "cp1257", "cp874"])
def test_mojibake_repairs_lossy_closing_quote(codepage: str) -> None:
    damaged = "\u201d".encode("utf-8").decode(codepage, errors="replace")
    assert repair_mojibake(f"\u201cEnough{damaged} she said.", CODEPAGES) == "\u201cEnough\u201d she said."


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII news.\nSecond line.\n",
        "AT&amp;T said &lt;no&gt; comment.\nCaf\u00c3\u00a9 reopened.\n",
        "<p> appears first\nthen &amp; stays escaped after it\n",
        "Windows\r\nline ends\rand \x1b[31mcolour\x1b[0m \x01 codes\n",
        "Mixed \u00e2\u20ac\u2122 line\nascii line\n\ufb01nal \uff2c\n",
    ],
)
def test_mojibake_skipping_inert_lines_matches_ftfy_on_every_line(text: str) -> None:
    assert _fix_text(text) == ftfy.fix_text(text, _FTFY)
