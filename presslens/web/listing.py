"""Paging and name search shared by the list pages: ``?limit=&offset=`` with the configured page size, ``?q=``."""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Annotated, Any, NamedTuple
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from pydantic import BaseModel, ConfigDict, model_validator

from presslens.nlp.outputs import PloverType
from presslens.web.db import Queries

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000  # past any store's rows, within DuckDB's integers
PLOVER_TYPES: list[str] = list(typing.get_args(PloverType))


class Window(NamedTuple):
    """Which rows of a list to show: ``limit`` rows from ``offset``."""

    limit: int
    offset: int


def window(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="rows per page (default: [web] page_size)")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")] = 0,
) -> Window:
    """The requested rows, ``[web] page_size`` of them unless ``limit`` says fewer or more (a FastAPI dependency)."""
    return Window(limit or request.app.state.settings.web.page_size, offset)


Paging = Annotated[Window, Depends(window)]
Search = Annotated[str | None, Query(max_length=200, description="part of the name or id, any case")]


class FormFilters(BaseModel):
    """A list page's filter form: every filter given must hold, and a blank form field is no filter."""

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        """A blank field of the filter form means no filter."""
        return {k: v for k, v in data.items() if v != ""} if isinstance(data, dict) else data

    def clauses(self) -> list[tuple[str, Any]]:
        """(SQL condition, value) for each filter: a ``?`` takes the value; a condition without one holds when its value is True."""
        raise NotImplementedError

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause (fixed text) of the filters given, and its parameters."""
        given = [(sql, value) for sql, value in self.clauses() if value is not None and value is not False]
        text = " AND ".join(sql for sql, _ in given)
        return (f"WHERE {text}" if text else ""), [value for sql, value in given if "?" in sql]

    def query(self) -> str:
        """The filters as a URL query string (the pager's and the downloads' links)."""
        values = self.model_dump(by_alias=True, exclude_defaults=True, mode="json")
        return urlencode({k: "true" if v is True else v for k, v in values.items()})


class TypeCount(BaseModel):
    """A PLOVER event type and how many events have it (in a dyad, at a place, in the store)."""

    type: str
    events: int


class ArticleMentions(BaseModel):
    """An article naming an actor or a place, and how often (the lists of their pages)."""

    id: str
    title: str | None
    outlet: str | None
    published: datetime | None
    mentions: int


class Choices(BaseModel):
    """The values a filter form offers: the PLOVER types and the stored outlets."""

    types: list[str]
    outlets: list[str]


def choices(store: Queries) -> Choices:
    """The filter form's values, read from the store."""
    return Choices(types=PLOVER_TYPES, outlets=outlets(store))


def outlets(store: Queries) -> list[str]:
    """The outlets of the stored articles, in order (the filter forms offer them)."""
    return [row["outlet"] for row in store.rows("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet LIMIT ?", [MAX_LIMIT])]


def needle(q: str | None) -> str | None:
    """The search text as matched (trimmed, lower case), or None when there is none."""
    return q.strip().lower() or None if q else None
