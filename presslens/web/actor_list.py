"""The actor list: actor ids with their articles and mentions, most first (the /actors pages and the overview's top actors)."""

from __future__ import annotations

from pydantic import BaseModel

from presslens.web.db import Queries
from presslens.web.listing import Window

# A page of actor ids with their articles and mentions (an id is one actor, once per article: the record keys its actors
# by id), then the most frequent name, kind, country and CAMEO code of just those ids.
ACTORS = """
WITH counted AS (
    SELECT id, count(*) AS articles, sum(len(mentions)) AS mentions
    FROM actors
    WHERE ($1::VARCHAR IS NULL OR contains(lower(name), $1) OR contains(id, $1)) AND ($2::VARCHAR IS NULL OR kind = $2)
    GROUP BY id ORDER BY articles DESC, mentions DESC, id LIMIT $3 OFFSET $4
), named AS (
    SELECT id, mode(name) AS name, mode(kind) AS kind, mode(country) AS country, mode(cameo) AS cameo
    FROM actors WHERE id IN (SELECT id FROM counted) GROUP BY id
)
SELECT counted.id, named.name, named.kind, named.country, named.cameo, counted.articles, counted.mentions
FROM counted JOIN named USING (id)
ORDER BY counted.articles DESC, counted.mentions DESC, counted.id
"""
TOTAL = """
SELECT count(DISTINCT id) FROM actors
WHERE ($1::VARCHAR IS NULL OR contains(lower(name), $1) OR contains(id, $1)) AND ($2::VARCHAR IS NULL OR kind = $2)
"""


class ActorRow(BaseModel):
    """An actor of the list, with the articles it appears in and its mentions."""

    id: str
    name: str
    kind: str
    country: str | None
    cameo: str | None
    articles: int
    mentions: int


def actor_rows(store: Queries, match: str | None, kind: str | None, window: Window) -> list[ActorRow]:
    """A page of the actors whose name or id contains ``match`` (lower case) and of ``kind``, most articles first."""
    return [ActorRow.model_validate(row) for row in store.rows(ACTORS, [match, kind, *window])]


def actor_total(store: Queries, match: str | None, kind: str | None) -> int:
    """How many actors have a name or id containing ``match`` (lower case) and are of ``kind``."""
    return store.count(TOTAL, [match, kind])
