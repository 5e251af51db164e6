"""/analyze and POST /api/analyze with the real pipeline: records equal to `presslens.analyze`, storing, batch jobs, coded errors."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import presslens
from presslens.pipeline import Pipeline
from presslens.settings import Settings
from presslens.web.analysis import MAX_WAITING, Turns, app_analysis
from presslens.web.app import create_app
from presslens.web.jobs import stop_running
from tests.conftest import SAMPLES

CORPUS = SAMPLES / "corpus"
GERMAN = (
    "Der Bundestag hat am Dienstag nach einer langen und hitzigen Debatte ein neues Gesetz beschlossen, das die Energiepreise "
    "für private Haushalte senken soll. Die Opposition kritisierte den Entwurf scharf und kündigte eine Klage an."
)


@pytest.fixture()
def app_for(tmp_path: Path, settings: Settings, pipeline: Pipeline) -> Iterator[Any]:
    """Make an app over a fresh store path (created by the first write), sharing the session pipeline."""

    def make(**sections: dict[str, Any]) -> TestClient:
        changed = {name: getattr(settings, name).model_copy(update=values) for name, values in sections.items()}
        app = create_app(tmp_path / "web.duckdb", dataclasses.replace(settings, **changed))
        app.state.pipeline = pipeline
        return TestClient(app, base_url="http://127.0.0.1")

    yield make


@pytest.fixture()
def client(app_for: Any) -> TestClient:
    return app_for()  # type: ignore[no-any-return]


@pytest.fixture()
def same_pipeline(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    """`presslens.analyze` through the session pipeline (the same settings: no second model load)."""
    monkeypatch.setattr(presslens, "_default_pipeline", lambda: pipeline)


def _sql(client: TestClient, sql: str) -> list[list[Any]]:
    response = client.get("/api/sql", params={"sql": sql})
    assert response.status_code == 200, response.text
    return response.json()["rows"]  # type: ignore[no-any-return]


def _code(response: Any) -> str:
    return response.json()["error"]["code"]  # type: ignore[no-any-return]


def _finished(client: TestClient, location: str, timeout_s: float = 120.0) -> dict[str, Any]:
    """The job's JSON once it is no longer running."""
    path = location.removeprefix("http://127.0.0.1")
    deadline = time.monotonic() + timeout_s
    while (job := client.get("/api" + path).json())["state"] == "running":
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return job  # type: ignore[no-any-return]


@pytest.mark.usefixtures("same_pipeline")
def test_web_analyze_api_gives_the_record_of_presslens_analyze(client: TestClient, seed_text: str) -> None:
    response = client.post("/api/analyze", json={"text": seed_text})
    assert response.status_code == 200
    assert response.json() == presslens.analyze(seed_text).model_dump(mode="json")
    assert response.json()["events"] and response.json()["quotes"]


@pytest.mark.usefixtures("same_pipeline")
def test_web_analyze_api_takes_metadata(client: TestClient, seed_text: str) -> None:
    meta = {"title": "Cooling period", "url": "https://example.com/a", "outlet": "Example", "author": "A. Writer", "published": "2024-07-01"}
    record = client.post("/api/analyze", json={"text": seed_text, **meta}).json()
    assert record == presslens.analyze(seed_text, **meta).model_dump(mode="json")
    assert (record["title"], record["outlet"], record["author"]) == ("Cooling period", "Example", "A. Writer")


@pytest.mark.usefixtures("same_pipeline")
def test_web_analyze_api_reads_html(client: TestClient) -> None:
    html = (CORPUS / "port-sable-dock-strike--vellmark-business-times.html").read_text(encoding="utf-8")
    record = client.post("/api/analyze", json={"html": html}).json()
    assert record == presslens.analyze(html).model_dump(mode="json")
    assert record["outlet"] == "Vellmark Business Times" and "<" not in record["text"]


def test_web_analyze_api_stores_only_when_asked(client: TestClient, seed_text: str) -> None:
    record = client.post("/api/analyze", json={"text": seed_text}).json()
    assert client.get("/api/sql", params={"sql": "SELECT 1"}).json()["error"]["code"] == "PL207"  # nothing written yet
    stored = client.post("/api/analyze", json={"text": seed_text, "store": True})
    assert stored.status_code == 200 and stored.json() == record
    assert _sql(client, "SELECT id, source FROM articles") == [[record["id"], "<string>"]]
    assert _sql(client, "SELECT command, status, articles FROM runs") == [["web analyze <string>", "completed", 1]]
    assert client.get(f"/api/articles/{record['id']}").json() == record


