"""The actor dictionary: load and validate presslens/data/actors once, and build its lookup tables."""

from __future__ import annotations

import gzip
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
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from presslens.knowledge.names import actor_id

logger = logging.getLogger(__name__)

Row = tuple[str, dict[str, Any]]  # an entry row labelled with where it comes from ("states.jsonl:3", "extra:1")

# A lower-case slug in any script (presslens.knowledge.names.actor_id).
_SLUG = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
_CAMEO = re.compile(r"^(?:[A-Z]{3})+$")
PHOENIX = "Phoenix."  # provenance prefix of the entries generated from the Phoenix files


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
    source: str | None = Field(None, description='where the dates come from: "English Wikipedia: List of ..."')

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
        """The role held on ``when`` (the first listed, as PETRARCH reads dated codes); without a date the latest.

        A person holding none of their roles on ``when`` and with no undated code is a former
        office-holder: the latest role ended by then, coded as an elite of their country
        (CAMEO ``ELI``, as PETRARCH codes former leaders); a role not yet begun is never used.
        """
        if when is None:
            return max(self.roles, key=lambda r: r.start or date.min, default=None)
        for role in self.roles:
            if role.active(when):
                return role
        ended = [r for r in self.roles if r.end is not None and r.end <= when]
        if self.cameo or not ended:
            return None
        last = max(ended, key=lambda r: r.end or date.min)
        return Role.model_validate({"title": f"former {last.title}", "affiliation": last.affiliation,
                                    "cameo": self.country + "ELI" if self.country else None})


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
    office_synonyms: dict[str, str] = {}
    title_countries: dict[str, str] = {}
    title_abbreviations: dict[str, str] = {}
    national_bodies: dict[str, tuple[str, str]] = {}
    extra_titles: dict[str, str] = {}
    name_markers: dict[str, list[str]] = {}


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
    offices: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (country or IGO id, office) -> persons
    titles: dict[str, str] = field(default_factory=dict)  # Phoenix agent title ("foreign minister") -> agent code
    name_markers: dict[str, str] = field(default_factory=dict)  # word of a parenthesis after a name ("D", "Calif") -> country

    def title_code(self, words: Sequence[str]) -> tuple[str | None, str]:
        """The agent code of the longest (then last) known title among lower-case words, and that title.

        Abbreviations are read as their title first ("sen." -> "senator"): ["iran", "unification",
        "minister"] -> ("GOV", "unification minister").
        """
        texts = [self.manifest.title_abbreviations.get(w.rstrip("."), w.rstrip(".")) for w in words]
        for size in range(len(texts), 0, -1):
            for start in range(len(texts) - size, -1, -1):
                title = " ".join(texts[start : start + size])
                if title in self.titles:
                    return self.titles[title], title
        return None, ""

    def office(self, words: str) -> str:
        """The canonical office of a description's words ("defence secretary" -> "defense minister")."""
        return self.manifest.office_synonyms.get(words, words)

    def office_holder(self, country: str, office: str, when: date | None) -> str | None:
        """The person holding ``office`` of ``country`` (or of an IGO id) on ``when`` (else the latest holder)."""
        office = self.office(office)
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
    """The JSON objects of a JSONL file (gzip-compressed when named .gz) with their 1-based line numbers.

    Blank and # lines are skipped.
    """
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
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
    titles = json.loads((folder / "titles.json").read_text(encoding="utf-8"))["titles"]
    return {
        "titles": titles,
        "manifest": manifest,
        "entries": [[where, row] for where, row in [*entries, *extra]],
        "agents": [row for _, row in read_entries(folder / "agents.jsonl")],
        "segments": sorted(codes["segments"]),
    }


_ENTRIES = TypeAdapter(list[ActorEntry])  # one validation call for all rows: faster than one per row


def _validated(rows: Sequence[Sequence[Any]]) -> list[tuple[str, ActorEntry]]:
    """Entries of labelled rows (raises ValueError naming the row of the first invalid one)."""
    try:
        return list(zip([where for where, _ in rows], _ENTRIES.validate_python([row for _, row in rows])))
    except ValidationError as error:
        index = error.errors()[0]["loc"][0]
        raise ValueError(f"{rows[int(index)][0]}: {error}") from error


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
        if entry.cameo and entry.kind != "person" and not entry.provenance.startswith(PHOENIX):
            knowledge.institutions.setdefault((entry.cameo, entry.kind), entry.id)  # "Iranian forces": not one unit
        for role in entry.roles:
            key = _office_key(entry, role, entries)
            if key:
                holders = knowledge.offices.setdefault(key, [])
                if entry.id not in holders:
                    holders.append(entry.id)
    knowledge.titles = {title: code for title, (code, _) in data.get("titles", {}).items()}
    knowledge.titles |= manifest.extra_titles
    knowledge.name_markers = {word: country for country, words in manifest.name_markers.items() for word in words}
    unknown = set(manifest.name_markers) - set(knowledge.states)
    if unknown:
        raise ValueError(f"manifest name_markers: {sorted(unknown)} are not countries of the dictionary")
    logger.debug("loaded %d actors, %d aliases", len(entries), len(knowledge.aliases))
    return knowledge


def _office_key(entry: ActorEntry, role: Role, entries: dict[str, ActorEntry]) -> tuple[str, str] | None:
    """(country, office) of a state's office, (IGO id, office) of an IGO's ("nato", "secretary-general")."""
    if not role.office:
        return None
    owner = entries.get(role.affiliation or "")
    if owner is not None and owner.kind == "igo":
        return owner.id, role.office
    return (entry.country, role.office) if entry.country else None


def state_names() -> dict[str, str]:
    """The states' names by ISO alpha-3 code, from ``states.jsonl`` alone (the file the dictionary's states come from)."""
    entries = _validated(_file_rows([data_dir() / "states.jsonl"]))
    names: dict[str, str] = {}
    for _, entry in entries:
        if entry.kind == "state" and entry.country:
            names.setdefault(entry.country, entry.name)
    return names


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
    return problems + _overlapping_holders(loaded)


def _overlapping_holders(loaded: list[tuple[str, ActorEntry]]) -> list[str]:
    """Two persons holding one office of one country or IGO on the same day (a wrong date in a dated role)."""
    entries = {entry.id: entry for _, entry in loaded}
    terms: dict[tuple[str, str], list[tuple[date, date, str, str]]] = defaultdict(list)
    for where, entry in loaded:
        for role in entry.roles:
            key = _office_key(entry, role, entries)
            if key and role.start:
                terms[key].append((role.start, role.end or date.max, entry.id, where))
    problems = []
    for (owner, office), spans in terms.items():
        spans.sort()
        for (_, end, first, _), (start, _, second, where) in zip(spans, spans[1:]):
            if start < end and first != second:
                problems.append(f"{where}: {second} holds {office!r} of {owner} from {start} while {first} does")
    return problems
