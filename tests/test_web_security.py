"""The web server's security edges on a real store: headers on every kind of response, the body limit, read-only SQL, escaping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from presslens.settings import Settings
from presslens.web.app import create_app

from .web_support import (
    HOSTILE_OUTLET,
    HOSTILE_PAYLOADS,
    HOSTILE_TITLE,
    HOSTILE_WORD,
    LiveServer,
    hostile_id,  # noqa: F401 (fixture)
    csp_offences,
    parse_csp,
    seed_id,  # noqa: F401 (fixture)
    web_db,  # noqa: F401 (fixture)
    with_web,
)

LIMIT = 4096  # [web] max_body_bytes of these tests: small, so the bodies over it stay small


@pytest.fixture(scope="module")
def client(web_db: Path, settings: Settings) -> Iterator[TestClient]:
    """The app over the store, with a 4 KiB body limit."""
    with TestClient(base_url="http://127.0.0.1", app=create_app(web_db, with_web(settings, max_body_bytes=LIMIT))) as client:
        yield client


@pytest.fixture(scope="module")
def live(web_db: Path, settings: Settings) -> Iterator[LiveServer]:
    """A real Uvicorn server over the store with the same limit (chunked bodies are really streamed)."""
    with LiveServer.running(create_app(web_db, with_web(settings, max_body_bytes=LIMIT))) as server:
        yield server


def assert_secure(response: httpx.Response, *, docs: bool = False) -> None:
    """The security headers every response carries; only /docs may allow inline styles (Swagger UI), never inline script."""
    csp = parse_csp(response.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"], csp
    assert csp["style-src"] == (["'self'", "'unsafe-inline'"] if docs else ["'self'"]), csp
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert not any("unsafe-eval" in s or "*" in s or s.startswith(("http:", "https:")) for sources in csp.values() for s in sources), csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    # Neither sends a referrer to another site; same-origin also lets a same-origin form POST carry its Origin.
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers.get_list("content-security-policy") == [response.headers["content-security-policy"]]


def assert_coded(response: httpx.Response, status: int, code: str) -> dict[str, str]:
    """A coded JSON error: the status, the code, a message; returns the error object."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and set(error) == {"code", "message"} and error["message"], error
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("method", "path", "status", "media"),
    [
        ("GET", "/", 200, "text/html"),
        ("GET", "/events", 200, "text/html"),
        ("GET", "/articles?q=Haniyeh", 200, "text/html"),
        ("GET", "/analyze", 200, "text/html"),
        ("GET", "/api/events", 200, "application/json"),
        ("GET", "/api/overview", 200, "application/json"),
        ("GET", "/api/events.csv", 200, "text/csv"),
        ("GET", "/openapi.json", 200, "application/json"),
        ("GET", "/static/style.css", 200, "text/css"),
        ("GET", "/static/presslens.js", 200, "text/javascript"),
        ("GET", "/no-such-page", 404, "text/html"),
        ("GET", "/api/no-such-endpoint", 404, "application/json"),
        ("GET", "/static/no-such-file.js", 404, None),
        ("GET", "/api/articles/" + "0" * 64, 404, "application/json"),
        ("GET", "/articles/" + "0" * 64, 404, "text/html"),
        ("GET", "/api/events?limit=0", 422, "application/json"),
        ("POST", "/api/events", 405, "application/json"),
    ],
)
def test_web_security_headers_on_every_kind_of_response(client: TestClient, method: str, path: str, status: int, media: str | None) -> None:
    response = client.request(method, path)
    assert response.status_code == status, response.text[:500]
    if media is not None:
        assert response.headers["content-type"].split(";")[0] == media
    assert_secure(response)


