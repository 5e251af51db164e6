"""Place knowledge: the GeoNames city extract plus curated places and their contested names, validated once."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from presslens.knowledge.names import ascii_fold, slug

EntLabel = Literal["GPE", "LOC", "FAC"]
Iso3 = str
_ISO3 = r"^[A-Z]{3}$"
_DATA = ("data", "places")
# Ayn/hamza letters that English spellings drop, and the dashes and dots folded away in lookup keys.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlaceName(_Model):
    """One name of a place and who uses it (a key of ``used_by`` in places.yaml)."""

    name: str = Field(min_length=1)
    used_by: str | None = None
    case_sensitive: bool | None = Field(None, description="default: True for one-word names, False otherwise")


class CuratedPlace(_Model):
    """A curated entry of places.yaml; a GeoNames id fills the fields it leaves out from cities.tsv."""

    name: str = Field(min_length=1, description="English Wikipedia article title")
    kind: str
    geonameid: int | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    country: Iso3 | None = Field(None, pattern=_ISO3)
    part_of: str | None = None
    source: Literal["geonames", "curated"]
    note: str | None = None
    names: list[PlaceName] = Field(min_length=1)

    @model_validator(mode="after")
    def _located(self) -> CuratedPlace:
        if self.geonameid is None and (self.lat is None or self.lon is None):
            raise ValueError(f"{self.name}: a place without a GeoNames id needs lat and lon")
        if self.source == "geonames" and self.geonameid is None:
            raise ValueError(f"{self.name}: source 'geonames' needs a geonameid")
        return self


class PlacesFile(_Model):
    """places.yaml: entity labels by kind, the used_by vocabulary, names that are not places, the places."""

    version: int
    kinds: dict[str, EntLabel]
    used_by: dict[str, str]
    not_places: dict[str, Iso3 | None]
    places: list[CuratedPlace]


class City(_Model):
    """A row of cities.tsv (GeoNames cities of 15,000+ people)."""

    geonameid: int
    name: str
    ascii_name: str | None
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    country: Iso3 | None = Field(pattern=_ISO3)
    population: int = Field(ge=0)
    common: bool


@dataclass(frozen=True)
class Place:
    """A gazetteer place as the analyzer uses it; ``names`` maps each name to who uses it."""

    id: str
    name: str
    kind: str
    label: EntLabel
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: Iso3 | None
    population: int
    curated: bool
    part_of: str | None = None
    note: str | None = None
    names: dict[str, str | None] = field(default_factory=dict)

    def record(self) -> dict[str, object]:
        """The msgpack-safe fields of ``record.models.Place`` (without alt_names and mentions)."""
        return {"id": self.id, "name": self.name, "geonameid": self.geonameid, "lat": self.lat,
                "lon": self.lon, "country": self.country}


@dataclass(frozen=True)
class MatchName:
    """A name the matcher looks for: its text and whether case must match."""

    text: str
    case_sensitive: bool


@dataclass
class Gazetteer:
    """Every place by id (curated, GeoNames cities, US states), lookup keys, and the names that stand for states."""

    places: dict[str, Place]
    keys: dict[str, list[str]]
    match_names: list[MatchName]
    countries: dict[str, Iso3 | None]
    used_by: dict[str, str]

    def lookup(self, name: str) -> list[Place]:
        """Places a name may refer to, curated first then by population (empty for states and unknown names)."""
        return [self.places[pid] for pid in self.keys.get(name_key(name), [])]

    def name_use(self, name: str) -> tuple[Place, str | None] | None:
        """The curated place a name belongs to and who uses that name, or None."""
        key = name_key(name)
        for place in self.lookup(name):
            for alt, used_by in place.names.items():
                if name_key(alt) == key:
                    return place, used_by
        return None

    def country_of(self, name: str) -> Iso3 | None:
        """The ISO alpha-3 code of the state a name stands for ("Egypt" -> "EGY"), or None."""
        return self.countries.get(name_key(name))

    def is_country(self, name: str) -> bool:
        """Whether a name stands for a state (an actor, never a place)."""
        return name_key(name) in self.countries


# A US state ranks like a city of this population: above same-name towns abroad ("Virginia" in the Free
# State, "Florida" in Uruguay, "Montana" in Bulgaria), below the big cities of its name ("New York").
STATE_RANK = 1_000_000


def name_key(text: str) -> str:
    """Lookup key of a name: folded, lower-case, no leading "the", dashes and dots as single spaces."""
    text = _LEADING_THE.sub("", text.strip().strip("\"'\u2018\u2019\u201c\u201d"))
    return _SEPARATORS.sub(" ", ascii_fold(text).lower()).strip()


def _data_dir() -> Path:
    return Path(str(resources.files("presslens").joinpath(*_DATA)))


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = (line for line in fh if not line.startswith("#"))
        return list(csv.DictReader(rows, delimiter="\t"))


def _cities(rows: list[dict[str, str]]) -> list[City]:
    """Validated cities of cities.tsv rows."""
    return [
        City(geonameid=int(r["geonameid"]), name=r["name"], ascii_name=r["ascii_name"] or None,
             lat=float(r["lat"]), lon=float(r["lon"]), country=r["country"] or None,
             population=int(r["population"]), common=r["common"] == "1")
        for r in rows
    ]


def read_place_files(directory: Path) -> dict[str, Any]:
    """The place files of a directory, parsed but not yet validated (msgpack-safe: the presslens_places data)."""
    return {
        "places": yaml.safe_load((directory / "places.yaml").read_text(encoding="utf-8")),
        "cities": _read_tsv(directory / "cities.tsv"),
        "countries": _read_tsv(directory / "countries.tsv"),
        "us_states": _read_tsv(directory / "us_states.tsv"),
    }


def build_gazetteer(directory: Path) -> Gazetteer:
    """Read and validate the place files of a directory into a Gazetteer (see ``gazetteer_from_data``)."""
    return gazetteer_from_data(read_place_files(directory))


def gazetteer_from_data(data: dict[str, Any]) -> Gazetteer:
    """Validate parsed place files (``read_place_files``) into a Gazetteer.

    Raises:
        ValueError: when a file does not validate or two places clash (the message names the entry).
    """
    spec = PlacesFile.model_validate(data["places"])
    cities = _cities(data["cities"])
    by_gid = {c.geonameid: c for c in cities}
    curated_gids = {p.geonameid for p in spec.places if p.geonameid is not None}
    curated_keys = {name_key(n.name) for p in spec.places for n in p.names}
    countries: dict[str, Iso3 | None] = {name_key(r["name"]): r["iso3"] for r in data["countries"]}
    countries.update({name_key(k): v for k, v in spec.not_places.items()})
    countries = {k: v for k, v in countries.items() if k not in curated_keys}

    places: dict[str, Place] = {}
    keys: dict[str, list[str]] = defaultdict(list)
    match_names: dict[str, MatchName] = {}
    name_ids = {p.name: slug(p.name) for p in spec.places}
    for entry in spec.places:
        if entry.kind not in spec.kinds:
            raise ValueError(f"{entry.name}: kind {entry.kind!r} is not one of {sorted(spec.kinds)}")
        if entry.part_of is not None and entry.part_of not in name_ids:
            raise ValueError(f"{entry.name}: part_of {entry.part_of!r} is not a curated place")
        city = by_gid.get(entry.geonameid) if entry.geonameid is not None else None
        if entry.source == "geonames" and city is None and entry.lat is None:
            raise ValueError(f"{entry.name}: GeoNames id {entry.geonameid} is not in cities.tsv; give lat and lon")
        place = Place(
            id=name_ids[entry.name], name=entry.name, kind=entry.kind, label=spec.kinds[entry.kind],
            geonameid=entry.geonameid,
            lat=entry.lat if entry.lat is not None else city.lat if city else None,
            lon=entry.lon if entry.lon is not None else city.lon if city else None,
            country=entry.country if entry.country or city is None else city.country,
            population=city.population if city else 0, curated=True,
            part_of=name_ids.get(entry.part_of) if entry.part_of else None, note=entry.note,
            names={n.name: n.used_by for n in entry.names},
        )
        if place.id in places:
            raise ValueError(f"{entry.name}: duplicate place id {place.id!r}")
        places[place.id] = place
        for n in entry.names:
            if n.used_by is not None and n.used_by not in spec.used_by:
                raise ValueError(f"{entry.name}: used_by {n.used_by!r} of {n.name!r} is not declared in used_by")
            if place.id not in keys[name_key(n.name)]:
                keys[name_key(n.name)].append(place.id)
            sensitive = n.case_sensitive if n.case_sensitive is not None else " " not in n.name
            match_names[n.name] = MatchName(n.name, sensitive)

    primary: set[str] = set()
    for city in cities:  # most populous first, so the biggest city of a name gets the plain slug
        if city.geonameid in curated_gids:
            continue
        names = {city.name, city.ascii_name or city.name}
        name_keys = {name_key(n) for n in names}
        if not name_keys.isdisjoint(countries):
            continue
        pid = slug(city.name)
        if pid in places or pid in primary:
            pid = slug(f"{city.name} {city.country or ''}")
            if pid in places:
                pid = slug(f"{city.name} {city.country or ''} {city.geonameid}")
        primary.add(pid)
        places[pid] = Place(
            id=pid, name=city.name, kind="city", label=spec.kinds["city"], geonameid=city.geonameid,
            lat=city.lat, lon=city.lon, country=city.country, population=city.population, curated=False,
        )
        for key in name_keys:
            keys[key].append(pid)
        for name in names:
            if not city.common:
                match_names.setdefault(name, MatchName(name, True))
    for row in data["us_states"]:
        if name_key(row["name"]) in countries or any(places[p].curated for p in keys.get(name_key(row["name"]), [])):
            continue
        pid = slug(row["name"]) if slug(row["name"]) not in places else slug(f"{row['name']} USA")  # "Virginia", Free State
        places[pid] = Place(id=pid, name=row["name"], kind="state", label=spec.kinds["state"],
                            geonameid=int(row["geonameid"]), lat=None, lon=None, country="USA",
                            population=STATE_RANK, curated=False)
        keys[name_key(row["name"])].append(pid)
        match_names.setdefault(row["name"], MatchName(row["name"], True))
    return Gazetteer(places=places, keys=dict(keys), match_names=list(match_names.values()),
                     countries=countries, used_by=spec.used_by)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer, read and validated once per process."""
    return build_gazetteer(_data_dir())