@pytest.mark.parametrize(
    ("body", "code", "status"),
    [
        ({"text": ""}, "PL101", 422),
        ({"text": " \n\t "}, "PL101", 422),
        ({"html": ""}, "PL101", 422),
        ({"text": "\x00\x01binary\x00" * 50}, "PL102", 422),
        ({"text": "Too short."}, "PL109", 422),
        ({"text": GERMAN}, "PL108", 422),
        ({"html": "<html><body><nav>Home</nav></body></html>"}, "PL105", 422),
        ({}, "PL107", 422),
        ({"title": "no text"}, "PL107", 422),
        ({"text": "a", "html": "b"}, "PL225", 422),
        ({"text": 42}, "PL225", 422),
        ({"text": "x", "store": "maybe"}, "PL225", 422),
        ({"text": "x", "colour": "red"}, "PL225", 422),
    ],
)
def test_web_analyze_api_bad_input_is_a_coded_error(client: TestClient, body: dict[str, Any], code: str, status: int) -> None:
    response = client.post("/api/analyze", json={**body, "store": body.get("store", True)})
    assert (response.status_code, _code(response)) == (status, code)
    assert response.json()["error"]["message"]
    assert client.get("/api/sql", params={"sql": "SELECT 1"}).json()["error"]["code"] == "PL207"  # nothing stored


def test_web_analyze_api_refuses_a_body_that_is_not_json(client: TestClient) -> None:
    response = client.post("/api/analyze", content=b"\x89PNG\r\n\x1a\n\x00\x00", headers={"content-type": "application/json"})
    assert (response.status_code, _code(response)) == (400, "PL225")


def test_web_analyze_api_size_limits(app_for: Any, seed_text: str) -> None:
    small = app_for(ingest={"max_bytes": 1000})
    response = small.post("/api/analyze", json={"text": seed_text})
    assert (response.status_code, _code(response)) == (413, "PL104")
    tiny = app_for(web={"max_body_bytes": 1000})
    response = tiny.post("/api/analyze", json={"text": seed_text})
    assert (response.status_code, _code(response)) == (413, "PL223")


