"""The typed output of the actors component: one ``ActorOut`` per actor, in order of first mention."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from presslens.analyzers.actors.mentions import Mention, Resolution
from presslens.knowledge.actors import ActorEntry
from presslens.nlp.outputs import ActorOut


def actor_records(doc: Doc, mentions: list[Mention], when: date | None, res: Resolution) -> dict[str, ActorOut]:
    """Every actor mentioned, by id, in order of first mention.

    An organisation or state a person is affiliated with is listed too, with no mentions when
    the article never names it, so every affiliation id resolves within the record.
    """
    records: dict[str, ActorOut] = {}
    for mention in mentions:
        entry = res.entry(mention.actor)
        record = records.get(entry.id) or _record(entry, when, records)
        if record["role"] is None and mention.role and entry.kind == "person":
            record["role"] = mention.role
        if mention.affiliation and (record["affiliation"] is None or entry.id not in res.kb.entries):
            record["affiliation"] = mention.affiliation
            if record["country"] is None:  # a person the dictionary lacks takes the affiliation's country
                _inherit(record, res.entry(mention.affiliation))
        span = doc[mention.start : mention.end]
        if span.text not in record["aliases"] and not (len(span) == 1 and span[0].pos_ == "PRON"):  # "she" is no name
            record["aliases"].append(span.text)
        record["mentions"].append([span.start_char, span.end_char])
    for record in list(records.values()):
        if record["kind"] == "person" and record["cameo"] is None and record["role"] and record["country"]:
            code, _ = res.kb.title_code(record["role"].lower().split())  # "spokesman" of a Colombian group
            record["cameo"] = record["country"] + code if code else None
        if record["kind"] == "person" and record["cameo"] is None and record["country"] and record["id"] in res.kb.entries:
            record["cameo"] = record["country"] + "ELI"  # a dictionary person holding no office then: an elite, as Phoenix codes them
        affiliation = record["affiliation"]
        if affiliation and affiliation not in records:
            known = res.known(affiliation)
            if known is None:
                record["affiliation"] = None
            else:
                _record(known, when, records)
    return records


def _inherit(record: ActorOut, affiliation: ActorEntry) -> None:
    """Country and CAMEO code of a person from their affiliation: a state's office-holder is its government."""
    record["country"] = affiliation.country
    if affiliation.kind == "state" and affiliation.country:
        record["cameo"] = affiliation.country + "GOV"
    else:
        record["cameo"] = affiliation.cameo


def _record(entry: ActorEntry, when: date | None, records: dict[str, ActorOut]) -> ActorOut:
    """Start the output record of ``entry`` (no aliases or mentions yet) in ``records``."""
    role = entry.role_at(when)
    records[entry.id] = {
        "id": entry.id, "name": entry.name, "kind": entry.kind, "country": entry.country,
        "cameo": (role.cameo if role else None) or entry.cameo,
        "role": role.title if role else None, "affiliation": role.affiliation if role else None,
        "aliases": [], "mentions": [],
    }
    return records[entry.id]
