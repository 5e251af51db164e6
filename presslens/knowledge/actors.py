"""The actor dictionary: load and validate presslens/data/actors once, and build its lookup tables."""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from presslens.knowledge.names import actor_id

logger = logging.getLogger(__name__)

Row = tuple[str, dict[str, Any]]  # an entry row labelled with where it comes from ("states.jsonl:3", "extra:1")

# A lower-case slug in any script (presslens.knowledge.names.actor_id).
_SLUG = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
_CAMEO = re.compile(r"^(?:[A-Z]{3})+$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Role(_Model):
    """An office a person held, with its dates (``to`` null: still held)."""

    title: str
    office: str | None = Field(None, description='the common noun used in descriptions, e.g. "president"')
    affiliation: str | None = Field(None, description="actor id of the organisation or state")
    cameo: str | None = None
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")

    def active(self, when: date) -> bool:
        """Whether the role was held on ``when`` (start inclusive, end exclusive)."""
        return (self.start is None or self.start <= when) and (self.end is None or when < self.end)


class ActorEntry(_Model):
    """One dictionary entry: a canonical actor with its surface forms and provenance."""

    id: str
    name: str
    kind: str
    country: str | None = None
    cameo: str | None = None
    aliases: list[str] = []
    roles: list[Role] = []
    provenance: str

    @field_validator("name", "provenance")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    def role_at(self, when: date | None) -> Role | None:
        """The role held on ``when``; without a date (or none held then) the latest role."""
        if when is not None:
            for role in self.roles:
                if role.active(when):
                    return role
        return max(self.roles, key=lambda r: r.start or date.min, default=None)


class Agent(_Model):
    """An agent noun ("forces") that, after a state's name, denotes one of its institutions."""

    noun: str
    code: str
    kind: str
    name: str = Field(description='name template of the institution when none is in the dictionary: "{country}"')
    provenance: str


class Manifest(_Model):
    """manifest.yaml: the files, the closed vocabularies and the description rules."""

    version: int
    files: list[str]
    kinds: list[str]
    cameo_prefixes: list[str]
    anaphors: dict[str, list[str]]
    representatives: list[str]
    leader_institutions: list[str]
    compound_suffixes: list[str]
    not_actor_heads: list[str]
    person_titles: list[str]


@dataclass
class ActorKnowledge:
    """The loaded dictionary with its lookup tables."""

    manifest: Manifest
    entries: dict[str, ActorEntry]
    agents: dict[str, Agent]
    cameo_segments: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict)  # surface form -> actor id (first entry wins)
    states: dict[str, str] = field(default_factory=dict)  # ISO alpha-3 -> state actor id
    institutions: dict[tuple[str, str], str] = field(default_factory=dict)  # (cameo, kind) -> actor id
    offices: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (country, office) -> person ids

    def office_holder(self, country: str, office: str, when: date | None) -> str | None:
        """The person holding ``office`` of ``country`` on ``when`` (else the latest holder)."""
        people = [self.entries[i] for i in self.offices.get((country, office), [])]
        if when is not None:
            for person in people:
                if any(r.office == office and r.active(when) for r in person.roles):
                    return person.id
        latest = [(r.start or date.min, p.id) for p in people for r in p.roles if r.office == office]
        return max(latest)[1] if latest else None


def data_dir() -> Path:
    """The bundled presslens/data/actors folder."""
    return Path(str(resources.files("presslens") / "data" / "actors"))


