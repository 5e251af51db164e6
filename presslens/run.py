"""One ingest run: read, analyze and store articles as a recorded, resumable run (CLI, web and Ray call this)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import spacy
from spacy.util import minibatch

from presslens._version import __version__
from presslens.ingest.raw import Quarantined
from presslens.pipeline import Outcome, Pipeline, Skipped
from presslens.record.models import ArticleRecord
from presslens.settings import Settings, load_settings
from presslens.store import Store


@dataclass(frozen=True)
class RunSummary:
    """What one ingest run did.

    ``counts`` holds ``stored`` (records written, non-English ones kept unanalyzed included),
    ``unchanged`` (stored earlier with the same fingerprint, or repeated in this run),
    ``quarantined`` (quarantine rows written, ``PL108`` not-English ones included) and
    ``not_english``; ``codes`` counts the quarantine rows by code. ``status`` is ``failed`` when
    no article could be stored or was already stored (nothing found, or every input quarantined).
    """

    run_id: str
    db: Path
    status: Literal["completed", "failed"]
    counts: Mapping[str, int]
    codes: Mapping[str, int]
    seconds: float
    tables: Mapping[str, int]


def ingest(
    paths: Iterable[str],
    db: str | Path | None = None,
    *,
    settings: Settings | None = None,
    workers: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    pipeline: Pipeline | None = None,
) -> RunSummary:
    """Analyze the articles in ``paths`` and store them; a re-run skips what is stored already.

    Runs left ``running`` by a killed process are marked ``interrupted`` first. Records and
    quarantine entries are committed in batches of ``store.batch_size``, so a killed run loses at
    most one batch and the next run resumes after what was committed. One article failing at any
    stage is quarantined with the stage's code and the run goes on.

    Args:
        paths: files, directories, or ``-`` for stdin.
        db: the DuckDB file (default: ``store.db`` of the configuration).
        settings: the configuration (default: the packaged one).
        workers: spaCy worker processes (default: ``nlp.n_process``).
        on_outcome: called with every outcome as it is produced (progress display), and with
            the PL304 entry of a record that could not be stored.
        pipeline: a loaded pipeline to reuse (a server's, a test's); ``settings`` is then its own.

    Raises:
        UsageError: PL201 for a missing path, PL205 for a bad model or component configuration,
            PL209 when the database cannot be opened.
    """
    paths = list(paths)
    pipeline = pipeline or Pipeline(settings or load_settings())
    settings = pipeline.settings
    items = pipeline.read(paths)
    model_version = pipeline.nlp.meta["version"]  # loads the model (PL205) before the database is touched
    fingerprint = pipeline.fingerprint
    store = Store(db or settings.store.db, batch_size=settings.store.batch_size)
    started = time.perf_counter()
    try:
        store.mark_interrupted()
        run_id = store.start_run(
            " ".join(["ingest", *paths]),
            model=settings.nlp.model,
            config_hash=fingerprint,
            version=__version__,
            spacy_version=spacy.__version__,
            model_version=model_version,
        )
        counts: Counter[str] = Counter(stored=0, unchanged=0, quarantined=0, not_english=0)
        codes: Counter[str] = Counter()
        try:
            outcomes = _announced(pipeline.analyze(items, skip=lambda i: store.has_article(i, fingerprint), n_process=workers), on_outcome)
            _store(outcomes, store, run_id, fingerprint, counts, codes, on_outcome)
        except KeyboardInterrupt:
            store.finish_run(run_id, "interrupted", counts, time.perf_counter() - started)
            raise
        except BaseException:
            store.finish_run(run_id, "failed", counts, time.perf_counter() - started)
            raise
        status: Literal["completed", "failed"] = "completed" if counts["stored"] + counts["unchanged"] else "failed"
        seconds = time.perf_counter() - started
        store.finish_run(run_id, status, counts, seconds)
        return RunSummary(run_id, store.path, status, dict(counts), dict(codes), seconds, store.counts())
    finally:
        store.close()


def _announced(outcomes: Iterator[Outcome], on_outcome: Callable[[Outcome], None] | None) -> Iterator[Outcome]:
    """The outcomes, each passed to ``on_outcome`` first."""
    for outcome in outcomes:
        if on_outcome is not None:
            on_outcome(outcome)
        yield outcome


def _store(
    outcomes: Iterator[Outcome],
    store: Store,
    run_id: str,
    fingerprint: str,
    counts: Counter[str],
    codes: Counter[str],
    on_outcome: Callable[[Outcome], None] | None,
) -> None:
    """Write records and quarantine entries batch by batch, counting what each batch stored."""

    def unstorable(entry: Quarantined) -> None:
        """Count and announce a record the store quarantined (PL304)."""
        codes[entry.code] += 1
        counts["quarantined"] += 1
        if on_outcome is not None:
            on_outcome(entry)

    for batch in minibatch(outcomes, store.batch_size):
        records = [o for o in batch if isinstance(o, ArticleRecord)]
        rejected = [o for o in batch if isinstance(o, Quarantined)]
        counts["stored"] += store.upsert(records, run_id, fingerprint, on_failure=unstorable)
        counts["quarantined"] += store.quarantine(rejected, run_id)
        counts["unchanged"] += sum(isinstance(o, Skipped) for o in batch)
        codes.update(entry.code for entry in rejected)
        counts["not_english"] += sum(entry.code == "PL108" for entry in rejected)
