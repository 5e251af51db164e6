"""Pipeline: raw inputs in, ArticleRecords (and quarantine entries) out; every edge calls this.

One failing article never stops a batch: an exception while reading, cleaning, analyzing (in
any spaCy component) or converting it quarantines that article with a code naming the stage
(PL300 to PL303) and the batch goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_package_version

from presslens._version import __version__
from presslens.clean import Article, clean
from presslens.errors import BadInputError, PresslensError, describe
from presslens.ingest.raw import Kind, Quarantined, RawDoc
from presslens.ingest.readers import check_paths, quarantine, read_sources
from presslens.ingest.sniff import sniff_format
from presslens.nlp.build import load_nlp
from presslens.record.convert import from_article
from presslens.record.models import ArticleRecord
from presslens.settings import Settings, load_settings

logger = logging.getLogger(__name__)

# doc.user_data key of a component failure: {"component": name, "error": "Kind: message"} (msgpack-safe).
FAILURE = "presslens_failure"


@dataclass(frozen=True)
class Skipped:
    """An article not analyzed again: stored earlier with the same fingerprint, or a duplicate in this run."""

    id: str
    source: str


Outcome = ArticleRecord | Quarantined | Skipped
# What an input becomes before NLP: an Article to analyze, or the outcomes it ends in without NLP.
Prepared = Article | tuple[Outcome, ...]


def record_failure(name: str | None, proc: object, docs: list[Doc] | None, error: Exception) -> None:
    """spaCy error handler: note the first failure on each Doc of the failing batch instead of raising.

    A presslens component calls it and passes its Doc on; spaCy's own components call it and drop
    the batch (a worker process too), which ``Pipeline.analyze`` notices and re-runs article by article.
    """
    for doc in docs or ():
        doc.user_data.setdefault(FAILURE, {"component": name or "spacy", "error": describe(error)})


@contextmanager
def recording_failures(nlp: Language) -> Iterator[None]:
    """Make ``record_failure`` the error handler of ``nlp`` and its components meanwhile, then restore theirs.

    Only for ``Pipeline.analyze``: elsewhere (``nlp.evaluate``, a test calling ``nlp``) a failure
    still raises. The parser and NER are extension types without an instance dict, which refuse a
    handler (``Language.set_error_handler`` raises on them); they keep raising, and
    ``Pipeline.analyze`` recovers from that too.
    """
    default = nlp.default_error_handler
    saved = [(component, component.get_error_handler()) for _, component in nlp.pipeline if hasattr(component, "get_error_handler")]
    nlp.default_error_handler = record_failure
    taken = [component for component, _ in saved if _set_handler(component, record_failure)]
    try:
        yield
    finally:
        nlp.default_error_handler = default
        for component, handler in saved:
            if component in taken:
                _set_handler(component, handler)


def _set_handler(component: Any, handler: Callable[..., None]) -> bool:
    """Give one component an error handler; False when it cannot take one."""
    try:
        component.set_error_handler(handler)
    except AttributeError:
        return False
    return True


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
        """sha256 of everything that shapes a record: presslens version, config, data files, model (not loaded)."""
        digest = hashlib.sha256(f"{__version__}\n{self.settings.text}\n".encode())
        data = Path(str(resources.files("presslens") / "data"))
        for item in sorted(p for p in data.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(item.relative_to(data).as_posix().encode() + b"\n" + item.read_bytes())
        digest.update(self._model_id().encode())
        return digest.hexdigest()

    def _model_id(self) -> str:
        """``name==version`` of the configured model: its installed package's, read without loading it."""
        model = self.settings.nlp.model
        version = get_package_version(model)
        if version is None:  # a model folder, not a package
            model, version = self.nlp.meta["name"], self.nlp.meta["version"]
        return f"{model}=={version}"

    def read(self, paths: Iterable[str]) -> Iterator[RawDoc | Quarantined]:
        """Stream the records of files, directories or ``-`` (stdin); missing paths fail first (PL201).

        A reader that breaks on a path ends that path with a PL300 quarantine entry; the others are read.
        """
        paths = list(paths)
        check_paths(paths)
        return chain.from_iterable(self._read_path(path) for path in paths)

    def analyze(
        self,
        items: Iterable[RawDoc | Quarantined],
        skip: Callable[[str], bool] | None = None,
        n_process: int | None = None,
    ) -> Iterator[Outcome]:
        """Analyze a stream of RawDocs, yielding outcomes in input order.

        Every input yields a record, a quarantine entry, or a skip (a non-English article yields
        its unanalyzed record and a quarantine entry). Articles seen earlier in the same stream
        are skipped, so a batch holding one text twice stores it once. An article whose cleaning,
        analysis or conversion fails is quarantined (PL301, PL302 naming the component, PL303).

        Args:
            items: RawDocs (quarantine entries from reading pass straight through).
            skip: called with each article id; True skips it (used to resume runs).
            n_process: worker processes for spaCy (default from the configuration).
        """
        seen: set[str] = set()
        waiting: dict[int, Prepared] = {}  # by sequence number, until spaCy gives its Doc back
        unreadable: list[Exception] = []  # what ``items`` raised, which ends the stream

        def docs_in() -> Iterator[tuple[Doc, int]]:
            # Outcomes that need no NLP ride through spaCy as empty Docs (a fresh one each time:
            # spaCy keeps the context on the Doc object), which keeps input order and bounded memory
            # with any number of worker processes; the context is the sequence number.
            try:
                for number, item in enumerate(items):
                    prepared = self._prepare(item, skip, seen)
                    prepared, doc = self._tokenize(prepared) if isinstance(prepared, Article) else (prepared, Doc(self.nlp.vocab))
                    waiting[number] = prepared
                    yield doc, number
            except Exception as error:
                unreadable.append(error)
                raise

        with recording_failures(self.nlp):
            yield from self._through_spacy(docs_in(), waiting, unreadable, n_process or self.settings.nlp.n_process)

    def _through_spacy(
        self, docs: Iterator[tuple[Doc, int]], waiting: dict[int, Prepared], unreadable: list[Exception], n_process: int
    ) -> Iterator[Outcome]:
        """Run the numbered Docs through spaCy, re-running alone every article whose Doc did not come back."""
        restart = True
        while restart:
            restart = False
            try:
                for doc, number in self.nlp.pipe(docs, as_tuples=True, batch_size=self.settings.nlp.batch_size, n_process=n_process):
                    while (oldest := next(iter(waiting))) < number:  # a component dropped their batch
                        yield from self._alone(waiting.pop(oldest))
                    yield from self._finish(waiting.pop(number), doc)
            except Exception:
                if unreadable or not waiting:  # the input itself failed, or spaCy fails with no article in flight
                    raise
                # a component that ignores the error handler (the parser, NER) raised out of nlp.pipe
                logger.debug("spaCy raised; re-running the articles in flight one by one", exc_info=True)
                restart = True
            for dropped in list(waiting):  # in flight when spaCy stopped, or dropped from the last batch
                yield from self._alone(waiting.pop(dropped))

    def analyze_one(self, content: str, source: str = "<string>", **meta: str) -> ArticleRecord:
        """Analyze one text or HTML string (the format is sniffed) through the batch path.

        A non-English article gives its unanalyzed record, as in a batch.

        Raises:
            BadInputError: with the quarantine code and reason when the input is quarantined
                (empty, no article, too long, a failing component, ...).
        """
        kind: Kind = "html" if sniff_format(content[:4096].encode("utf-8", "replace")) == "html" else "text"
        outcomes = list(self.analyze([RawDoc(source=source, kind=kind, content=content, meta=meta)], n_process=1))
        record = next((o for o in outcomes if isinstance(o, ArticleRecord)), None)
        if record is not None:
            return record
        rejected = next(o for o in outcomes if isinstance(o, Quarantined))
        raise BadInputError.from_reason(rejected.code, rejected.reason)

    def _read_path(self, path: str) -> Iterator[RawDoc | Quarantined]:
        """The records of one path; a reader's unexpected exception becomes a PL300 entry for the path."""
        try:
            yield from read_sources([path], self.settings.ingest)
        except PresslensError:
            raise
        except Exception as error:  # noqa: BLE001  (quarantined with the reason; the other paths are read)
            logger.warning("reading %s failed", path, exc_info=True)
            yield quarantine(path, BadInputError("PL300", error=describe(error)))

    def _prepare(self, item: RawDoc | Quarantined, skip: Callable[[str], bool] | None, seen: set[str]) -> Prepared:
        """Clean one input: the Article to analyze, or the outcomes it ends in without NLP."""
        if isinstance(item, Quarantined):
            return (item,)
        try:
            article = clean(item, self.settings.clean)
        except BadInputError as error:
            return (quarantine(item.source, error, item.content),)
        except Exception as error:  # noqa: BLE001  (a cleaning bug costs this article, not the batch)
            logger.warning("cleaning %s failed", item.source, exc_info=True)
            return (quarantine(item.source, BadInputError("PL301", error=describe(error)), item.content),)
        if article.id in seen or (skip is not None and skip(article.id)):
            return (Skipped(article.id, article.source),)
        seen.add(article.id)
        if not article.analyzable:
            return (*self._convert(article, None), quarantine(article.source, BadInputError("PL108", lang=article.lang), article.text))
        return article

    def _tokenize(self, article: Article) -> tuple[Prepared, Doc]:
        """The article's Doc, with its publication date for date-aware components; a tokenizer failure quarantines it."""
        try:
            doc = self.nlp.make_doc(article.text)
        except Exception as error:  # noqa: BLE001
            return (self._failed(article, "PL302", component="tokenizer", error=describe(error)),), Doc(self.nlp.vocab)
        doc.user_data["published"] = article.published
        return article, doc

    def _finish(self, prepared: Prepared, doc: Doc) -> tuple[Outcome, ...]:
        """The outcomes of one input once spaCy is done with its Doc."""
        if not isinstance(prepared, Article):
            return prepared
        failure = doc.user_data.get(FAILURE)
        if failure is not None:
            return (self._failed(prepared, "PL302", **failure),)
        return self._convert(prepared, doc)

    def _alone(self, prepared: Prepared) -> tuple[Outcome, ...]:
        """Analyze one input again by itself, component by component, naming the one that fails."""
        if not isinstance(prepared, Article):
            return prepared
        prepared, doc = self._tokenize(prepared)
        if not isinstance(prepared, Article):
            return prepared
        for name, component in self.nlp.pipeline:
            try:
                doc = component(doc)
            except Exception as error:  # noqa: BLE001
                return (self._failed(prepared, "PL302", component=name, error=describe(error)),)
            if FAILURE in doc.user_data:  # a presslens component noted its failure and passed the Doc on
                break
        return self._finish(prepared, doc)

    def _convert(self, article: Article, doc: Doc | None) -> tuple[Outcome, ...]:
        """The record of an article; a conversion failure quarantines it (PL303)."""
        try:
            return (from_article(article, doc),)
        except Exception as error:  # noqa: BLE001
            logger.warning("converting %s failed", article.source, exc_info=True)
            return (self._failed(article, "PL303", error=describe(error)),)

    def _failed(self, article: Article, code: str, **details: Any) -> Quarantined:
        """The quarantine entry of an article that failed at one stage."""
        return quarantine(article.source, BadInputError(code, **details), article.text)