def read_entries(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The JSON objects of a JSONL file with their 1-based line numbers (blank and # lines skipped)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append((number, json.loads(line)))
    return rows


def _file_rows(paths: Iterable[Path]) -> list[Row]:
    """The entry rows of JSONL files, each labelled "file:line"."""
    return [(f"{path.name}:{number}", row) for path in paths for number, row in read_entries(path)]


def actor_data(extra: Iterable[Row] = ()) -> dict[str, Any]:
    """The bundled dictionary as msgpack-safe data (raw rows), plus ``extra`` labelled rows after it."""
    folder = data_dir()
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    codes = json.loads((folder / "cameo_codes.json").read_text(encoding="utf-8"))
    entries = _file_rows(folder / name for name in manifest["files"])
    return {
        "manifest": manifest,
        "entries": [[where, row] for where, row in [*entries, *extra]],
        "agents": [row for _, row in read_entries(folder / "agents.jsonl")],
        "segments": sorted(codes["segments"]),
    }


def _validated(rows: Iterable[Sequence[Any]]) -> list[tuple[str, ActorEntry]]:
    """Entries of labelled rows (raises ValueError naming the row of the first invalid one)."""
    entries = []
    for where, row in rows:
        try:
            entries.append((where, ActorEntry.model_validate(row)))
        except ValidationError as error:
            raise ValueError(f"{where}: {error}") from error
    return entries


def build_actor_knowledge(data: dict[str, Any]) -> ActorKnowledge:
    """The lookup tables of ``actor_data`` output, every entry validated (ValueError on a bad one)."""
    manifest = Manifest.model_validate(data["manifest"])
    entries: dict[str, ActorEntry] = {}
    for _, entry in _validated(data["entries"]):
        entries.setdefault(entry.id, entry)
    agents = {agent.noun: agent for agent in map(Agent.model_validate, data["agents"])}
    knowledge = ActorKnowledge(manifest, entries, agents, frozenset(data["segments"]))
    for entry in entries.values():
        for form in [entry.name, *entry.aliases]:
            knowledge.aliases.setdefault(form, entry.id)
        if entry.kind == "state" and entry.country:
            knowledge.states.setdefault(entry.country, entry.id)
        if entry.cameo and entry.kind != "person":
            knowledge.institutions.setdefault((entry.cameo, entry.kind), entry.id)
        for role in entry.roles:
            if role.office and entry.country:
                holders = knowledge.offices.setdefault((entry.country, role.office), [])
                if entry.id not in holders:
                    holders.append(entry.id)
    logger.debug("loaded %d actors, %d aliases", len(entries), len(knowledge.aliases))
    return knowledge


@lru_cache(maxsize=8)
def load_actor_knowledge(extra_files: tuple[str, ...] = ()) -> ActorKnowledge:
    """The bundled dictionary plus ``extra_files`` (JSONL), loaded once, validated (ValueError on a bad entry)."""
    return build_actor_knowledge(actor_data(_file_rows(Path(p) for p in extra_files)))


def checked_extra_rows(rows: Iterable[dict[str, Any]]) -> list[Row]:
    """A user's extra entry rows (``[initialize.components.presslens_actors] extra``) labelled, checked.

    Raises:
        ValueError: the problems ``presslens actors check`` would report for these rows.
    """
    labelled = [(f"extra:{number}", row) for number, row in enumerate(rows, start=1)]
    data = actor_data(labelled)
    loaded: list[tuple[str, ActorEntry]] = []
    problems = _schema_problems(data["entries"], loaded)
    problems += _dictionary_problems(loaded, Manifest.model_validate(data["manifest"]), frozenset(data["segments"]))
    if problems:
        raise ValueError("; ".join(problems))
    return labelled


def _check_entry(
    entry: ActorEntry, where: str, manifest: Manifest, countries: set[str], segments: frozenset[str]
) -> list[str]:
    """The problems of one entry (the schema already holds)."""
    problems = []
    if not _SLUG.match(entry.id) or entry.id != entry.id.lower():
        problems.append(f"{where}: id {entry.id!r} is not a lower-case slug")
    elif entry.id != actor_id(entry.name):
        problems.append(f"{where}: id {entry.id!r} is not the slug of its name ({actor_id(entry.name)!r})")
    if entry.kind not in manifest.kinds:
        problems.append(f"{where}: unknown kind {entry.kind!r} (known: {', '.join(manifest.kinds)})")
    if entry.country is not None and entry.country not in countries:
        problems.append(f"{where}: country {entry.country!r} is not an ISO 3166 alpha-3 code")
    for cameo in [entry.cameo, *(r.cameo for r in entry.roles)]:
        if cameo is not None and not _valid_cameo(cameo, manifest, countries, segments):
            problems.append(f"{where}: bad CAMEO actor code {cameo!r}")
    for role in entry.roles:
        if role.start and role.end and role.end < role.start:
            problems.append(f"{where}: role {role.title!r} ends before it starts")
    if entry.roles and entry.kind != "person":
        problems.append(f"{where}: only persons have roles")
    return problems


def _valid_cameo(code: str, manifest: Manifest, countries: set[str], segments: frozenset[str]) -> bool:
    if not _CAMEO.match(code):
        return False
    first, *rest = re.findall(r"[A-Z]{3}", code)
    return (first in countries or first in manifest.cameo_prefixes) and all(s in segments for s in rest)


def check_actor_files(paths: list[Path] | None = None) -> list[str]:
    """Problems in actor files (the bundled ones when ``paths`` is None, else the bundled ones plus ``paths``).

    Reports unreadable lines, schema errors, duplicate ids, unknown kinds, bad country and CAMEO
    codes, role affiliations that name no actor, and aliases claimed by two entries.
    """
    folder = data_dir()
    try:
        manifest = Manifest.model_validate(yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8")))
    except (OSError, ValidationError, yaml.YAMLError) as error:
        return [f"manifest.yaml: {error}"]
    codes = json.loads((folder / "cameo_codes.json").read_text(encoding="utf-8"))
    problems: list[str] = []
    rows: list[Row] = []
    for path in [folder / name for name in manifest.files] + list(paths or ()):
        try:
            rows += _file_rows([path])
        except (OSError, json.JSONDecodeError) as error:
            problems.append(f"{path.name}: {error}")
    loaded: list[tuple[str, ActorEntry]] = []
    problems += _schema_problems(rows, loaded)
    return problems + _dictionary_problems(loaded, manifest, frozenset(codes["segments"]))


def _schema_problems(rows: Iterable[Sequence[Any]], loaded: list[tuple[str, ActorEntry]]) -> list[str]:
    """Schema errors of labelled rows; the valid entries are appended to ``loaded``."""
    problems = []
    for where, row in rows:
        try:
            loaded.append((where, ActorEntry.model_validate(row)))
        except ValidationError as error:
            fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
            problems.append(f"{where}: {fields}")
    return problems


def _dictionary_problems(loaded: list[tuple[str, ActorEntry]], manifest: Manifest, segments: frozenset[str]) -> list[str]:
    """Problems across schema-valid entries: ids, kinds, codes, affiliations and aliases claimed twice."""
    problems: list[str] = []
    countries = {e.country for _, e in loaded if e.kind == "state" and e.country}
    ids: dict[str, str] = {}
    owners: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for where, entry in loaded:
        if entry.id in ids:
            problems.append(f"{where}: duplicate id {entry.id!r} (first at {ids[entry.id]})")
        ids.setdefault(entry.id, where)
        problems += _check_entry(entry, where, manifest, countries, segments)
        for form in dict.fromkeys([entry.name, *entry.aliases]):
            owners[form].append((entry.id, where))
    for where, entry in loaded:
        for role in entry.roles:
            if role.affiliation and role.affiliation not in ids:
                problems.append(f"{where}: role affiliation {role.affiliation!r} names no actor")
    for form, claims in owners.items():
        if len({i for i, _ in claims}) > 1:
            problems.append(f"alias {form!r} is claimed by {', '.join(f'{i} ({w})' for i, w in claims)}")
    return problems
