"""The interactive API docs at /docs: Swagger UI from its packaged files (swagger-ui-bundle), no CDN."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from presslens.web.pages import TEMPLATES

router = APIRouter()


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return TEMPLATES.TemplateResponse(request, "docs.html", {})
