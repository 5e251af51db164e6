from __future__ import annotations

from pathlib import Path

import pytest

from presslens.knowledge.places import build_gazetteer, check_place_files, load_gazetteer, name_key, slug

_YAML = """\
version: 1
kinds: {city: GPE, territory: GPE, site: FAC, state: GPE}
used_by: {international/UN: UN usage, Irish nationalist: nationalist usage, British/unionist: unionist usage}
not_places: {Britain: GBR}
places:
  - name: Derry
    kind: city
    geonameid: 2643736
    source: geonames
    names:
      - {name: Derry, used_by: Irish nationalist}
      - {name: Londonderry, used_by: British/unionist}
  - name: Sample Site
    kind: site
    lat: 1.5
    lon: 2.5
    part_of: Derry
    source: curated
    names:
      - {name: Sample Site, used_by: international/UN}
"""
_CITIES = """\
# test extract
geonameid\tname\tascii_name\tlat\tlon\tcountry\tpopulation\tcommon
2643736\tDerry\t\t54.9981\t-7.30934\tGBR\t83652\t0
2988507\tParis\t\t48.85341\t2.3488\tFRA\t2138551\t0
4717560\tParis\t\t33.66094\t-95.55551\tUSA\t24782\t0
2654675\tBritain\t\t50.0\t0.0\tGBR\t20000\t0
2646004\tMobile\t\t30.69436\t-88.04305\tUSA\t183289\t1
281124\tKhān Yūnis\tKhan Yunis\t31.34018\t34.30627\tPSE\t173183\t0
"""
_COUNTRIES = "geonameid\tiso2\tiso3\tname\n357994\tEG\tEGY\tEgypt\n"
_STATES = "geonameid\tcode\tname\n5332921\tCA\tCalifornia\n"


def _files(tmp_path: Path, yaml_text: str = _YAML) -> Path:
    for name, text in (("places.yaml", yaml_text), ("cities.tsv", _CITIES), ("countries.tsv", _COUNTRIES),
                       ("us_states.tsv", _STATES)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_knowledge_places_packaged_files_have_no_problems() -> None:
    assert check_place_files() == []


def test_knowledge_places_alternate_names_resolve_to_one_place() -> None:
    gazetteer = load_gazetteer()
    assert [p.id for p in gazetteer.lookup("Judea and Samaria")] == ["west-bank"]
    assert [p.id for p in gazetteer.lookup("the West Bank")] == ["west-bank"]
    for name in ("Temple Mount", "Al-Aqsa Mosque", "Al Aqsa mosque", "Haram al-Sharif"):
        assert [p.id for p in gazetteer.lookup(name)] == ["temple-mount"], name
    assert gazetteer.lookup("Londonderry")[0].id == "derry"
    assert gazetteer.lookup("Kiev")[0].id == "kyiv"


def test_knowledge_places_name_use_tells_who_uses_a_name() -> None:
    gazetteer = load_gazetteer()
    place, used_by = gazetteer.name_use("Judea and Samaria")
    assert (place.name, used_by) == ("West Bank", "Israeli government/right-wing")
    assert gazetteer.name_use("West Bank")[1] == "international/UN"
    assert gazetteer.name_use("Al-Aqsa Mosque")[1] == "Palestinian/Muslim"
    assert gazetteer.name_use("Malvinas")[0].name == "Falkland Islands"
    assert gazetteer.name_use("Gulf of America")[1] == "US government (2025-)"
    assert gazetteer.name_use("Pakistan-occupied Kashmir")[1] == "Indian government"
    assert gazetteer.name_use("Cairo") is None
    assert set(gazetteer.used_by) >= {u for p in gazetteer.places.values() for u in p.names.values() if u}


def test_knowledge_places_geonames_fields_fill_curated_entries() -> None:
    gazetteer = load_gazetteer()
    jerusalem, jenin, camp = (gazetteer.places[i] for i in ("jerusalem", "jenin", "jenin-refugee-camp"))
    assert (jerusalem.geonameid, jerusalem.country, round(jerusalem.lat, 2)) == (281184, "ISR", 31.77)
    assert (jenin.geonameid, jenin.country) == (283506, "PSE")
    assert (camp.geonameid, camp.part_of, camp.curated) == (None, "jenin", True)
    assert gazetteer.places["neve-yaakov"].part_of == "jerusalem"


def test_knowledge_places_countries_are_not_places() -> None:
    gazetteer = load_gazetteer()
    for name in ("Egypt", "Israel", "Lebanon", "Palestine", "the United States"):
        assert gazetteer.lookup(name) == [], name
        assert gazetteer.is_country(name), name
    assert gazetteer.country_of("Egypt") == "EGY"
    assert not gazetteer.is_country("Kosovo")  # curated as a contested territory


def test_knowledge_places_same_name_cities_get_distinct_ids_most_populous_first(tmp_path: Path) -> None:
    gazetteer = build_gazetteer(_files(tmp_path))
    assert [(p.id, p.country) for p in gazetteer.lookup("Paris")] == [("paris", "FRA"), ("paris-usa", "USA")]
    assert gazetteer.lookup("Khan Yunis")[0].id == "khan-yunis"
    assert gazetteer.lookup("Britain") == []  # a city named like a state is dropped
    assert gazetteer.lookup("California")[0].country == "USA"
    site = gazetteer.places["sample-site"]
    assert (site.lat, site.lon, site.part_of, site.label) == (1.5, 2.5, "derry", "FAC")
    matched = {m.text: m.case_sensitive for m in gazetteer.match_names}
    assert "Mobile" not in matched and matched["Sample Site"] is False and matched["Derry"] is True


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("used_by: Irish nationalist}", "used_by: Irish}"), "used_by 'Irish' of 'Derry' is not declared"),
        (("kind: site", "kind: temple"), "kind 'temple' is not one of"),
        (("    lat: 1.5\n", ""), "needs lat and lon"),
        (("part_of: Derry", "part_of: Nowhere"), "part_of 'Nowhere' is not a curated place"),
        (("geonameid: 2643736", "geonameid: 1"), "GeoNames id 1 is not in cities.tsv"),
    ],
)
def test_knowledge_places_check_reports_bad_entries(tmp_path: Path, change: tuple[str, str], problem: str) -> None:
    problems = check_place_files(_files(tmp_path, _YAML.replace(*change)))
    assert len(problems) == 1 and problem in problems[0], problems


def test_knowledge_places_check_reports_missing_files_and_invalid_fields(tmp_path: Path) -> None:
    assert check_place_files(tmp_path) == [f"{tmp_path / n}: missing" for n in
                                           ("places.yaml", "cities.tsv", "countries.tsv", "us_states.tsv")]
    problems = check_place_files(_files(tmp_path, _YAML.replace("lat: 1.5", "lat: 91")))
    assert len(problems) == 1 and "less than or equal to 90" in problems[0]


def test_knowledge_places_keys_and_slugs_fold_spelling() -> None:
    assert name_key("the 'West Bank'") == name_key("West Bank") == "west bank"
    assert name_key("Al-Aqsa Mosque") == name_key("Al Aqsa mosque")
    assert slug("Old City (Jerusalem)") == "old-city-jerusalem"
    assert slug("Khān Yūnis") == "khan-yunis"
