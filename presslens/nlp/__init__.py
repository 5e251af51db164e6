"""The spaCy side of presslens: building the pipeline and the Doc extensions it fills."""

from presslens.nlp.build import load_nlp

__all__ = ["load_nlp"]
