"""Pure functions from a cleaned Article (and its spaCy Doc) to an ArticleRecord."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from presslens.clean.article import Article
from presslens.nlp.spans import sentence_span
from presslens.analyzers.quotes import sourcing_profile
from presslens.record.models import Actor, ArticleRecord, Entity, Event, Framing, Place, Quote, Sentence, Source


def from_article(article: Article, doc: Doc | None = None) -> ArticleRecord:
    """Build the record; without a Doc (an article not analyzed) only the metadata and text are set."""
    record = ArticleRecord(
        id=article.id,
        source=article.source,
        source_id=article.source_id,
        title=article.title,
        url=article.url,
        outlet=article.outlet,
        author=article.author,
        published=article.published,
        lang=article.lang,
        text=article.text,
        warnings=list(article.warnings),
    )
    if doc is None:
        return record
    if doc.text != article.text:
        raise ValueError(f"Doc text differs from the cleaned text of article {article.id}")
    sentences = list(doc.sents)
    sentence_of = {token.i: n for n, sent in enumerate(sentences) for token in sent}
    actor_at = _ids_by_token(doc, "presslens_actors")
    place_at = _ids_by_token(doc, "presslens_places")
    record.entities = [
        Entity(
            start=ent.start_char,
            end=ent.end_char,
            text=ent.text,
            label=ent.label_,
            sentence=sentence_of[ent.start],
            actor_id=_first(actor_at, ent),
            place_id=_first(place_at, ent),
        )
        for ent in doc.ents
    ]
    bias = doc._.presslens_sentence_bias or [None] * len(sentences)
    record.sentences = [Sentence(start=s, end=e, bias=b) for (s, e), b in zip(map(sentence_span, sentences), bias)]
    record.actors = [Actor(**actor) for actor in (doc._.presslens_actors or {}).values()]
    record.places = [Place(**place) for place in (doc._.presslens_places or {}).values()]
    record.events = [Event(**event) for event in doc._.presslens_events or []]
    record.quotes = [Quote(**quote) for quote in doc._.presslens_quotes or []]
    if record.quotes:
        profile = sourcing_profile(doc._.presslens_quotes, doc._.presslens_actors or {})
        second_hand = set(profile["second_hand_only"])
        record.sources = [Source(**s, second_hand_only=s["speaker"] in second_hand) for s in profile["speakers"]]
    record.framing = [Framing(**f) for f in doc._.presslens_framing or []]
    record.warnings += [w["message"] for w in doc._.presslens_warnings or []]
    return record


def _ids_by_token(doc: Doc, group: str) -> dict[int, str]:
    """Token index -> id (the span label) for the spans of a presslens span group."""
    if group not in doc.spans:
        return {}
    return {i: span.label_ for span in doc.spans[group] for i in range(span.start, span.end)}


def _first(ids: dict[int, str], ent: Span) -> str | None:
    """The id of the first token of ``ent`` covered by a span of the group, if any."""
    return next((ids[i] for i in range(ent.start, ent.end) if i in ids), None)

