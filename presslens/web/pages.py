"""Pages with JSON twins: one handler returns a model; served as HTML at PATH and as JSON at /api + PATH."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel

from presslens.web.db import Reader

Handler = TypeVar("Handler", bound=Callable[..., BaseModel])
TEMPLATES = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(str(resources.files("presslens.web") / "templates")),
        autoescape=True,  # every value is article text or metadata: hostile until escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
)


def api_path(path: str) -> str:
    """The JSON twin's path of a page: ``/api`` + the path, ``/api/overview`` for ``/``."""
    return "/api" + (path if path != "/" else "/overview")


def api_url(request: Request) -> str:
    """The JSON twin of the page being shown, with the same query (the footer's link)."""
    query = f"?{request.url.query}" if request.url.query else ""
    return api_path(request.url.path) + query


TEMPLATES.env.globals["api_url"] = api_url


def reader(request: Request) -> Reader:
    """The app's store reader (a FastAPI dependency)."""
    return request.app.state.reader  # type: ignore[no-any-return]


StoreReader = Annotated[Reader, Depends(reader)]  # the read side; writes go through presslens.store.Store


def page(router: APIRouter, path: str, template: str, **route: Any) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the JSON endpoint ``api_path(path)`` and as the HTML page ``path`` rendering ``template``.

    The page gets the handler's model as ``page`` and the request as ``request``; both routes share
    the handler's parameters (query, path, dependencies), so HTML and JSON can never disagree.
    """

    def register(handler: Handler) -> Handler:
        hints = typing.get_type_hints(handler, include_extras=True)  # resolved here: the wrapper has other globals
        model = hints["return"]
        router.add_api_route(api_path(path), handler, methods=["GET"], response_model=model, name="api_" + handler.__name__, **route)

        @functools.wraps(handler)
        def html(request: Request, **params: Any) -> HTMLResponse:
            return TEMPLATES.TemplateResponse(request, template, {"page": handler(**params)})

        signature = inspect.signature(handler)
        parameters = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)]
        parameters += [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()
        ]
        html.__signature__ = signature.replace(parameters=parameters, return_annotation=HTMLResponse)  # type: ignore[attr-defined]
        router.add_api_route(path, html, methods=["GET"], response_class=HTMLResponse, include_in_schema=False, name=handler.__name__)
        return handler

    return register
