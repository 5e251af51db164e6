"""presslens analyzers: spaCy components registered as ``presslens_*`` factories."""
