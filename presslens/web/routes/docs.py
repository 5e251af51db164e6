"""The interactive API docs at /docs: Swagger UI from its packaged files (swagger-ui-bundle), no CDN."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import swagger_ui_bundle
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from presslens.web.pages import TEMPLATES

router = APIRouter()
# The two files Swagger UI needs; the rest of the vendor folder (demo pages, source maps) is not served.
SwaggerFile = Literal["swagger-ui.css", "swagger-ui-bundle.js"]


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return TEMPLATES.TemplateResponse(request, "docs.html", {})


@router.get("/static/swagger/{name}", include_in_schema=False, response_class=FileResponse, name="swagger")
def swagger(name: SwaggerFile) -> FileResponse:
    """One of Swagger UI's packaged files."""
    return FileResponse(Path(swagger_ui_bundle.swagger_ui_path) / name)
