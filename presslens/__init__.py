"""presslens: news articles in, evidence-linked actors, events, quotes and framing out."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from presslens._lazy import lazy_attributes
from presslens._version import __version__
from presslens.errors import BadInputError, PresslensError, UsageError
from presslens.ingest.raw import Quarantined
from presslens.record.models import ArticleRecord
from presslens.settings import Settings, load_settings

if TYPE_CHECKING:
    from presslens.nlp.build import load_nlp
    from presslens.pipeline import Pipeline
    from presslens.run import RunSummary, ingest
    from presslens.store import Store

__all__ = [
    "ArticleRecord",
    "BadInputError",
    "Pipeline",
    "PresslensError",
    "Quarantined",
    "RunSummary",
    "Settings",
    "Store",
    "UsageError",
    "__version__",
    "analyze",
    "ingest",
    "load_nlp",
    "load_settings",
]

# Names whose modules import spaCy or DuckDB, resolved on first use so `presslens --help` starts fast.
_LAZY = {
    "Pipeline": "presslens.pipeline",
    "RunSummary": "presslens.run",
    "Store": "presslens.store",
    "ingest": "presslens.run",
    "load_nlp": "presslens.nlp.build",
}
# `presslens.ingest` names the ingest function: the reader subpackage (imported above, so kept in
# sys.modules and importable) must not shadow it as an attribute.
del globals()["ingest"]

logging.getLogger(__name__).addHandler(logging.NullHandler())

__getattr__ = lazy_attributes(__name__, _LAZY)


def __dir__() -> list[str]:
    """The public names, the lazy ones included."""
    return sorted({*globals(), *__all__})


@lru_cache(maxsize=1)
def _default_pipeline() -> Pipeline:
    """One shared pipeline for ``analyze``, so the model is loaded once per process."""
    from presslens.pipeline import Pipeline

    return Pipeline()


def analyze(text_or_html: str, **meta: str) -> ArticleRecord:
    """Analyze one article given as plain text or HTML; ``meta`` may set url, title, outlet, published.

    Raises:
        BadInputError: when the input cannot be analyzed; the message names the reason.
    """
    return _default_pipeline().analyze_one(text_or_html, **meta)
