"""Identify the language of an article with py3langid (model shipped in the package)."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """Load the langid model once, with normalised probabilities."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, sample_chars: int, min_chars: int) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when the sample is too short to tell."""
    sample = text[:sample_chars]
    if len(sample.strip()) < min_chars:
        return None
    lang, _prob = _identifier().classify(sample)
    return str(lang)
