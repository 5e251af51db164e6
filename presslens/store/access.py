"""Opening the DuckDB file for one transaction or one read, waiting while another connection holds it.

DuckDB lets one process write a file or several processes read it, never both at once, and
inside one process it refuses a second connection to a file that is open with another
configuration (read-write beside read-only). So every presslens connection opens late and
closes right after its work, and waits for its turn: behind a readers-writer lock per file
within this process, and by retrying DuckDB's lock error while another process holds the file.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from presslens.errors import UsageError

# What DuckDB says when another process holds the file, and when this process has it open otherwise.
_HELD_ELSEWHERE = ("Could not set lock on file", "different configuration than existing connections")
_FIRST_PAUSE_S, _MAX_PAUSE_S = 0.005, 0.05  # retry backoff: doubles from the first pause up to the largest (a failed try costs ~3 ms)


class FileLock:
    """One writer or any number of readers of a file within this process; a waiting writer goes before new readers.

    A thread that already reads the file may open it again to read, even while a writer waits.
    """

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self._reading = threading.local()  # how many reads the current thread holds

    def acquire(self, shared: bool, deadline: float) -> bool:
        """Take the lock shared (to read) or exclusive (to write) before ``deadline`` (monotonic); False when it could not."""
        held = getattr(self._reading, "count", 0)
        with self._turn:
            if shared:
                free = held > 0 or self._turn.wait_for(lambda: not self._writing and not self._writers_waiting, deadline - time.monotonic())
                if free:
                    self._readers += 1
                    self._reading.count = held + 1
                return free
            self._writers_waiting += 1
            try:
                free = self._turn.wait_for(lambda: not self._writing and not self._readers, deadline - time.monotonic())
                self._writing = free
                return free
            finally:
                self._writers_waiting -= 1
                self._turn.notify_all()  # readers held back by a writer that gave up may go

    def release(self, shared: bool) -> None:
        """Give back a lock taken with the same ``shared``."""
        with self._turn:
            if shared:
                self._readers -= 1
                self._reading.count -= 1
            else:
                self._writing = False
            self._turn.notify_all()


_LOCKS: dict[str, FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def _file_lock(path: str | Path) -> FileLock:
    """The lock of one database file (the same for every spelling of its path)."""
    key = os.path.realpath(path)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, FileLock())


@contextmanager
def connection(path: Path, *, read_only: bool, config: dict[str, Any], wait_s: float, remedy: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to ``path``, closed on exit; waits up to ``wait_s`` while another connection holds the file.

    Args:
        path: the database file (created by a read-write open).
        read_only: open to read (shared with other readers) or to write (alone).
        config: DuckDB configuration options.
        wait_s: how long to wait for the file.
        remedy: what the user can do when the wait runs out (the end of the PL209 message).

    Raises:
        UsageError: PL209 when the file stayed held past ``wait_s``, or cannot be opened at all.
    """
    deadline = time.monotonic() + wait_s
    lock = _file_lock(path)
    if not lock.acquire(shared=read_only, deadline=deadline):
        raise _busy(path, wait_s, remedy)
    try:
        con = _connect(path, read_only, config, deadline)
        if con is None:
            raise _busy(path, wait_s, remedy)
        try:
            yield con
        finally:
            con.close()
    finally:
        lock.release(shared=read_only)


def _connect(path: Path, read_only: bool, config: dict[str, Any], deadline: float) -> duckdb.DuckDBPyConnection | None:
    """Open the file, retrying with a growing pause while DuckDB reports it held; None once ``deadline`` passes.

    Raises:
        UsageError: PL209 when DuckDB refuses the file for another reason (not a database, no such folder).
    """
    pause = _FIRST_PAUSE_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as err:
            if not any(text in str(err) for text in _HELD_ELSEWHERE):
                raise UsageError("PL209", path=str(path), detail=reason(err)) from None
        if time.monotonic() + pause > deadline:
            return None
        time.sleep(pause * random.uniform(0.5, 1.0))  # jitter: two waiting processes do not retry in step
        pause = min(2 * pause, _MAX_PAUSE_S)


def _busy(path: Path, wait_s: float, remedy: str) -> UsageError:
    """PL209 for a file that another connection held for all of ``wait_s``."""
    detail = f"it stayed locked by another connection (an ingest writing, or readers) for more than {wait_s:g} s; {remedy}"
    return UsageError("PL209", path=str(path), detail=detail)


def reason(err: duckdb.Error) -> str:
    """The first line of a DuckDB error message."""
    return str(err).splitlines()[0]
