"""Cleaning: from a RawDoc to the Article text that every later offset refers to."""

from presslens.clean.article import Article, clean

__all__ = ["Article", "clean"]
