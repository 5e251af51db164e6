"""Pure functions from a cleaned Article (and its spaCy Doc) to an ArticleRecord."""

from __future__ import annotations

from spacy.tokens import Doc, Span

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
    sentences = list(doc.sents)
    sentence_of = {token.i: n for n, sent in enumerate(sentences) for token in sent}
    record.entities = [
        Entity(start=ent.start_char, end=ent.end_char, text=ent.text, label=ent.label_, sentence=sentence_of[ent.start])
        for ent in doc.ents
    ]
    record.sentences = [Sentence(start=start, end=end) for start, end in map(_trimmed, sentences)]
    record.warnings += [w["message"] for w in doc._.presslens_warnings or []]
    return record


def _trimmed(sent: Span) -> tuple[int, int]:
    """A sentence's character span without the whitespace tokens spaCy attaches to it."""
    tokens = [t for t in sent if not t.is_space] or list(sent)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])
