"""The FastAPI application: pages, their JSON twins under /api, static files, coded errors and the security edges."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from presslens._version import __version__
from presslens.errors import PresslensError, UsageError
from presslens.settings import Settings, load_settings
from presslens.store import Store
from presslens.web.db import Reader
from presslens.web.pages import TEMPLATES
from presslens.web.routes import ROUTERS
from presslens.web.security import SecurityMiddleware

# HTTP status of each coded error a request can meet; any other code is the server's fault (500).
STATUS = {
    "PL207": 503, "PL209": 503, "PL213": 503, "PL229": 503,
    "PL220": 404, "PL221": 404, "PL222": 404, "PL226": 404,
    "PL223": 413, "PL227": 409, "PL228": 403,
    "PL101": 422, "PL102": 422, "PL103": 422, "PL104": 413, "PL105": 422, "PL107": 422, "PL108": 422, "PL109": 422,
    "PL112": 413, "PL113": 422, "PL225": 422,
    "PL202": 400, "PL204": 400, "PL214": 400, "PL215": 400, "PL216": 400,
}


def create_app(db: str | Path | None = None, settings: Settings | None = None) -> FastAPI:
    """The presslens web application over the store ``db`` (default: ``[store] db`` of the configuration)."""
    settings = settings or load_settings()
    db = Path(db or settings.store.db)
    if db.is_file():  # a file of an older presslens gains the columns the pages read
        Store(db, lock_timeout_s=settings.store.lock_timeout_s).migrate()
    app = FastAPI(
        title="presslens",
        version=__version__,
        description="Articles, actors, places, events, quotes and framing of a presslens store, with their evidence.",
        docs_url=None,  # served by routes/docs.py from packaged files: no CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.reader = Reader(db, settings.query, wait_s=settings.web.lock_wait_s)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.web.allowed_hosts)
    app.add_middleware(SecurityMiddleware, max_body_bytes=settings.web.max_body_bytes)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(resources.files("presslens.web") / "static")), name="static")  # after /static/swagger
    app.add_exception_handler(PresslensError, _coded)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    return app


def error_response(request: Request, error: PresslensError, status: int | None = None, headers: Mapping[str, str] | None = None) -> Response:
    """The coded error as JSON under /api, as a page elsewhere; its status is the code's (``STATUS``) unless given."""
    status = status or STATUS.get(error.code, 500)
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return JSONResponse({"error": {"code": error.code, "message": error.message}}, status_code=status, headers=headers)
    return TEMPLATES.TemplateResponse(request, "error.html", {"error": error}, status_code=status, headers=headers)


async def _coded(request: Request, error: PresslensError) -> Response:
    """A presslens error raised by a handler."""
    return error_response(request, error)


async def _invalid(request: Request, error: RequestValidationError) -> Response:
    """A query or body that does not validate: PL225 naming the first bad field."""
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("query", "body", "path"))
    return error_response(request, UsageError("PL225", detail=f"{where or 'request'}: {first.get('msg', 'invalid')}"))


async def _http(request: Request, error: HTTPException) -> Response:
    """Starlette's own errors (an unknown path, a wrong method) in the same coded form."""
    if error.status_code == 404:
        return error_response(request, UsageError("PL226", path=request.url.path[:200]))
    return error_response(request, UsageError("PL225", detail=str(error.detail)), error.status_code, error.headers)
