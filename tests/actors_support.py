"""What the actor tests share: a text run through the configured pipeline up to presslens_actors."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

import presslens.analyzers.actors.component  # noqa: F401  (registers presslens_actors)


def run_actors(nlp: Language, text: str, published: str | None = None) -> Doc:
    """The text through the configured pipeline up to presslens_actors (the model's components and places first)."""
    doc = nlp.make_doc(text)
    if published:
        doc.user_data["published"] = published
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "presslens_actors":
            break
    return doc
