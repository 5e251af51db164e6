"""Identify the language of an article with py3langid (model shipped in the package)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from presslens.settings import CleanSettings

_ASCII_LETTERS = re.compile("[A-Za-z]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_MIN_LATIN_SHARE = 0.5  # a text with fewer Latin letters than this share is not in a configured language


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """Load the langid model once, with normalised probabilities."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, settings: CleanSettings) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when it cannot be told.

    A short text is judged by its script alone (mostly non-Latin letters: "und", undetermined);
    a longer one by py3langid. A text whose letters are mostly non-Latin is never in one of the
    configured languages (Latin-script ones: the pipeline is English), whatever py3langid's
    confidence: it gets the best-ranked other language (an Arabic article that py3langid calls
    ``ar`` at 0.87). Otherwise a verdict against the configured languages must reach
    ``lang_min_confidence`` (a sports headline full of German names is still English).
    """
    sample = text[: settings.lang_sample_chars]
    latin = _latin_share(sample) >= _MIN_LATIN_SHARE
    if len(sample.strip()) < settings.lang_min_chars:
        return None if latin else "und"
    ranked = _identifier().rank(sample)
    if not latin:
        return next((str(code) for code, _ in ranked if code not in settings.languages), "und")
    lang, prob = ranked[0]
    if lang not in settings.languages and prob < settings.lang_min_confidence:
        return next(str(code) for code, _ in ranked if code in settings.languages)
    return str(lang)


def _latin_share(text: str) -> float:
    """Share of letters in ``text`` that are Latin script (1.0 when it has no letters)."""
    if text.isascii():
        return 1.0
    ascii_letters = len(_ASCII_LETTERS.findall(text))
    others = [ch for ch in _NON_ASCII.findall(text) if ch.isalpha()]
    if not ascii_letters + len(others):
        return 1.0
    return (ascii_letters + sum(map(_is_latin, others))) / (ascii_letters + len(others))


@lru_cache(maxsize=4096)
def _is_latin(letter: str) -> bool:
    """Whether the non-ASCII ``letter`` is a Latin-script letter."""
    return "LATIN" in unicodedata.name(letter, "")
