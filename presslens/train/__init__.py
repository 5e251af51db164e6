"""Training code for the shipped models (needs the ``train`` or ``encoder`` extra); used by ``scripts/`` and ``presslens eval``.

Layer 8: it may import the analyzers whose featurizers it trains, never the evaluation or the edges.
"""
