"""presslens_actors: the actors component, split by job (matching, coref, roles, entities, records)."""
