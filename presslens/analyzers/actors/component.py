"""presslens_actors: resolve actor mentions (names, demonyms, descriptions) to canonical dictionary actors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

import presslens.analyzers.actors.scorer  # noqa: F401  (registers presslens.actors_scorer.v1)
from presslens.analyzers.actors.coref import descriptions
from presslens.analyzers.actors.entities import entities
from presslens.analyzers.actors.matching import NameMatcher
from presslens.analyzers.actors.mentions import Resolution
from presslens.analyzers.actors.records import actor_records
from presslens.analyzers.actors.roles import inside_role, roles
from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.knowledge.actors import ActorKnowledge, actor_data, build_actor_knowledge, checked_extra_rows

SPANS_KEY = "presslens_actors"


class ActorResolver(PresslensComponent):
    """Find actor mentions and resolve them to canonical actors with CAMEO codes, roles and affiliations.

    Writes ``doc.spans["presslens_actors"]`` (one span per mention, labelled with the actor id),
    ``doc._.presslens_actors`` (``ActorOut`` by id) and ``token._.presslens_actor`` for every token
    of a mention (the one actor-by-token index the later components read).
    """

    def __init__(self, nlp: Language, name: str, published: str | None, scorer: Scorer | None = None) -> None:
        super().__init__(nlp, name, scorer)
        self.tokenizer = nlp.tokenizer
        self.published = published

    def initialize(  # explicit, so spaCy validates [initialize.components.presslens_actors] against it
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        extra: Iterable[Any] | None = None,
    ) -> None:
        """Load the packaged dictionary plus ``extra``: entry rows, or several iterables of rows (one per reader)."""
        self._load(extra=extra)

    def load_data(self, extra: Iterable[Any] | None = None, **additions: Any) -> dict[str, Any]:
        """The packaged dictionary with the user's extra rows, checked like ``presslens actors check``."""
        rows = [row for item in extra or () for row in ([item] if isinstance(item, dict) else item)]
        return actor_data(checked_extra_rows(rows))

    def build(self) -> None:
        """The lookup tables and the phrase matcher of every alias."""
        assert self.data is not None
        self.kb: ActorKnowledge = build_actor_knowledge(self.data)
        self.names = NameMatcher(self.vocab, self.tokenizer, self.kb)

    def annotate(self, doc: Doc) -> Doc:
        """Set the mention spans, ``doc._.presslens_actors`` and ``token._.presslens_actor``."""
        when = self._date(doc)
        res = Resolution(self.kb)
        mentions = self.names.names(doc, when, res)
        parsed = doc.has_annotation("DEP")  # descriptions and roles need the parse
        if parsed:
            mentions = descriptions(doc, mentions, res)
        mentions += entities(doc, mentions, res)
        mentions.sort(key=lambda m: m.start)
        role_words = roles(doc, mentions, res) if parsed else set()
        mentions = [m for m in mentions if not inside_role(m, role_words, res)]
        doc.spans[SPANS_KEY] = [Span(doc, m.start, m.end, label=m.actor) for m in mentions]
        for mention in mentions:
            for token in doc[mention.start : mention.end]:
                token._.presslens_actor = mention.actor
        doc._.presslens_actors = actor_records(doc, mentions, when, res)
        return doc

    def _date(self, doc: Doc) -> date | None:
        """The publication date: Doc user_data "published", else the component's config, else None."""
        for value in (doc.user_data.get("published"), self.published):
            if isinstance(value, str) and len(value) >= 10:
                try:
                    return date.fromisoformat(value[:10])
                except ValueError:
                    continue
        return None


@Language.factory(
    "presslens_actors",
    assigns=["doc.spans", "doc._.presslens_actors", "token._.presslens_actor"],
    requires=["doc.ents", "token.dep", "token.tag", "token.lemma", "doc._.presslens_places", "token._.presslens_place"],
    default_config={"published": None, "scorer": {"@scorers": "presslens.actors_scorer.v1"}},
    default_score_weights={"actors_found": 0.5, "actors_country_acc": 0.5},
)
def make_actors(nlp: Language, name: str, published: str | None, scorer: Scorer | None) -> ActorResolver:
    """Build the actor resolver (``published`` is the fallback article date for office-holders)."""
    return ActorResolver(nlp, name, published, scorer)

