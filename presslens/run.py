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


# Called after each committed batch with the records it stored, the entries it quarantined and the repeats it skipped.
OnBatch = Callable[[list[ArticleRecord], list[Quarantined], int], None]


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
    most one batch and the next run resumes after what was committed; the file is held only while a
    batch is written, so a server or a query reads it meanwhile. One article failing at any
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
            PL209 when the database cannot be opened (or others held it past ``store.lock_timeout_s``).
    """
    paths = list(paths)
    pipeline = pipeline or Pipeline(settings or load_settings())
    settings = pipeline.settings
    items = pipeline.read(paths)
    pipeline.nlp  # loads the model (PL205) before the database is touched
    store = Store(db or settings.store.db, batch_size=settings.store.batch_size, lock_timeout_s=settings.store.lock_timeout_s)
    store.mark_interrupted()
    stored = store.stored_ids(pipeline.fingerprint)  # read once: the file is not held between batches
    outcomes = _announced(pipeline.analyze(items, skip=stored.__contains__, n_process=workers), on_outcome)
    return store_run(outcomes, store, pipeline, " ".join(["ingest", *paths]), on_outcome=on_outcome)


def store_run(
    outcomes: Iterable[Outcome],
    store: Store,
    pipeline: Pipeline,
    command: str,
    *,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_batch: OnBatch | None = None,
) -> RunSummary:
    """Store analyzed outcomes batch by batch as one recorded run (``ingest`` and the web server's analyses).

    ``on_outcome`` gets the PL304 entry of a record the store could not write; ``on_batch`` is
    called after each committed batch with the records it stored, the entries it quarantined and
    the repeats it skipped. The run ends ``interrupted`` or ``failed`` when an exception stops it.
    """
    started = time.perf_counter()
    run_id = store.start_run(
        command,
        model=pipeline.settings.nlp.model,
        config_hash=pipeline.fingerprint,
        version=__version__,
        spacy_version=spacy.__version__,
        model_version=pipeline.nlp.meta["version"],
    )
    counts: Counter[str] = Counter(stored=0, unchanged=0, quarantined=0, not_english=0)
    codes: Counter[str] = Counter()
    try:
        _store(outcomes, store, run_id, pipeline.fingerprint, counts, codes, on_outcome, on_batch)
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


def _announced(outcomes: Iterator[Outcome], on_outcome: Callable[[Outcome], None] | None) -> Iterator[Outcome]:
    """The outcomes, each passed to ``on_outcome`` first."""
    for outcome in outcomes:
        if on_outcome is not None:
            on_outcome(outcome)
        yield outcome


def _store(
    outcomes: Iterable[Outcome],
    store: Store,
    run_id: str,
    fingerprint: str,
    counts: Counter[str],
    codes: Counter[str],
    on_outcome: Callable[[Outcome], None] | None,
    on_batch: OnBatch | None,
) -> None:
    """Write records and quarantine entries batch by batch, counting what each batch stored."""
    for batch in minibatch(outcomes, store.batch_size):
        records = [o for o in batch if isinstance(o, ArticleRecord)]
        rejected = [o for o in batch if isinstance(o, Quarantined)]
        failed: list[Quarantined] = []
        counts["stored"] += store.upsert(records, run_id, fingerprint, on_failure=failed.append)
        counts["quarantined"] += store.quarantine(rejected, run_id) + len(failed)
        repeats = sum(isinstance(o, Skipped) for o in batch)
        counts["unchanged"] += repeats
        codes.update(entry.code for entry in rejected + failed)
        counts["not_english"] += sum(entry.code == "PL108" for entry in rejected)
        for entry in failed:
            if on_outcome is not None:
                on_outcome(entry)
        if on_batch is not None:
            unstored = {entry.source for entry in failed}
            on_batch([r for r in records if (r.source or r.id) not in unstored], rejected + failed, repeats)