def check_place_files(directory: str | Path | None = None) -> list[str]:
    """Validate the place files of a directory (the packaged ones by default); an empty list means no problem."""
    path = Path(directory) if directory is not None else _data_dir()
    problems = [f"{path / name}: missing" for name in ("places.yaml", "cities.tsv", "countries.tsv", "us_states.tsv")
                if not (path / name).is_file()]
    if problems:
        return problems
    try:
        gazetteer = build_gazetteer(path)
    except ValidationError as err:
        return [f"{path}: {e['loc']}: {e['msg']}" for e in err.errors()]
    except (ValueError, KeyError, yaml.YAMLError) as err:
        return [f"{path}: {err}"]
    for key, ids in gazetteer.keys.items():
        curated = [pid for pid in ids if gazetteer.places[pid].curated]
        if len(curated) > 1:
            problems.append(f"name {key!r} belongs to several curated places: {', '.join(curated)}")
    return problems


def packaged_place_data() -> dict[str, Any]:
    """The packaged place files, parsed (what ``presslens_places`` saves with the pipeline)."""
    return read_place_files(_data_dir())


def packaged_toponyms() -> dict[str, Any]:
    """The curated places' names with who uses each, and the used_by vocabulary, from places.yaml alone.

    What framing's contested-toponym check needs, without building the whole gazetteer a second
    time (msgpack-safe; places and names in file order, ids as the gazetteer makes them).
    """
    spec = PlacesFile.model_validate(yaml.safe_load((_data_dir() / "places.yaml").read_text(encoding="utf-8")))
    places = {slug(p.name): [[name, user] for name, user in {n.name: n.used_by for n in p.names}.items()] for p in spec.places}
    return {"places": places, "used_by": dict(spec.used_by)}


