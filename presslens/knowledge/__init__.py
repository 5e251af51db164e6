"""Knowledge bases loaded from the versioned data files under presslens/data."""

from presslens.knowledge.actors import ActorEntry, ActorKnowledge, check_actor_files, load_actor_knowledge, slug

__all__ = ["ActorEntry", "ActorKnowledge", "check_actor_files", "load_actor_knowledge", "slug"]
