from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from presslens.settings import DEFAULT_CONFIG
from presslens.store import Store, query

ARTICLES = 240
# One ingest run through the API, in its own process so that it can be killed; prints its counts.
INGEST = (
    "import json, sys; from presslens.run import ingest; from presslens.settings import load_settings; "
    "summary = ingest([sys.argv[1]], sys.argv[2], settings=load_settings(sys.argv[3])); "
    "print(json.dumps({'status': summary.status, **summary.counts}))"
)


def _corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"a{i:04d}.txt").write_text(
            f"Council meets on budget {i}\n\nThe council of Brask met on Monday to discuss budget item {i}. "
            f"Mayor Anna Holt said that {i} new teachers would be hired in Norland before the winter.",
            encoding="utf-8",
        )


def _ingest(corpus: Path, db: Path, config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", INGEST, str(corpus), str(db), str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _articles(db: Path) -> int:
    """How many articles are stored now."""
    ((count,),) = query(db, "SELECT count(*) FROM articles")[1]
    return int(count)


def test_store_killed_run_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    corpus, db, config = tmp_path / "corpus", tmp_path / "p.duckdb", tmp_path / "small-batches.cfg"
    _corpus(corpus)
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("batch_size = 100", "batch_size = 10"))
    Store(db).counts()  # the file exists with its tables, so it can be read from the start
    first = _ingest(corpus, db, config)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _articles(db) < 30:
        time.sleep(0.01)  # wait until a few batches are committed (read while the run goes on)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    second = _ingest(corpus, db, config)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err.decode()
    counts = json.loads(out)
    assert counts["status"] == "completed" and counts["unchanged"] > 0  # the resume skipped stored work
    assert counts["unchanged"] + counts["stored"] == ARTICLES and counts["quarantined"] == 0
    assert query(db, "SELECT count(*), count(DISTINCT id) FROM articles")[1] == [(ARTICLES, ARTICLES)]
    rows = query(db, "SELECT count(*), count(DISTINCT (article_id, idx)) FROM sentences")[1]
    assert rows[0][0] == rows[0][1] == 2 * ARTICLES
    statuses = dict(query(db, "SELECT status, count(*) FROM runs GROUP BY status")[1])
    assert statuses == {"interrupted": 1, "completed": 1}  # the next run marked the killed one
