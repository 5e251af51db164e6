"""Doc extensions presslens components write to, registered once at import time."""

from __future__ import annotations

from spacy.tokens import Doc

# Every extension holds msgpack-safe values (dicts, strings, offsets) so that Docs survive
# ``nlp.pipe(n_process>1)``. Components assign them; ``record.convert`` reads them.
# doc.user_data["published"] holds the article's publication date (ISO 8601 or None), set by
# the Pipeline before the components run, so relative dates ("on Thursday") can be resolved.
# Span groups: doc.spans["presslens_actors"] and doc.spans["presslens_places"] hold one Span per
# mention, whose label_ is the actor or place id; doc.spans["presslens_quotes"] one per quotation,
# labelled with its kind.
EXTENSIONS: dict[str, object] = {
    "presslens_warnings": None,  # list[dict]: {"message", "start", "end"} found in the text
    "presslens_actors": None,  # dict[id, dict]: fields of record.models.Actor (mentions included)
    "presslens_places": None,  # dict[id, dict]: fields of record.models.Place (mentions included)
    "presslens_events": None,  # list[dict]: fields of record.models.Event
    "presslens_quotes": None,  # list[dict]: fields of record.models.Quote
    "presslens_sentence_bias": None,  # list[float]: bias probability per doc.sents sentence
    "presslens_framing": None,  # list[dict]: fields of record.models.Framing
}


def register_extensions() -> None:
    """Declare the presslens Doc extensions (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
