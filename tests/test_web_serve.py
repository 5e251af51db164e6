"""`presslens serve` as a real process: where it listens, its warning, and pages answering while `presslens ingest` writes.

The concurrency test runs a real `presslens ingest` of 1,000 generated articles (batches of 50)
into the store the server reads, polls an article page and a search meanwhile, and requires every
answer to be 200, the search's count to grow batch by batch, and all 1,000 to be found at the end.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from .conftest import ROOT
from .web_support import (
    GENERATED_WORD,
    free_port,
    generated_articles,
    seed_id,  # noqa: F401 (fixture)
    wait_for_port,
    web_db,  # noqa: F401 (fixture)
)

PRESSLENS = [sys.executable, "-m", "presslens"]
GENERATED = 1000
BATCH = 50  # [store] batch_size of the ingest: 20 batches, so the readers see the store grow
WARNING = "warning: listening on 0.0.0.0: anyone who can reach this address can read the store and run analyses"
SIOCGIFADDR = 0x8915


@dataclass
class Served:
    """A running `presslens serve` process and where its output goes."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        """What the process wrote so far (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(tmp_path: Path, db: Path, *args: str) -> Iterator[Served]:
    """Run `presslens serve --db DB --port FREE ARGS`; yield once it accepts connections on 127.0.0.1; stop it with SIGINT."""
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([*PRESSLENS, "serve", "--db", str(db), "--port", str(port), *args], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    served = Served(process, port, log)
    try:
        wait_for_port("127.0.0.1", port, 60)
        assert process.poll() is None, served.output()
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def listening(port: int) -> set[str]:
    """The local addresses with a TCP socket listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))  # each 32-bit word is little-endian
                found.add(socket.inet_ntop(family, words))
    return found


def external_address() -> str | None:
    """An IPv4 address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(sock.fileno(), SIOCGIFADDR, struct.pack("256s", name[:15].encode()))
            except OSError:
                continue
            address = socket.inet_ntoa(packed[20:24])
            if not address.startswith("127."):
                return address
    return None


def test_web_serve_listens_on_loopback_only_by_default(tmp_path: Path, web_db: Path) -> None:
    with serving(tmp_path, web_db) as served:
        assert listening(served.port) == {"127.0.0.1"}
        assert httpx.get(f"{served.url}/api/overview", timeout=30).status_code == 200
        other = external_address()
        if other is not None:
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection((other, served.port), timeout=5).close()
    assert f"Uvicorn running on http://127.0.0.1:{served.port}" in served.output()
    assert "warning" not in served.output().lower()


def test_web_serve_any_address_warns(tmp_path: Path, web_db: Path) -> None:
    with serving(tmp_path, web_db, "--host", "0.0.0.0") as served:
        assert listening(served.port) == {"0.0.0.0"}
        other = external_address()
        if other is not None:
            assert httpx.get(f"http://{other}:{served.port}/api/overview", timeout=30).status_code == 200
    assert served.output().startswith(WARNING + "\n"), served.output()


@dataclass(frozen=True)
class Answer:
    """One request made while the ingest ran."""

    path: str
    status: int
    seconds: float
    found: int | None  # the search's total


def test_web_serve_answers_while_an_ingest_writes(tmp_path: Path, web_db: Path, seed_id: str) -> None:
    db = tmp_path / "busy.duckdb"
    shutil.copy(web_db, db)
    inputs = tmp_path / "generated.jsonl"
    inputs.write_text("".join(json.dumps(record) + "\n" for record in generated_articles(GENERATED)), encoding="utf-8")
    config = tmp_path / "config.cfg"
    packaged = (ROOT / "presslens" / "config.cfg").read_text(encoding="utf-8")
    assert "\nbatch_size = 100\n" in packaged
    config.write_text(packaged.replace("\nbatch_size = 100\n", f"\nbatch_size = {BATCH}\n"), encoding="utf-8")
    search = f"/api/articles?q={GENERATED_WORD}&limit=1"
    answers: list[Answer] = []
    with serving(tmp_path, db) as served, httpx.Client(base_url=served.url, timeout=60) as client:
        started = time.perf_counter()
        with (tmp_path / "ingest.log").open("wb") as log:
            ingest = subprocess.Popen([*PRESSLENS, "ingest", str(inputs), "--db", str(db), "--config", str(config)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            while ingest.poll() is None:
                for path in (f"/articles/{seed_id}", search):
                    before = time.perf_counter()
                    response = client.get(path)
                    found = response.json()["total"] if path == search and response.status_code == 200 else None
                    answers.append(Answer(path, response.status_code, time.perf_counter() - before, found))
        finally:
            if ingest.poll() is None:
                ingest.kill()
            ingest.wait()
        seconds = time.perf_counter() - started
        assert ingest.returncode == 0, (tmp_path / "ingest.log").read_text()
        final = client.get(search).json()["total"]
        counts = client.get("/api/overview").json()["counts"]
    latencies = sorted(a.seconds for a in answers)
    summary = (
        f"ingest of {GENERATED} articles: {seconds:.1f} s; {len(answers)} requests meanwhile, "
        f"median {statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(summary)
    assert [a for a in answers if a.status != 200] == [], summary
    totals = [a.found for a in answers if a.found is not None]
    assert totals == sorted(totals), "the search's count went down"
    assert len({t for t in totals if 0 < t < GENERATED}) >= 3, (summary, sorted(set(totals)))  # seen growing between batches
    assert final == GENERATED and counts["articles"] == 12 + GENERATED
