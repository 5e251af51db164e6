"""One module per page family; each defines ``router`` (its pages and their JSON twins)."""

from __future__ import annotations

from fastapi import APIRouter

from presslens.web.routes import (
    actors,
    analyze,
    articles,
    docs,
    events,
    overview,
    places,
    sql,
)

ROUTERS: list[APIRouter] = [overview.router, articles.router, actors.router, places.router, events.router, analyze.router, sql.router, docs.router]
