"""Background jobs of the server: a batch analyzed in its own thread with progress counters; one runs at a time.

At exit, a running job is asked to stop after its current step and waited for: a thread still
inside spaCy or DuckDB when the interpreter ends would abort the process.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import BaseModel

from presslens.errors import PresslensError, UsageError, unexpected
from presslens.ingest.raw import Quarantined
from presslens.pipeline import Outcome
from presslens.record.models import ArticleRecord

logger = logging.getLogger(__name__)

JobState = Literal["running", "done", "failed", "stopped"]
KEEP = 20  # finished jobs remembered (newest), for their pages
STOP_WAIT_S = 60.0  # how long the exit waits for a stopping job's current step


class Stopped(KeyboardInterrupt):
    """A job was asked to stop (the server is exiting): its run is recorded as interrupted."""


class StoredArticle(BaseModel):
    """An article a job stored: its id (the link to its page), title and where it was read from."""

    id: str
    title: str | None
    source: str | None


class CodedError(BaseModel):
    """Why a job stopped: the coded error."""

    code: str
    message: str


class JobStatus(BaseModel):
    """Where a batch job stands: inputs analyzed of the expected total, what it stored and what it quarantined."""

    id: str
    state: JobState
    inputs: int
    total: int
    analyzed: int
    unchanged: int
    stored: list[StoredArticle]
    quarantined: list[Quarantined]
    error: CodedError | None
    seconds: float


class Job:
    """One batch's progress, updated by its thread and read by requests."""

    def __init__(self, inputs: int, total: int) -> None:
        self.id = uuid.uuid4().hex[:16]
        self.inputs = inputs
        self.total = total
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._finished: float | None = None
        self._analyzed = 0
        self._unchanged = 0
        self._stored: list[StoredArticle] = []
        self._quarantined: list[Quarantined] = []
        self._error: CodedError | None = None
        self._stopping = threading.Event()
        self.done = threading.Event()

    def counted(self, outcomes: Iterator[Outcome]) -> Iterator[Outcome]:
        """The outcomes, each input counted as analyzed (the PL108 note beside a non-English record is not another input).

        Raises:
            Stopped: after the outcome at hand once ``stop`` was called.
        """
        for outcome in outcomes:
            if not (isinstance(outcome, Quarantined) and outcome.code == "PL108"):
                with self._lock:
                    self._analyzed += 1
            yield outcome
            if self._stopping.is_set():
                raise Stopped

    def stop(self) -> None:
        """Ask the job to stop after its current step."""
        self._stopping.set()

    def add(self, stored: list[ArticleRecord], quarantined: list[Quarantined], unchanged: int) -> None:
        """Note what one committed batch stored and quarantined, and how many repeats it skipped."""
        with self._lock:
            self._stored += [StoredArticle(id=r.id, title=r.title, source=r.source) for r in stored]
            self._quarantined += quarantined
            self._unchanged += unchanged

    def finish(self, error: PresslensError | None = None) -> None:
        """End the job: done, or failed with ``error``."""
        with self._lock:
            self._finished = time.monotonic()
            self._error = CodedError(code=error.code, message=error.message) if error else None
        self.done.set()

    def _state(self) -> JobState:
        """Running until finished; then failed (with an error), stopped (asked to), or done."""
        if self._finished is None:
            return "running"
        if self._error is not None:
            return "failed"
        return "stopped" if self._stopping.is_set() else "done"

    def status(self) -> JobStatus:
        """A snapshot of the job."""
        with self._lock:
            return JobStatus(
                id=self.id,
                state=self._state(),
                inputs=self.inputs,
                total=self.total,
                analyzed=self._analyzed,
                unchanged=self._unchanged,
                stored=list(self._stored),
                quarantined=list(self._quarantined),
                error=self._error,
                seconds=round((self._finished or time.monotonic()) - self._started, 1),
            )


class Jobs:
    """The jobs of one app: at most one running, the last ``KEEP`` finished ones kept for their pages."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._guard = threading.Lock()

    def start(self, job: Job, work: Callable[[Job], None]) -> Job:
        """Run ``work(job)`` in a thread of its own.

        Raises:
            UsageError: PL227 while another job is running.
        """
        with self._guard:
            running = next((j for j in self._jobs.values() if not j.done.is_set()), None)
            if running is not None:
                raise UsageError("PL227", job=running.id)
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-KEEP]:
                del self._jobs[old]
            thread = threading.Thread(target=_run, args=(job, work), name=f"presslens-job-{job.id}", daemon=True)
            with _RUNNING_GUARD:
                _RUNNING[job] = thread
            thread.start()
        return job

    def get(self, job_id: str) -> Job:
        """One job by id.

        Raises:
            UsageError: PL226 for an unknown (or long finished) job.
        """
        with self._guard:
            job = self._jobs.get(job_id)
        if job is None:
            raise UsageError("PL226", path=f"/analyze/jobs/{job_id[:40]}")
        return job

    def recent(self) -> list[Job]:
        """The jobs kept, newest first."""
        with self._guard:
            return list(reversed(self._jobs.values()))


_RUNNING: dict[Job, threading.Thread] = {}
_RUNNING_GUARD = threading.Lock()


def _run(job: Job, work: Callable[[Job], None]) -> None:
    """Do a job's work and finish it, with the coded error when it fails."""
    try:
        work(job)
    except Stopped:
        job.finish()
    except PresslensError as error:
        job.finish(error)
    except Exception as error:  # noqa: BLE001  (the job page shows it; the server goes on)
        logger.exception("batch job %s failed", job.id)
        job.finish(unexpected(error))
    else:
        job.finish()
    finally:
        with _RUNNING_GUARD:
            _RUNNING.pop(job, None)


@atexit.register
def stop_running(wait_s: float = STOP_WAIT_S) -> None:
    """Stop every running job after its current step and wait for each up to ``wait_s``."""
    with _RUNNING_GUARD:
        running = list(_RUNNING.items())
    for job, thread in running:
        job.stop()
        thread.join(wait_s)
