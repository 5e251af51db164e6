"""The spaCy side of presslens: the pipeline builder, the Doc extensions and their typed shapes.

Import ``presslens.nlp.build`` for ``load_nlp``; this package itself stays free of spaCy so that
``presslens.nlp.outputs`` can be read by commands that never load a model.
"""
