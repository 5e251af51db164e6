"""Doc and Token extensions presslens components write to, registered once at import time."""

from __future__ import annotations

from spacy.tokens import Doc, Token

# One Doc extension per component, holding the typed shape of presslens.nlp.outputs (msgpack-safe,
# so Docs survive ``nlp.pipe(n_process>1)``). Components assign them; ``record.convert`` reads them.
# doc.user_data["published"] holds the article's publication date (ISO 8601 or None), set by
# the Pipeline before the components run, so relative dates ("on Thursday") can be resolved.
# Span groups: doc.spans["presslens_actors"] and doc.spans["presslens_places"] hold one Span per
# mention, whose label_ is the actor or place id; doc.spans["presslens_quotes"] one per quotation,
# labelled with its kind. They are written together with the Doc extension of the same name, so a
# component declares ``requires=["doc._.presslens_actors"]`` for both.
DOC_EXTENSIONS: dict[str, str] = {
    "presslens_warnings": "presslens_textcheck: list[TextWarning]",
    "presslens_places": "presslens_places: dict[place id, PlaceOut]",
    "presslens_actors": "presslens_actors: dict[actor id, ActorOut]",
    "presslens_events": "presslens_events: list[EventOut]",
    "presslens_quotes": "presslens_quotes: QuotesOut (quotes and the sourcing profile)",
    "presslens_sentence_bias": "presslens_bias: list[float], one per doc.sents sentence",
    "presslens_framing": "presslens_framing: list[FramingOut]",
    "presslens_techniques": "presslens_techniques: list[TechniqueOut]",
}
# The actor or place id of each token inside a mention (one index, built by the component that resolves them).
TOKEN_EXTENSIONS: dict[str, str] = {
    "presslens_actor": "presslens_actors: actor id of the mention the token is in, or None",
    "presslens_place": "presslens_places: place id of the mention the token is in, or None",
}


def register_extensions() -> None:
    """Declare the presslens Doc and Token extensions (idempotent)."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in TOKEN_EXTENSIONS:
        if not Token.has_extension(name):
            Token.set_extension(name, default=None)


register_extensions()
