from __future__ import annotations

from presslens.analyzers.quotes.sourcing import sources
from presslens.nlp.outputs import ActorOut, QuoteKind, QuoteOut


def _quote(text: str, kind: QuoteKind, speaker: str | None, via: str | None) -> QuoteOut:
    return {"start": 0, "end": len(text), "text": text, "kind": kind, "speaker": speaker, "speaker_span": None,
            "cue": None, "attributed_via": via}


def _actor(actor_id: str, name: str, country: str) -> ActorOut:
    return {"id": actor_id, "name": name, "kind": "state", "country": country, "cameo": None, "role": None,
            "affiliation": None, "aliases": [], "mentions": []}


def test_analyzers_quotes_sourcing_counts_per_speaker() -> None:
    quotes = [
        _quote("one two three", "direct", "hamas", "al-akhbar"),
        _quote("four five", "indirect", "hamas", "al-akhbar"),
        _quote("six", "mixed", "egypt", None),
        _quote("seven eight", "indirect", None, None),
        _quote("nine", "indirect", "unknown-speaker", None),
    ]
    actors = {"hamas": _actor("hamas", "Hamas", "PSE"), "egypt": _actor("egypt", "Egypt", "EGY")}
    assert sources(quotes, actors) == [
        {"speaker": "hamas", "name": "Hamas", "country": "PSE", "quotes": 2, "words": 5, "direct": 1, "relayed": 2,
         "second_hand_only": True},
        {"speaker": "egypt", "name": "Egypt", "country": "EGY", "quotes": 1, "words": 1, "direct": 1, "relayed": 0,
         "second_hand_only": False},
        {"speaker": "unknown-speaker", "name": "unknown-speaker", "country": None, "quotes": 1, "words": 1,
         "direct": 0, "relayed": 0, "second_hand_only": False},
    ]
    assert sources([], {}) == []
