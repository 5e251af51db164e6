"""Pipeline: raw inputs in, ArticleRecords (and quarantine entries) out; every edge calls this."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from spacy.language import Language

from presslens.clean import Article, clean
from presslens.errors import BadInputError
from presslens.ingest.raw import RawDoc
from presslens.ingest.readers import quarantine, read_sources
from presslens.ingest.sniff import sniff_format
from presslens.nlp import load_nlp
from presslens.record.convert import from_article
from presslens.record.models import ArticleRecord, Quarantined
from presslens.settings import Settings, load_settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Skipped:
    """An article already stored by a run with the same configuration (a resumed run skips it)."""

    id: str
    source: str


Outcome = ArticleRecord | Quarantined | Skipped


class Pipeline:
    """Clean, analyze and convert articles; the spaCy model is loaded on first use."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()

    @cached_property
    def nlp(self) -> Language:
        """The spaCy pipeline built from the configuration."""
        return load_nlp(self.settings)

    def read(self, paths: Iterable[str]) -> Iterator[RawDoc | Quarantined]:
        """Stream the records of files, directories or ``-`` (stdin)."""
        return read_sources(paths, self.settings.ingest)

    def analyze(
        self,
        items: Iterable[RawDoc | Quarantined],
        skip: Callable[[str], bool] | None = None,
        n_process: int | None = None,
    ) -> Iterator[Outcome]:
        """Analyze a stream of RawDocs, yielding a record, quarantine entry or skip for each.

        Args:
            items: RawDocs (quarantine entries from reading pass straight through).
            skip: called with each article id; True skips the NLP (used to resume runs).
            n_process: worker processes for spaCy (default from the configuration).
        """
        pending: deque[Outcome] = deque()

        def analyzable() -> Iterator[tuple[str, Article]]:
            for item in items:
                if isinstance(item, Quarantined):
                    pending.append(item)
                    continue
                try:
                    article = clean(item, self.settings.clean)
                except BadInputError as err:
                    pending.append(quarantine(item.source, err, item.content))
                    continue
                if skip is not None and skip(article.id):
                    pending.append(Skipped(article.id, article.source))
                elif not article.analyzable:
                    pending.append(from_article(article))
                    pending.append(Quarantined(
                        source=article.source, code="PL108", reason=article.warnings[-1], excerpt=article.text[:200]
                    ))
                else:
                    yield article.text, article

        docs = self.nlp.pipe(
            analyzable(),
            as_tuples=True,
            batch_size=self.settings.nlp.batch_size,
            n_process=n_process or self.settings.nlp.n_process,
        )
        for doc, article in docs:
            while pending:
                yield pending.popleft()
            yield from_article(article, doc)
        while pending:
            yield pending.popleft()

    def analyze_one(self, content: str, source: str = "<string>", **meta: str) -> ArticleRecord:
        """Analyze one text or HTML string (the format is sniffed).

        Raises:
            BadInputError: when the input cannot be analyzed (empty, no article, ...).
        """
        kind = "html" if sniff_format(content[:4096].encode("utf-8", "replace")) == "html" else "text"
        article = clean(RawDoc(source=source, kind=kind, content=content, meta=meta), self.settings.clean)
        if not article.analyzable:
            return from_article(article)
        return from_article(article, self.nlp(article.text))