def test_web_analyze_form_uploads_over_the_body_limit_are_refused(app_for: Any, seed_text: str) -> None:
    tiny = app_for(web={"max_body_bytes": 1000})
    response = tiny.post("/analyze", files={"files": ("seed.txt", seed_text.encode(), "text/plain")})
    assert (response.status_code, _code(response)) == (413, "PL223")

    def streamed() -> Iterator[bytes]:  # no Content-Length: counted as it comes
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="seed.txt"\r\n\r\n'
        yield seed_text.encode()
        yield b"\r\n--b--\r\n"

    response = tiny.post("/analyze", content=streamed(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert (response.status_code, _code(response)) == (413, "PL223")
    assert tiny.get("/api/analyze").json()["jobs"] == []


def test_web_analyze_refuses_a_post_from_another_site(client: TestClient, seed_text: str) -> None:
    evil = {"origin": "https://evil.example"}
    response = client.post("/api/analyze", json={"text": seed_text, "store": True}, headers=evil)
    assert (response.status_code, _code(response)) == (403, "PL228")
    assert client.post("/analyze", data={"text": seed_text, "store": "true"}, headers=evil).status_code == 403
    assert client.post("/api/analyze", json={"text": seed_text}, headers={"origin": "http://127.0.0.1"}).status_code == 200
    assert client.get("/api/sql", params={"sql": "SELECT 1"}).json()["error"]["code"] == "PL207"


def test_web_analyze_form_page(client: TestClient, settings: Settings) -> None:
    response = client.get("/analyze")
    assert response.status_code == 200
    html = response.text
    assert '<form class="analyze" action="http://127.0.0.1/analyze" method="post" enctype="multipart/form-data">' in html
    assert '<textarea id="text" name="text"' in html and 'type="file" name="files" multiple' in html
    assert 'name="store" value="true"' in html and "<script>" not in html and "style=" not in html
    form = client.get("/api/analyze").json()
    limits = {"max_body_bytes": settings.web.max_body_bytes, "max_bytes": settings.ingest.max_bytes}
    assert form == {"formats": ["text", "html", "jsonl"], **limits, "jobs": []}


def test_web_analyze_form_stores_a_pasted_text_and_opens_its_page(client: TestClient, seed_text: str, pipeline: Pipeline) -> None:
    expected = pipeline.analyze_one(seed_text, title="Pasted")
    response = client.post("/analyze", data={"text": seed_text, "title": "Pasted", "outlet": "", "store": "true"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"http://127.0.0.1/articles/{expected.id}"
    assert client.get(f"/api/articles/{expected.id}").json() == expected.model_dump(mode="json")


def test_web_analyze_form_shows_an_unstored_text_as_its_article_page(client: TestClient, pipeline: Pipeline) -> None:
    text = (CORPUS / "dunmere-floods-aid--open-ledger.txt").read_text(encoding="utf-8")
    record = pipeline.analyze_one(text)
    response = client.post("/analyze", data={"text": text})
    assert response.status_code == 200
    assert record.title and record.title in response.text
    assert client.get("/api/sql", params={"sql": "SELECT 1"}).json()["error"]["code"] == "PL207"


def test_web_analyze_form_analyzes_one_uploaded_file(client: TestClient, pipeline: Pipeline) -> None:
    path = CORPUS / "kessel-pass-clash--morland-standard.html"
    expected = pipeline.analyze_one(path.read_text(encoding="utf-8"), source=path.name)
    response = client.post("/analyze", files={"files": (path.name, path.read_bytes(), "text/html")}, data={"store": "true"}, follow_redirects=False)
    assert response.headers["location"] == f"http://127.0.0.1/articles/{expected.id}"
    assert _sql(client, "SELECT id, source, outlet FROM articles") == [[expected.id, path.name, "The Morland Standard"]]


@pytest.mark.parametrize(
    ("form", "files", "code"),
    [
        ({"text": "   "}, None, "PL101"),
        ({}, None, "PL101"),
        ({}, {"files": ("empty.txt", b"", "text/plain")}, "PL101"),
        ({}, {"files": ("scan.pdf", b"%PDF-1.7\n" + bytes(range(256)), "application/pdf")}, "PL102"),
        ({"text": GERMAN}, None, "PL108"),
    ],
)
def test_web_analyze_form_bad_input_is_a_coded_error_page(client: TestClient, form: dict[str, str], files: Any, code: str) -> None:
    response = client.post("/analyze", data={**form, "store": "true"}, files=files)
    assert response.status_code == 422
    assert f"<h1>{code}</h1>" in response.text
    assert client.get("/api/sql", params={"sql": "SELECT 1"}).json()["error"]["code"] == "PL207"


def test_web_analyze_batch_job_stores_every_article_and_lists_the_quarantined(client: TestClient) -> None:
    names = ["kessel-pass-clash--calveran-herald.txt", "port-sable-dock-strike--vellmark-business-times.html", "wire.jsonl"]
    files = [("files", (name, (CORPUS / name).read_bytes(), "application/octet-stream")) for name in names]
    files.append(("files", ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")))
    response = client.post("/analyze", files=files, follow_redirects=False)
    assert response.status_code == 303
    job = _finished(client, response.headers["location"])
    assert (job["state"], job["inputs"], job["total"], job["analyzed"], job["error"]) == ("done", 4, 6, 6, None)
    assert sorted(a["source"] for a in job["stored"]) == sorted([names[0], names[1], "wire.jsonl:1", "wire.jsonl:2", "wire.jsonl:3"])
    assert [(q["source"], q["code"]) for q in job["quarantined"]] == [("photo.png", "PL102")]
    stored = _sql(client, "SELECT id FROM articles ORDER BY id")
    assert stored == [[a["id"]] for a in sorted(job["stored"], key=lambda a: a["id"])]
    assert _sql(client, "SELECT source, code FROM quarantine") == [["photo.png", "PL102"]]
    page = client.get(response.headers["location"]).text
    assert 'http-equiv="refresh"' not in page
    for article in job["stored"]:
        assert f'href="http://127.0.0.1/articles/{article["id"]}"' in page
    assert "<td>photo.png</td>" in page and "PL102" in page and "binary input" in page
    assert client.get("/api/analyze").json()["jobs"] == [{"id": job["id"], "state": "done", "inputs": 4, "stored": 5, "quarantined": 1}]


def test_web_analyze_pasted_json_lines_run_as_a_job(client: TestClient) -> None:
    lines = (CORPUS / "wire.jsonl").read_text(encoding="utf-8")
    bad = json.dumps({"text": "short", "id": "s"})
    response = client.post("/analyze", data={"text": lines + bad + "\n"}, follow_redirects=False)
    job = _finished(client, response.headers["location"])
    assert (job["total"], len(job["stored"]), [q["code"] for q in job["quarantined"]]) == (4, 3, ["PL109"])
    assert {a["source"] for a in job["stored"]} == {"<string>:1", "<string>:2", "<string>:3"}


def test_web_analyze_job_page_refreshes_while_running_and_one_job_runs_at_a_time(client: TestClient, seed_text: str) -> None:
    bench = app_analysis(client.app)  # type: ignore[arg-type]
    files = [("files", (f"copy-{n}.txt", seed_text.replace("Hamas", f"Hamas{n}").encode(), "text/plain")) for n in range(2)]
    with bench.turns.turn():  # the job cannot take its first step meanwhile
        response = client.post("/analyze", files=files, follow_redirects=False)
        running = client.get(response.headers["location"])
        assert '<meta http-equiv="refresh" content="1">' in running.text and "Analyzing: 0 of 2 inputs" in running.text
        second = client.post("/analyze", files=files)
        assert second.status_code == 409 and "<h1>PL227</h1>" in second.text and "a batch is being analyzed" in second.text
    job = _finished(client, response.headers["location"])
    assert (job["state"], len(job["stored"])) == ("done", 2)
    following = client.post("/analyze", files=files, follow_redirects=False)  # the next batch may start
    assert following.status_code == 303 and _finished(client, following.headers["location"])["state"] == "done"


def test_web_analyze_job_stops_after_its_step_when_the_server_exits(client: TestClient, seed_text: str) -> None:
    bench = app_analysis(client.app)  # type: ignore[arg-type]
    files = [("files", (f"copy-{n}.txt", seed_text.replace("Hamas", f"Hamas{n}").encode(), "text/plain")) for n in range(3)]
    with bench.turns.turn():  # the job waits for its first step
        location = client.post("/analyze", files=files, follow_redirects=False).headers["location"]
        stop_running(wait_s=0)  # asked to stop; not waited for here, since this thread holds the turn
    job = _finished(client, location)
    assert (job["state"], job["stored"], job["error"]) == ("stopped", [], None)
    assert _sql(client, "SELECT status, articles FROM runs") == [["interrupted", 0]]
    assert "Stopped (the server was exiting)" in client.get(location).text


def test_web_analyze_a_store_that_cannot_be_written_is_a_coded_error(tmp_path: Path, settings: Settings, pipeline: Pipeline, seed_text: str) -> None:
    app = create_app(tmp_path / "no such folder" / "web.duckdb", settings)
    app.state.pipeline = pipeline
    client = TestClient(app, base_url="http://127.0.0.1")
    response = client.post("/api/analyze", json={"text": seed_text, "store": True})
    assert (response.status_code, _code(response)) == (503, "PL209")
    files = [("files", (f"copy-{n}.txt", seed_text.encode(), "text/plain")) for n in range(2)]
    job = _finished(client, client.post("/analyze", files=files, follow_redirects=False).headers["location"])
    assert (job["state"], job["error"]["code"], job["stored"]) == ("failed", "PL209", [])
    page = client.get(f"/analyze/jobs/{job['id']}").text
    assert "Failed after" in page and "<strong>PL209</strong>" in page


def test_web_analyze_unknown_job_is_not_found(client: TestClient) -> None:
    response = client.get("/api/analyze/jobs/0123456789abcdef")
    assert (response.status_code, _code(response)) == (404, "PL226")
    assert client.get("/analyze/jobs/nope").status_code == 404


def test_web_analysis_turns_go_first_come_first_served() -> None:
    turns = Turns()
    order: list[str] = []
    waiting = threading.Event()

    def other() -> None:
        waiting.set()
        with turns.turn():
            order.append("other")

    with turns.turn():
        thread = threading.Thread(target=other)
        thread.start()
        waiting.wait()
        time.sleep(0.05)  # the other thread now waits for the turn
    with turns.turn():  # asked again after giving it back: behind the waiting thread
        order.append("again")
    thread.join()
    assert order == ["other", "again"]


def test_web_analysis_refuses_more_waiting_than_its_limit(client: TestClient, seed_text: str, pipeline: Pipeline) -> None:
    """With MAX_WAITING analyses queued for the pipeline, one more is a coded 503 at once (the pages keep their threads)."""
    analysis = app_analysis(client.app)  # type: ignore[arg-type]

    def wait_a_turn() -> None:
        with analysis.turns.turn():
            pass

    queued = [threading.Thread(target=wait_a_turn) for _ in range(MAX_WAITING)]
    with analysis.turns.turn():  # the pipeline is busy
        for thread in queued:
            thread.start()
        while analysis.turns.waiting() < MAX_WAITING:
            time.sleep(0.01)
        response = client.post("/api/analyze", json={"text": seed_text})
        assert (response.status_code, response.json()["error"]["code"]) == (503, "PL229")
    for thread in queued:
        thread.join()
    assert client.post("/api/analyze", json={"text": seed_text}).status_code == 200
