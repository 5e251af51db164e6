"""The sourcing profile of an article: who speaks, how much, and how often only second-hand (computed once, here)."""

from __future__ import annotations

from presslens.analyzers.quotes.marks import WORD
from presslens.nlp.outputs import ActorOut, QuoteOut, SourceOut


def sources(quotes: list[QuoteOut], actors: dict[str, ActorOut]) -> list[SourceOut]:
    """One entry per quoted speaker, most quoted words first: quotes, words, direct (or mixed) and relayed counts.

    Args:
        quotes: the article's quotes; unattributed ones count for nobody.
        actors: the article's actors by id (a speaker's name and country come from there).

    Returns:
        Speakers sorted by quoted words (descending), then id; ``second_hand_only`` when every
        quote of the speaker is relayed through another source.
    """
    per_speaker: dict[str, SourceOut] = {}
    for quote in quotes:
        speaker = quote["speaker"]
        if speaker is None:
            continue
        actor = actors.get(speaker)
        entry = per_speaker.setdefault(speaker, {
            "speaker": speaker,
            "name": actor.get("name", speaker) if actor else speaker,
            "country": actor.get("country") if actor else None,
            "quotes": 0, "words": 0, "direct": 0, "relayed": 0, "second_hand_only": False,
        })
        entry["quotes"] += 1
        entry["words"] += len(WORD.findall(quote["text"]))
        entry["direct"] += quote["kind"] in ("direct", "mixed")
        entry["relayed"] += quote["attributed_via"] is not None
    for entry in per_speaker.values():
        entry["second_hand_only"] = entry["relayed"] == entry["quotes"]
    return sorted(per_speaker.values(), key=lambda e: (-e["words"], e["speaker"]))
