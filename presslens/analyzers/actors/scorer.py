"""presslens.actors_scorer.v1: are the gold actors found, and with the right country?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import spacy
from spacy.training import Example

from presslens.analyzers.component import Scorer


def actor_country(actor: dict[str, Any]) -> str | None:
    """An actor's country: the first three letters of its CAMEO code, else its ISO country."""
    cameo = actor.get("cameo")
    return cameo[:3] if cameo else actor.get("country")


def score_actors(examples: Iterable[Example]) -> dict[str, Any]:
    """Compare ``predicted._.presslens_actors`` with the gold actors of ``reference._.presslens_actors``.

    A gold actor with mentions is found when a predicted actor has a mention overlapping one of
    them; ``actors_found`` is the share found, ``actors_country_acc`` the share of the found ones
    whose country (CAMEO prefix, else ISO country) is the gold one. Both are None without gold.
    """
    gold = found = right = 0
    for example in examples:
        predicted = list((example.predicted._.presslens_actors or {}).values())
        for actor in (example.reference._.presslens_actors or {}).values():
            if not actor.get("mentions"):
                continue
            gold += 1
            match = next((p for p in predicted if _overlaps(p["mentions"], actor["mentions"])), None)
            if match is not None:
                found += 1
                right += actor_country(match) == actor_country(actor)
    return {
        "actors_found": round(found / gold, 4) if gold else None,
        "actors_country_acc": round(right / found, 4) if found else None,
    }


def _overlaps(spans: list[list[int]], others: list[list[int]]) -> bool:
    """Whether any character span of ``spans`` overlaps one of ``others``."""
    return any(a < d and c < b for a, b in spans for c, d in others)


@spacy.registry.scorers("presslens.actors_scorer.v1")
def make_actors_scorer() -> Scorer:
    """The actors scorer (``nlp.evaluate`` calls it through the component's ``score``)."""
    return score_actors
