"""Readers and writers of one store at once: an ingest in another process, request threads in this one."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from presslens.errors import UsageError
from presslens.record.models import ArticleRecord, Sentence
from presslens.settings import DEFAULT_CONFIG, QuerySettings
from presslens.store import Store, query
from presslens.store.access import FileLock
from presslens.store.readonly import read_only

ARTICLES = 100
LIMITS = QuerySettings(timeout_s=30.0, max_rows=100, memory_limit="500MB", threads=1)
VERSIONS = {"version": "0", "spacy_version": "3.8.0", "model_version": "3.8.1"}
# Holds the file for a moment from another process (read-only or read-write), then lets go.
HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'read'); print('held', flush=True); time.sleep(0.5)"


def _count(db: Path) -> int:
    """How many articles a fresh read-only connection sees."""
    with read_only(db, LIMITS) as con:
        ((count,),) = con.execute("SELECT count(*) FROM articles").fetchall()
    return int(count)


def _corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"a{i:04d}.txt").write_text(
            f"Harbour board meets on ferry {i}\n\nThe harbour board of Velm met on Tuesday about ferry route {i}. "
            f"Chair Lena Brant said that {i} more sailings would run to Osk before the spring.",
            encoding="utf-8",
        )


def test_store_concurrent_reads_succeed_while_an_ingest_writes(tmp_path: Path) -> None:
    corpus, db, config = tmp_path / "corpus", tmp_path / "p.duckdb", tmp_path / "small-batches.cfg"
    _corpus(corpus)
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    config.write_text(text.replace("batch_size = 100", "batch_size = 5").replace("batch_size = 32", "batch_size = 8"), encoding="utf-8")
    Store(db).counts()  # the file exists with its tables, so every read can succeed from the start
    writer = subprocess.Popen(
        [sys.executable, "-m", "presslens", "ingest", str(corpus), "--db", str(db), "--config", str(config)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    seen: list[int] = []
    errors: list[str] = []
    try:
        while writer.poll() is None:
            try:
                seen.append(_count(db))
            except UsageError as error:
                errors.append(str(error))
            time.sleep(0.02)  # a request rate, not a tight loop: the writer needs moments with no reader
        _, stderr = writer.communicate(timeout=60)
    finally:
        writer.kill()
    assert writer.returncode == 0, stderr
    assert errors == []
    assert seen == sorted(seen)  # a reader never sees a count go back
    assert len(set(seen)) >= 2 and any(0 < n < ARTICLES for n in seen)  # reads went on between the batches
    assert _count(db) == ARTICLES


def _record(n: int) -> ArticleRecord:
    text = f"Ferry route {n} reopens."
    return ArticleRecord(id=f"r{n:03d}", text=text, lang="en", sentences=[Sentence(start=0, end=len(text))])


def test_store_concurrent_threads_read_while_this_process_writes(tmp_path: Path) -> None:
    """Read-only request threads and a Store writer share one file in one process (DuckDB alone refuses that mix)."""
    db = tmp_path / "p.duckdb"
    store = Store(db, batch_size=2)
    run = store.start_run("test", model="model", config_hash="cfg", **VERSIONS)
    done = threading.Event()
    seen: dict[int, list[int]] = {n: [] for n in range(3)}
    errors: list[BaseException] = []

    def read(n: int) -> None:
        while not done.is_set():
            try:
                seen[n].append(_count(db))
            except BaseException as error:  # noqa: BLE001  (collected: the assertion below names it)
                errors.append(error)
                return

    readers = [threading.Thread(target=read, args=(n,)) for n in seen]
    for reader in readers:
        reader.start()
    try:
        stored = store.upsert((_record(n) for n in range(40)), run, "cfg")
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert errors == [] and stored == 40
    assert all(counts and counts == sorted(counts) for counts in seen.values())
    assert _count(db) == 40 and store.counts()["articles"] == 40


@pytest.mark.parametrize("mode", ["read", "write"])
def test_store_concurrent_waits_while_another_process_holds_the_file(tmp_path: Path, mode: str) -> None:
    db = tmp_path / "p.duckdb"
    store = Store(db)
    store.start_run("first", model="model", config_hash="cfg", **VERSIONS)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), mode], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    if mode == "read":  # a write waits for the reader to let go
        store.start_run("second", model="model", config_hash="cfg", **VERSIONS)
    else:  # a read waits for the writer to let go
        assert query(db, "SELECT count(*) FROM runs", LIMITS)[1] == [(1,)]
    assert holder.wait(timeout=30) == 0
    assert query(db, "SELECT count(*) FROM runs", LIMITS)[1] == [(2 if mode == "read" else 1,)]


def test_store_concurrent_file_lock_lets_a_waiting_writer_go_before_new_readers() -> None:
    lock = FileLock()
    soon = time.monotonic() + 30
    assert lock.acquire(shared=True, deadline=soon)
    wrote = threading.Event()

    def write() -> None:
        if lock.acquire(shared=False, deadline=time.monotonic() + 30):
            wrote.set()
            lock.release(shared=False)

    writer = threading.Thread(target=write)
    writer.start()
    while not lock._writers_waiting:  # the writer is queued behind this thread's read
        time.sleep(0.001)
    other: list[bool] = []
    reader = threading.Thread(target=lambda: other.append(lock.acquire(shared=True, deadline=time.monotonic() + 0.2)))
    reader.start()
    reader.join()
    assert other == [False]  # a new reader waits behind the writer (and gives up at its deadline)
    assert lock.acquire(shared=True, deadline=soon)  # this thread already reads: it may read again
    lock.release(shared=True)
    assert not wrote.is_set()
    lock.release(shared=True)
    writer.join()
    assert wrote.is_set()
