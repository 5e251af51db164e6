"""presslens: news articles in, evidence-linked actors, events, quotes and framing out."""

from __future__ import annotations

import logging
from functools import lru_cache

from presslens._version import __version__
from presslens.errors import BadInputError, PresslensError, UsageError
from presslens.nlp import load_nlp
from presslens.pipeline import Pipeline
from presslens.record.models import ArticleRecord, Quarantined
from presslens.settings import Settings, load_settings
from presslens.store import Store

__all__ = [
    "ArticleRecord",
    "BadInputError",
    "Pipeline",
    "PresslensError",
    "Quarantined",
    "Settings",
    "Store",
    "UsageError",
    "__version__",
    "analyze",
    "load_nlp",
    "load_settings",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


@lru_cache(maxsize=1)
def _default_pipeline() -> Pipeline:
    """One shared pipeline for ``analyze``, so the model is loaded once per process."""
    return Pipeline()


def analyze(text_or_html: str, **meta: str) -> ArticleRecord:
    """Analyze one article given as plain text or HTML; ``meta`` may set url, title, outlet, published.

    Raises:
        BadInputError: when the input cannot be analyzed; the message names the reason.
    """
    return _default_pipeline().analyze_one(text_or_html, **meta)
