"""The server's analysis side: one pipeline per app, shared by its threads in turns, and the inputs it reads.

The spaCy model loads on the first analysis (seconds), once per app. Server threads (requests
and the batch job) take the pipeline in turns, first come first served and one step at a time,
so a single text waits for one step of a running batch, not for the whole batch.
"""

from __future__ import annotations

import io
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

from fastapi import FastAPI, Request

from presslens.errors import BadInputError, UsageError
from presslens.ingest.decode import decode_bytes
from presslens.ingest.raw import Kind, Quarantined, RawDoc
from presslens.ingest.readers import read_stream
from presslens.ingest.sanitize import replace_surrogates
from presslens.ingest.sniff import sniff_format
from presslens.pipeline import Pipeline
from presslens.record.models import ArticleRecord
from presslens.run import store_run
from presslens.settings import Settings
from presslens.store import Store
from presslens.web.jobs import Job, Jobs

T = TypeVar("T")
PASTED = "<string>"  # the source of a text sent as a string, as `presslens.analyze` names it
SNIFF_BYTES = 4096  # what the readers look at to tell text, HTML and JSON Lines apart
MAX_NAMED = 5  # sources named in a run's command
MAX_WAITING = 8  # analyses queued for the pipeline at most: each holds one of the server's worker threads
_END = object()
_CREATING = threading.Lock()


class Turns:
    """A lock handed out first come, first served (a thread giving it back and asking again queues behind the waiting)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._queue: deque[object] = deque()
        self._busy = False

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the lock meanwhile, after every thread that asked earlier."""
        ticket = object()
        with self._changed:
            self._queue.append(ticket)
            self._changed.wait_for(lambda: not self._busy and self._queue[0] is ticket)
            self._queue.popleft()
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()

    def waiting(self) -> int:
        """How many threads are queued for the lock."""
        with self._changed:
            return len(self._queue)

    def steps(self, items: Iterator[T]) -> Iterator[T]:
        """The items, each one produced inside a turn (a generator is closed inside one too)."""
        try:
            while True:
                with self.turn():
                    item = next(items, _END)
                if item is _END:
                    return
                yield item  # type: ignore[misc]
        finally:
            if isinstance(items, Generator):
                with self.turn():
                    items.close()


class Analysis:
    """Analyze and store what the server is sent: one text now, or a batch as a background job."""

    def __init__(self, db: Path, settings: Settings, pipeline: Pipeline) -> None:
        self.db = db
        self.settings = settings
        self.pipeline = pipeline
        self.turns = Turns()
        self.jobs = Jobs()

    def text(self, content: str, kind: Kind | None, meta: dict[str, str]) -> RawDoc:
        """One text or HTML string as an input, checked like a file's bytes; ``kind`` None sniffs it as ``presslens.analyze`` does.

        Raises:
            BadInputError: PL104 over ``[ingest] max_bytes``, PL101 when empty, PL102 when binary.
        """
        data = replace_surrogates(content).encode("utf-8")
        if len(data) > self.settings.ingest.max_bytes:
            raise BadInputError("PL104", size=len(data), limit=self.settings.ingest.max_bytes)
        text = decode_bytes(data)
        sniffed: Kind = "html" if sniff_format(text[:SNIFF_BYTES].encode("utf-8", "replace")) == "html" else "text"
        return RawDoc(source=PASTED, kind=kind or sniffed, content=text, meta=meta)

    def read(self, source: str, data: bytes) -> Iterator[RawDoc | Quarantined]:
        """The records of an uploaded file's bytes, read as ``presslens ingest`` reads a file (sniffed, size-checked, decoded)."""
        return read_stream(io.BytesIO(data), source, self.settings.ingest)

    def one(self, raw: RawDoc) -> ArticleRecord:
        """The record of one input.

        Raises:
            BadInputError: with its code (PL101 to PL113, PL108 for a text not in English, PL3xx) when it is quarantined.
            UsageError: PL229 when ``MAX_WAITING`` analyses are queued already (the pages keep their threads).
        """
        if self.turns.waiting() >= MAX_WAITING:
            raise UsageError("PL229", waiting=MAX_WAITING)
        with self.turns.turn():
            outcomes = list(self.pipeline.analyze([raw], n_process=1))
        rejected = next((o for o in outcomes if isinstance(o, Quarantined)), None)
        if rejected is not None:
            raise BadInputError.from_reason(rejected.code, rejected.reason)
        return next(o for o in outcomes if isinstance(o, ArticleRecord))

    def store(self, record: ArticleRecord) -> None:
        """Store one record as a run of its own."""
        store_run([record], self._store(), self.pipeline, f"web analyze {record.source}")

    def _store(self) -> Store:
        """The app's store, written batch by batch (the file is free between batches for the pages and an ingest)."""
        return Store(self.db, batch_size=self.settings.store.batch_size, lock_timeout_s=self.settings.store.lock_timeout_s)

    def batch(self, inputs: list[tuple[str, bytes]]) -> Job:
        """Analyze and store uploaded files (``(source, bytes)``) as a background job.

        Raises:
            UsageError: PL227 while another batch is running.
        """
        total = sum(_records(source, data) for source, data in inputs)
        command = _command(source for source, _ in inputs)

        def work(job: Job) -> None:
            items = chain.from_iterable(self.read(source, data) for source, data in inputs)
            outcomes = job.counted(self.turns.steps(self.pipeline.analyze(items, n_process=1)))
            store_run(outcomes, self._store(), self.pipeline, command, on_batch=job.add)

        return self.jobs.start(Job(inputs=len(inputs), total=total), work)


def is_batch(inputs: list[tuple[str, bytes]]) -> bool:
    """Whether inputs are analyzed as a background job: more than one, or JSON Lines (one record a line)."""
    return len(inputs) > 1 or any(sniff_format(data[:SNIFF_BYTES], source) == "jsonl" for source, data in inputs)


def _records(source: str, data: bytes) -> int:
    """How many records an input holds: its non-blank lines for JSON Lines, else one."""
    if sniff_format(data[:SNIFF_BYTES], source) != "jsonl":
        return 1
    return sum(1 for line in data.splitlines() if line.strip())


def _command(sources: Iterable[str]) -> str:
    """The run's command line as the runs table shows it: ``web analyze`` and the first sources."""
    names = list(islice(sources, MAX_NAMED + 1))
    return " ".join(["web analyze", *names[:MAX_NAMED], *(["..."] if len(names) > MAX_NAMED else [])])


def with_meta(raw: RawDoc, meta: dict[str, str]) -> RawDoc:
    """``raw`` with ``meta`` over the metadata its source gave."""
    return replace(raw, meta={**raw.meta, **meta}) if meta else raw


def analysis(request: Request) -> Analysis:
    """The app's analysis (a FastAPI dependency)."""
    return app_analysis(request.app)


def app_analysis(app: FastAPI) -> Analysis:
    """The analysis of ``app``, made on first use around ``app.state.pipeline`` (set it first to reuse a loaded pipeline)."""
    state = app.state
    with _CREATING:
        found: Analysis | None = getattr(state, "analysis", None)
        if found is None:
            pipeline = getattr(state, "pipeline", None) or Pipeline(state.settings)
            state.pipeline = pipeline
            state.analysis = found = Analysis(state.reader.db, state.settings, pipeline)
    return found
