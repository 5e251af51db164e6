"""/articles: search over titles, texts and actor names with filters; /articles/{id}: one record with every layer in place."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from presslens.nlp.outputs import PloverType
from presslens.record.models import ArticleRecord
from presslens.web.article_view import LAYERS, article_view
from presslens.web.listing import Choices, FormFilters, Paging, choices
from presslens.web.pages import TEMPLATES, StoreReader, page

router = APIRouter()

TEMPLATES.env.globals["article_view"] = article_view
TEMPLATES.env.globals["article_layers"] = LAYERS

MAX_WORDS = 10  # words of q that must match; the rest are ignored
SNIPPET_BEFORE = 80  # characters of text shown before the first match
SNIPPET_SIZE = 240
# The text of every actor of an article (names and aliases, lowercased), one per line: what q's words match as actors.
NAMES = (
    "SELECT article_id, lower(string_agg(name || chr(10) || array_to_string(coalesce(aliases, []), chr(10)), chr(10))) AS names "
    "FROM actors GROUP BY article_id"
)
# Per article, over q's distinct lowercased words w: words in the title, words matching an actor, occurrences in the
# text, words matching anywhere, and the first match in the text (1-based).
HITS = (
    "SELECT a.id, "
    "count(*) FILTER (WHERE contains(lower(coalesce(a.title, '')), w.w)) AS title_hits, "
    "count(*) FILTER (WHERE contains(coalesce(n.names, ''), w.w)) AS actor_hits, "
    "sum((length(lower(a.text)) - length(replace(lower(a.text), w.w, ''))) // length(w.w)) AS text_hits, "
    "count(*) FILTER (WHERE contains(lower(coalesce(a.title, '')), w.w) OR contains(lower(a.text), w.w) "
    "OR contains(coalesce(n.names, ''), w.w)) AS matched, "
    "min(nullif(strpos(lower(a.text), w.w), 0)) AS first "
    "FROM articles a LEFT JOIN names n ON n.article_id = a.id CROSS JOIN w"
)
RECENT = "ORDER BY a.published DESC NULLS LAST, a.id"
RANKED = "ORDER BY h.title_hits DESC, h.actor_hits DESC, h.text_hits DESC, a.published DESC NULLS LAST, a.id"


class ArticleFilters(FormFilters):
    """Which articles to list; every filter given must hold (blank form fields are no filter)."""

    q: str | None = Field(None, max_length=1000, description="words that must each occur in the title, the text or an actor's name or alias")
    outlet: str | None = Field(None, description="the outlet, exactly")
    from_: date | None = Field(None, alias="from", description="first publication day")
    to: date | None = Field(None, description="last publication day")
    actor: str | None = Field(None, description="an actor id the article mentions")
    type: PloverType | None = Field(None, description="a PLOVER type of an event in the article")

    def words(self) -> list[str]:
        """The first ``MAX_WORDS`` distinct words of q, lowercased."""
        return list(dict.fromkeys(self.q.lower().split()))[:MAX_WORDS] if self.q else []

    def clauses(self) -> list[tuple[str, Any]]:
        """The filters as conditions on articles ``a``."""
        return [
            ("a.outlet = ?", self.outlet),
            ("CAST(a.published AS DATE) >= ?", self.from_),
            ("CAST(a.published AS DATE) <= ?", self.to),
            ("EXISTS (SELECT 1 FROM actors x WHERE x.article_id = a.id AND x.id = ?)", self.actor),
            ("EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id AND e.type = ?)", self.type),
        ]


class ArticleRow(BaseModel):
    """One article found: what the result list shows."""

    id: str
    title: str | None
    outlet: str | None
    published: datetime | None
    snippet: str = Field(description="plain text around the first match in the text (the text's start without one)")


class ArticlesPage(BaseModel):
    """One page of the articles found, best match first (newest first without q), and their total."""

    filters: ArticleFilters
    query: str = Field(description="the filters as a URL query string")
    total: int
    limit: int
    offset: int
    articles: list[ArticleRow]
    choices: Choices


@page(router, "/articles", "articles.html")
def articles(
    filters: Annotated[ArticleFilters, Query()],
    store: StoreReader,
    paging: Paging,
) -> ArticlesPage:
    """Articles whose title, text or actors match every word of q, ranked by title, actor then text matches; filtered."""
    where, params = filters.where()
    words = filters.words()
    if words:
        found = f"WITH w AS (SELECT DISTINCT lower(unnest(?::VARCHAR[])) AS w), names AS ({NAMES}), h AS ({HITS} {where} GROUP BY a.id) "
        matched = "h.matched = (SELECT count(*) FROM w)"
        params = [words, *params]
        count = f"{found} SELECT count(*) FROM h WHERE {matched}"
        select = f"{found} SELECT {_columns('h.first')} FROM h JOIN articles a ON a.id = h.id WHERE {matched} {RANKED} LIMIT ? OFFSET ?"
    else:
        count = f"SELECT count(*) FROM articles a {where}"
        select = f"SELECT {_columns('NULL')} FROM articles a {where} {RECENT} LIMIT ? OFFSET ?"
    with store.session() as session:
        total = session.count(count, params)
        rows = session.rows(select, [*params, paging.limit, paging.offset])
        options = choices(session)
    return ArticlesPage(
        filters=filters,
        query=filters.query(),
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        articles=[_row(row) for row in rows],
        choices=options,
    )


@page(router, "/articles/{article_id}", "article.html")
def article(article_id: Annotated[str, Path(max_length=200, description="the article's id (sha256 of its text)")], store: StoreReader) -> ArticleRecord:
    """The article's record exactly as `presslens analyze` gave it; its page shows every layer in the text."""
    return store.record(article_id)


def _columns(first: str) -> str:
    """The result columns, with the excerpt of the text around ``first`` (1-based; NULL: the text's start)."""
    start = f"greatest(coalesce({first}, 1) - {SNIPPET_BEFORE}, 1)"
    return (
        f"a.id, a.title, a.outlet, a.published, {start} AS excerpt_start, length(a.text) AS size, "
        f"substring(a.text, {start}, {SNIPPET_SIZE}) AS excerpt"
    )


def _row(row: dict[str, Any]) -> ArticleRow:
    """A result row with its snippet: the excerpt on one line, cut at words, with … where the text goes on."""
    before = row["excerpt_start"] > 1
    after = row["excerpt_start"] - 1 + SNIPPET_SIZE < row["size"]
    words = row["excerpt"].split()
    words = words[1 if before and len(words) > 2 else 0 : -1 if after and len(words) > 2 else None]
    snippet = ("… " if before else "") + " ".join(words) + (" …" if after else "")
    return ArticleRow(id=row["id"], title=row["title"], outlet=row["outlet"], published=row["published"], snippet=snippet)
