"""Pure functions from a cleaned Article (and its spaCy Doc) to an ArticleRecord."""

from __future__ import annotations

from spacy.tokens import Doc

from presslens.clean.article import Article
from presslens.record.models import ArticleRecord, Entity, Sentence


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
    record.entities = [
        Entity(start=ent.start_char, end=ent.end_char, text=ent.text, label=ent.label_) for ent in doc.ents
    ]
    record.sentences = [Sentence(start=sent.start_char, end=sent.end_char) for sent in doc.sents]
    record.warnings += [w["message"] for w in doc._.presslens_warnings or []]
    return record
