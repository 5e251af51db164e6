"""presslens_actors: resolve actor mentions (names, demonyms, descriptions) to canonical dictionary actors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

import presslens.analyzers.actors.scorer  # noqa: F401  (registers presslens.actors_scorer.v1)
from presslens.analyzers.actors.coref import resolve
from presslens.analyzers.actors.entities import entities
from presslens.analyzers.actors.matching import NameMatcher, mixed_case
from presslens.analyzers.actors.mentions import Resolution
from presslens.analyzers.actors.records import actor_records
from presslens.analyzers.actors.roles import inside_role, roles
from presslens.analyzers.component import PresslensComponent, Scorer
from presslens.knowledge.actors import ActorKnowledge, actor_data, build_actor_knowledge, checked_extra_rows
from presslens.nlp.outputs import TextWarning

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
        self.nlp = nlp  # its lemmatizer's word list is read at build time, once the model's tables are loaded

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
        """The lookup tables, the name matcher of every alias and the common English words (from the lemmatizer)."""
        assert self.data is not None
        self.kb: ActorKnowledge = build_actor_knowledge(self.data)
        self.names = NameMatcher(self.vocab, self.tokenizer, self.kb)
        self.common = _common_words(self.nlp)

    def annotate(self, doc: Doc) -> Doc:
        """Set the mention spans, ``doc._.presslens_actors`` and ``token._.presslens_actor``."""
        when = self._date(doc)
        res = Resolution(self.kb, mixed_case(doc), self.common)
        mentions = self.names.names(doc, when, res)
        parsed = doc.has_annotation("DEP")  # descriptions and roles need the parse
        mentions += entities(doc, mentions, res)
        mentions.sort(key=lambda m: m.start)
        if parsed:
            mentions = resolve(doc, mentions, res)
        role_words = roles(doc, mentions, res) if parsed else set()
        mentions = [m for m in mentions if not inside_role(m, role_words, res)]
        doc.spans[SPANS_KEY] = [Span(doc, m.start, m.end, label=m.actor) for m in mentions]
        for mention in mentions:
            for token in doc[mention.start : mention.end]:
                token._.presslens_actor = mention.actor
        doc._.presslens_actors = actor_records(doc, mentions, when, res)
        return doc

    def _date(self, doc: Doc) -> date:
        """The article's date for roles: ``published`` (Doc, then config), else a date near the top, else today.

        Falling back to today adds a warning to ``doc._.presslens_warnings``: office-holders are then
        resolved as of the day of analysis, which is wrong for an older article.
        """
        for value in (doc.user_data.get("published"), self.published):
            if isinstance(value, str) and len(value) >= 10:
                try:
                    return date.fromisoformat(value[:10])
                except ValueError:
                    continue
        found = text_date(doc[:_TOP_TOKENS].text)
        if found is not None:
            return found
        warning: TextWarning = {"message": "no publication date: actors' roles resolved as of today", "start": None,
                                "end": None}
        doc._.presslens_warnings = [*(doc._.presslens_warnings or []), warning]
        return date.today()


def _common_words(nlp: Language) -> frozenset[str]:
    """English words of the model's lemmatizer tables (WordNet's index), empty for a model without them."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    return frozenset(word for words in lookups.get_table("lemma_index").values() for word in words)


_TOP_TOKENS = 120  # a dateline or the first full date is within the first lines
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"], start=1)}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATES = [re.compile(p, re.IGNORECASE) for p in (
    r"\b(?P<year>(?:19|20)\d\d)-(?P<num>[01]\d)-(?P<day>[0-3]\d)(?!\d)",
    rf"\b{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b",
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b",
)]


def text_date(text: str) -> date | None:
    """The first explicit full date in ``text`` ("June 3, 2019", "3 June 2019", "2019-06-03"), else None."""
    found = []
    for pattern in _DATES:
        match = pattern.search(text)
        if match:
            parts = match.groupdict()
            month = int(parts["num"]) if parts.get("num") else _MONTHS[parts["month"][:3].lower()]
            try:
                found.append((match.start(), date(int(parts["year"]), month, int(parts["day"]))))
            except ValueError:
                continue
    return min(found)[1] if found else None


@Language.factory(
    "presslens_actors",
    assigns=["doc.spans", "doc._.presslens_actors", "token._.presslens_actor", "doc._.presslens_warnings"],
    requires=["doc.ents", "token.dep", "token.tag", "token.lemma", "doc._.presslens_places", "token._.presslens_place"],
    default_config={"published": None, "scorer": {"@scorers": "presslens.actors_scorer.v1"}},
    default_score_weights={"actors_found": 0.5, "actors_country_acc": 0.5},
)
def make_actors(nlp: Language, name: str, published: str | None, scorer: Scorer | None) -> ActorResolver:
    """Build the actor resolver (``published`` is the fallback article date for office-holders)."""
    return ActorResolver(nlp, name, published, scorer)

