"""Identify the language of an article with py3langid (model shipped in the package)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from presslens.settings import CleanSettings


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """Load the langid model once, with normalised probabilities."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, settings: CleanSettings) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when it cannot be told.

    A short text is judged by its script alone (mostly non-Latin letters: "und", undetermined);
    a longer one by py3langid, whose verdict against the configured languages must reach
    ``lang_min_confidence`` (a sports headline full of German names is still English).
    """
    sample = text[: settings.lang_sample_chars]
    if len(sample.strip()) < settings.lang_min_chars:
        return "und" if _latin_share(sample) < 0.5 else None
    ranked = _identifier().rank(sample)
    lang, prob = ranked[0]
    if lang not in settings.languages and prob < settings.lang_min_confidence:
        return next(code for code, _ in ranked if code in settings.languages)
    return str(lang)


def _latin_share(text: str) -> float:
    """Share of letters in ``text`` that are Latin script (1.0 when it has no letters)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    return sum("LATIN" in unicodedata.name(ch, "") for ch in letters) / len(letters)
