"""A pure function from a cleaned Article and its analyzed Doc to an ArticleRecord."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from spacy.tokens import Doc, Span

from presslens.clean.article import Article
from presslens.nlp.outputs import FramingOut, QuotesOut, TechniqueOut
from presslens.nlp.spans import sentence_span
from presslens.record.models import ArticleRecord


def from_article(article: Article, doc: Doc | None = None) -> ArticleRecord:
    """Build the record, reading each component's typed ``Doc._`` output once; without a Doc, metadata and text only.

    The fields are gathered as plain data and validated in one pydantic call (one pass in Rust
    instead of one model per item).

    Raises:
        ValueError: when the Doc's text is not the article's cleaned text, or (a pydantic
            ValidationError) when a component's output breaks the contract.
    """
    fields: dict[str, Any] = {
        "id": article.id,
        "source": article.source,
        "source_id": article.source_id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "author": article.author,
        "published": article.published,
        "lang": article.lang,
        "text": article.text,
        "warnings": list(article.warnings),
    }
    if doc is not None:
        if not _spans_text(doc, article.text):
            raise ValueError(f"Doc text differs from the cleaned text of article {article.id}")
        fields |= _analysis(doc)
        fields["warnings"] += [warning["message"] for warning in doc._.presslens_warnings or []]
    return ArticleRecord.model_validate(fields)


def _spans_text(doc: Doc, text: str) -> bool:
    """Whether the Doc's tokens cover exactly ``text`` (first and last token in place; ``doc.text`` would rebuild it)."""
    if not len(doc):
        return not text
    first, last = doc[0], doc[-1]
    end = last.idx + len(last.text_with_ws)
    return first.idx == 0 and end == len(text) and text.startswith(first.text) and text[last.idx : end] == last.text_with_ws


def _analysis(doc: Doc) -> dict[str, Any]:
    """The record fields held by the Doc: sentences, entities and the output of every presslens component."""
    sentences = list(doc.sents)
    starts = [sentence.start for sentence in sentences]
    bias = doc._.presslens_sentence_bias or [None] * len(sentences)
    quotes: QuotesOut = doc._.presslens_quotes or QuotesOut(quotes=[], sources=[])
    actors, places = _token_ids(doc, "presslens_actor"), _token_ids(doc, "presslens_place")
    return {
        "entities": [_entity(ent, bisect_right(starts, ent.start) - 1, actors, places) for ent in doc.ents],
        "sentences": [{"start": s, "end": e, "bias": b} for (s, e), b in zip(map(sentence_span, sentences), bias)],
        "actors": list((doc._.presslens_actors or {}).values()),
        "places": list((doc._.presslens_places or {}).values()),
        "events": doc._.presslens_events or [],
        "quotes": quotes["quotes"],
        "sources": quotes["sources"],
        "framing": _framing(doc._.presslens_framing or [], doc._.presslens_techniques or []),
    }


# The character offsets of the tokens with a Token extension set, in order, and the values set.
TokenIds = tuple[list[int], list[str]]


def _token_ids(doc: Doc, extension: str) -> TokenIds:
    """Every ``token._.presslens_actor`` (or ``_place``) that is set, read in one pass over the Doc's store.

    spaCy keeps Token extension values in ``doc.user_data`` under ``("._.", name, token.idx, None)``;
    reading them there costs one pass, where ``token._`` builds an object per token and access.
    """
    store: dict[Any, Any] = doc.user_data  # keys: strings, and (namespace, name, offset, None) tuples
    pairs: list[tuple[int, str]] = sorted(
        (key[2], value)
        for key, value in store.items()
        if type(key) is tuple and len(key) == 4 and key[:2] == ("._.", extension) and key[3] is None and value is not None
    )
    return [offset for offset, _ in pairs], [value for _, value in pairs]


def _entity(ent: Span, sentence: int, actors: TokenIds, places: TokenIds) -> dict[str, Any]:
    """One entity mention, linked to the actor and place its tokens were resolved to."""
    return {
        "start": ent.start_char,
        "end": ent.end_char,
        "text": ent.text,
        "label": ent.label_,
        "sentence": sentence,
        "actor_id": _first_id(ent, actors),
        "place_id": _first_id(ent, places),
    }


def _first_id(ent: Span, ids: TokenIds) -> str | None:
    """The id of the first token of ``ent`` that lies inside a mention, if any."""
    offsets, values = ids
    i = bisect_left(offsets, ent.start_char)
    return values[i] if i < len(offsets) and offsets[i] < ent.end_char else None


def _framing(items: list[FramingOut], techniques: list[TechniqueOut]) -> list[dict[str, Any]]:
    """The framing items, each with the technique label ``presslens_techniques`` gave it (by index)."""
    labels = {technique["framing"]: technique["technique"] for technique in techniques}
    return [{**item, "technique": labels.get(n, item.get("technique"))} for n, item in enumerate(items)]
