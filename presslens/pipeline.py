"""Pipeline: raw inputs in, ArticleRecords (and quarantine entries) out; every edge calls this."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from presslens._version import __version__
from presslens.clean import Article, clean
from presslens.errors import BadInputError
from presslens.ingest.raw import RawDoc
from presslens.ingest.readers import check_paths, quarantine, read_sources
from presslens.ingest.sniff import sniff_format
from presslens.nlp import load_nlp
from presslens.record.convert import from_article
from presslens.record.models import ArticleRecord, Quarantined
from presslens.settings import Settings, load_settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Skipped:
    """An article not analyzed again: stored earlier with the same fingerprint, or a duplicate in this run."""

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

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of everything that shapes a record: presslens version, config, data files, model."""
        digest = hashlib.sha256(f"{__version__}\n{self.settings.text}\n".encode())
        data = Path(str(resources.files("presslens") / "data"))
        for item in sorted(p for p in data.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(item.relative_to(data).as_posix().encode() + b"\n" + item.read_bytes())
        digest.update(f"{self.nlp.meta['name']}=={self.nlp.meta['version']}".encode())
        return digest.hexdigest()

    def read(self, paths: Iterable[str]) -> Iterator[RawDoc | Quarantined]:
        """Stream the records of files, directories or ``-`` (stdin); missing paths fail first (PL201)."""
        paths = list(paths)
        check_paths(paths)
        return read_sources(paths, self.settings.ingest)

    def analyze(
        self,
        items: Iterable[RawDoc | Quarantined],
        skip: Callable[[str], bool] | None = None,
        n_process: int | None = None,
    ) -> Iterator[Outcome]:
        """Analyze a stream of RawDocs, yielding outcomes in input order.

        Every input yields a record, a quarantine entry, or a skip (a non-English article yields
        its unanalyzed record and a quarantine entry). Articles seen earlier in the same stream
        are skipped, so a batch holding one text twice stores it once.

        Args:
            items: RawDocs (quarantine entries from reading pass straight through).
            skip: called with each article id; True skips it (used to resume runs).
            n_process: worker processes for spaCy (default from the configuration).
        """
        seen: set[str] = set()

        def prepared() -> Iterator[tuple[Doc, Article | tuple[Outcome, ...]]]:
            # Outcomes that need no NLP ride through spaCy as empty Docs, which keeps
            # input order and bounded memory with any number of worker processes.
            for item in items:
                outcome = self._prepare(item, skip, seen)
                if isinstance(outcome, Article):
                    yield self._make_doc(outcome), outcome
                else:  # a fresh Doc each time: spaCy keeps the context on the Doc object
                    yield Doc(self.nlp.vocab), outcome

        docs = self.nlp.pipe(
            prepared(),
            as_tuples=True,
            batch_size=self.settings.nlp.batch_size,
            n_process=n_process or self.settings.nlp.n_process,
        )
        for doc, context in docs:
            if isinstance(context, Article):
                yield from_article(context, doc)
            else:
                yield from context

    def analyze_one(self, content: str, source: str = "<string>", **meta: str) -> ArticleRecord:
        """Analyze one text or HTML string (the format is sniffed).

        Raises:
            BadInputError: when the input cannot be analyzed (empty, no article, too long, ...).
        """
        kind = "html" if sniff_format(content[:4096].encode("utf-8", "replace")) == "html" else "text"
        article = clean(RawDoc(source=source, kind=kind, content=content, meta=meta), self.settings.clean)
        if not article.analyzable:
            return from_article(article)
        return from_article(article, self.nlp(self._make_doc(article)))

    def _make_doc(self, article: Article) -> Doc:
        """Tokenize the article text and attach its publication date for date-aware components."""
        doc = self.nlp.make_doc(article.text)
        doc.user_data["published"] = article.published
        return doc

    def _prepare(
        self, item: RawDoc | Quarantined, skip: Callable[[str], bool] | None, seen: set[str]
    ) -> Article | tuple[Outcome, ...]:
        """Clean one input: the Article to analyze, or the outcomes it ends in without NLP."""
        if isinstance(item, Quarantined):
            return (item,)
        try:
            article = clean(item, self.settings.clean)
        except BadInputError as err:
            return (quarantine(item.source, err, item.content),)
        if article.id in seen or (skip is not None and skip(article.id)):
            return (Skipped(article.id, article.source),)
        seen.add(article.id)
        if not article.analyzable:
            reason = BadInputError("PL108", lang=article.lang)
            return from_article(article), quarantine(article.source, reason, article.text)
        return article
