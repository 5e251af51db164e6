"""Regenerate presslens/data/actors/states.jsonl, agents.jsonl and cameo_codes.json (dev-time only).

Sources: pycountry (ISO 3166-1 names), PETRARCH2's Phoenix.Countries.actors.txt (demonyms) and
Phoenix.agents.txt (agent nouns), both MIT, read from the parsed copies in ../shared/knowledge.

    python scripts/build_actor_data.py [--knowledge ../shared/knowledge]
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

import pycountry
from importlib.metadata import version

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "presslens" / "data" / "actors"

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
    petrarch: dict[str, tuple[list[str], int]] = {}
    for line in (knowledge / "petrarch" / "jsonl" / "actors.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        codes = record["codes"]
        if record["source_file"].startswith("Phoenix.Countries") and codes and len(codes[0]["code"]) == 3:
            if codes[0]["from"] is None and codes[0]["to"] is None:
                names, line = petrarch.get(codes[0]["code"], ([], record["line"]))
                petrarch[codes[0]["code"]] = (names + record["names"], line)
    entries = []
    for country in pycountry.countries:
        a3 = country.alpha_3
        name = WIKI_NAMES.get(a3, getattr(country, "common_name", None) or country.name)
        forms = [name, country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        aliases = [f for f in forms if f and "," not in f and "(" not in f]
        names, line = petrarch.get(a3, ([], None))
        words = {w.upper() for f in aliases for w in re.findall(r"[A-Za-z]+", f)}
        aliases += demonyms(names, words, {a.upper() for a in aliases}) + EXTRA_ALIASES.get(a3, [])
        aliases = [a for a in dict.fromkeys(aliases) if a != name and a not in DROP_ALIASES.get(a3, set())]
        provenance = f"pycountry {version('pycountry')} (ISO 3166-1)"
        if line:
            provenance += f"; demonyms Phoenix.Countries.actors.txt:{line}"
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


def slug(name: str) -> str:
    """Lower-case ASCII slug, as presslens.knowledge.actors.slug."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def write_jsonl(path: Path, entries: list[dict]) -> None:
    """Write one JSON object per line (UTF-8, no ASCII escaping)."""
    with path.open("w", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")


def main() -> None:
    """Regenerate the generated actor data files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=ROOT.parent / "shared" / "knowledge")
    args = parser.parse_args()
    write_jsonl(OUT / "states.jsonl", build_states(args.knowledge))
    write_jsonl(OUT / "agents.jsonl", build_agents(args.knowledge))
    codes = json.dumps(build_cameo_codes(args.knowledge), indent=1)
    (OUT / "cameo_codes.json").write_text(codes + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
