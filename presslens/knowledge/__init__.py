"""Knowledge bases loaded from the versioned data files under presslens/data."""

from presslens.knowledge.actors import ActorEntry, ActorKnowledge, check_actor_files, load_actor_knowledge
from presslens.knowledge.names import actor_id, slug

__all__ = ["ActorEntry", "ActorKnowledge", "actor_id", "check_actor_files", "load_actor_knowledge", "slug"]