def test_web_security_docs_page_allows_inline_style_only(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert_secure(response, docs=True)
    assert [offence for offence in csp_offences(response.text) if "style" not in offence] == []


def test_web_security_pages_have_no_inline_script_or_style(client: TestClient, seed_id: str) -> None:
    """What the CSP would block anyway must not be in the pages at all (it would be a broken feature)."""
    for path in ("/", "/events", "/articles?q=Haniyeh", f"/articles/{seed_id}", "/analyze"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert csp_offences(response.text) == [], path


def test_web_security_413_with_content_length(client: TestClient, live: LiveServer) -> None:
    body = b'{"text": "' + b"a" * LIMIT + b'"}'
    error = assert_coded(client.post("/api/analyze", content=body, headers={"content-type": "application/json"}), 413, "PL223")
    assert f"{LIMIT:,} bytes" in error["message"]
    response = httpx.post(f"{live.url}/api/analyze", content=body, headers={"content-type": "application/json"}, timeout=30)
    assert_coded(response, 413, "PL223")
    assert_secure(response)


def test_web_security_413_chunked(live: LiveServer) -> None:
    """A body without Content-Length is counted as it streams in."""

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(4):
            yield b"a" * 1024
        yield b'"}'

    response = httpx.post(f"{live.url}/api/analyze", content=chunks(), headers={"content-type": "application/json"}, timeout=30)
    assert response.request.headers.get("transfer-encoding") == "chunked" and "content-length" not in response.request.headers
    assert_coded(response, 413, "PL223")
    assert_secure(response)


def test_web_security_body_at_the_limit_is_read(client: TestClient) -> None:
    """Exactly max_body_bytes is allowed: this one is read and refused as invalid JSON, not as too large."""
    body = b"{" + b" " * (LIMIT - 1)
    assert len(body) == LIMIT
    assert_coded(client.post("/api/analyze", content=body, headers={"content-type": "application/json"}), 422, "PL225")


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1.evil.example", "null"])
def test_web_security_cross_site_post_is_refused(client: TestClient, origin: str) -> None:
    """A write from another site's page (or an opaque origin: a sandboxed frame, a no-referrer page) is refused."""
    assert_coded(client.post("/api/analyze", json={"text": "x"}, headers={"origin": origin}), 403, "PL228")
    form = client.post("/analyze", data={"text": "x"}, headers={"origin": origin}, follow_redirects=False)
    assert form.status_code == 403 and "PL228" in form.text


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("DELETE FROM articles", "PL202"),
        ("DROP TABLE articles", "PL202"),
        ("UPDATE articles SET title = 'owned'", "PL202"),
        ("INSERT INTO runs (run_id) VALUES ('owned')", "PL202"),
        ("CREATE TABLE owned AS SELECT 1", "PL202"),
        ("SELECT 1; DROP TABLE articles", "PL202"),
        ("ATTACH '{tmp}/owned.duckdb' AS owned", "PL202"),
        ("COPY articles TO '{tmp}/owned.csv'", "PL202"),
        ("EXPORT DATABASE '{tmp}/owned'", "PL202"),
        ("INSTALL httpfs", "PL202"),
        ("LOAD httpfs", "PL202"),
        ("SET enable_external_access = true", "PL202"),
        ("SELECT * FROM read_csv('/etc/passwd')", "PL204"),
        ("SELECT * FROM read_text('/etc/hostname')", "PL204"),
        ("SELECT * FROM '/etc/passwd'", "PL204"),
    ],
)
def test_web_security_sql_refuses_writes_and_files(client: TestClient, web_db: Path, tmp_path: Path, sql: str, code: str) -> None:
    before = client.get("/api/sql", params={"sql": "SELECT count(*) AS n FROM articles"}).json()
    assert_coded(client.get("/api/sql", params={"sql": sql.format(tmp=tmp_path)}), 400, code)
    assert client.get("/api/sql", params={"sql": "SELECT count(*) AS n FROM articles"}).json() == before == {"columns": ["n"], "rows": [[12]]}
    assert list(tmp_path.iterdir()) == []


def test_web_security_hostile_article_is_escaped_in_every_page(client: TestClient, hostile_id: str) -> None:
    """The server never sends a payload of the hostile article as markup, nor its javascript: URL as a link."""
    for path in ("/", f"/articles/{hostile_id}", f"/articles?q={HOSTILE_WORD}", "/events"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.text
        for payload in (*HOSTILE_PAYLOADS, "<script>window.__pwned", "<img src=x onerror"):
            assert payload not in html, (path, payload)
        assert csp_offences(html) == [], path  # no javascript: link, no handler, no inline script
    article = client.get(f"/articles/{hostile_id}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article
    assert "&lt;svg onload=window.__pwned=6&gt;" in article
    record = client.get(f"/api/articles/{hostile_id}")  # JSON keeps the text as it is; nosniff keeps it from being read as HTML
    assert record.headers["content-type"] == "application/json"
    assert record.json()["title"] == HOSTILE_TITLE and record.json()["outlet"] == HOSTILE_OUTLET


def test_web_security_unknown_host_is_refused(web_db: Path, settings: Settings) -> None:
    """A request addressed to another host name (a DNS-rebinding page) gets a 400 with the headers, and reads nothing."""
    with TestClient(base_url="http://evil.example", app=create_app(web_db, settings)) as rebound:
        for path in ("/api/articles", "/api/sql?sql=SELECT%201", "/"):
            response = rebound.get(path)
            assert response.status_code == 400 and "Invalid host header" in response.text, path
            assert_secure(response)  # type: ignore[arg-type]


def test_web_security_wrong_method_on_a_page_is_a_coded_page(client: TestClient) -> None:
    """A POST to a GET page is a 405 error page (with its code), not a server error."""
    response = client.post("/articles")
    assert response.status_code == 405 and "<h1>PL225</h1>" in response.text
    assert_secure(response)  # type: ignore[arg-type]
    assert client.post("/api/articles").json()["error"]["code"] == "PL225"


def test_web_security_unexpected_error_is_coded_inside_the_headers(web_db: Path, settings: Settings) -> None:
    """A handler's unexpected exception is a PL901 JSON answer naming its kind once, with every security header."""
    app = create_app(web_db, settings)

    def boom() -> None:
        raise ValueError("kaboom\nsecond line")

    app.add_api_route("/api/boom", boom)
    with TestClient(base_url="http://127.0.0.1", app=app) as client:
        response = client.get("/api/boom")
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "PL901" and error["message"].startswith("unexpected error: ValueError: kaboom — please report it")
    assert_secure(response)  # type: ignore[arg-type]