class Capitals(_Model):
    """``capitals.tsv`` and ``metonymy.json``: capital names by country, and the words that make a capital its government."""

    countries: dict[str, Iso3] = Field(min_length=1, description="name_key of a capital -> its country")
    verbs: frozenset[str]
    possessed_nouns: frozenset[str]
    relation_nouns: frozenset[str]
    relation_preps: frozenset[str]

    def country(self, name: str) -> str | None:
        """The country whose capital ``name`` is ("Moscow" -> "RUS"), None for any other name."""
        return self.countries.get(name_key(name))


@lru_cache(maxsize=1)
def load_capitals() -> Capitals:
    """Read and validate ``capitals.tsv`` and ``metonymy.json`` (once per process; every country must be in countries.tsv)."""
    directory = _data_dir()
    known = {row["iso3"] for row in _read_tsv(directory / "countries.tsv")}
    rows = _read_tsv(directory / "capitals.tsv")
    unknown = sorted({row["iso3"] for row in rows} - known)
    if unknown:
        raise ValueError(f"capitals.tsv: countries not in countries.tsv: {unknown}")
    cues = json.loads((directory / "metonymy.json").read_text(encoding="utf-8"))
    cues.pop("version"), cues.pop("source")
    return Capitals(countries={name_key(row["name"]): row["iso3"] for row in rows}, **cues)
