"""Offline world maps: the packaged Natural Earth country shapes, projected equirectangularly to SVG on the server."""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from importlib import resources
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from pydantic import BaseModel, Field, field_validator

DATA = ("data", "geo", "countries-110m.json")
WORLD_SOUTH, WORLD_NORTH = -58.0, 84.0  # the world view leaves out Antarctica (unless a marker is there)
REGION_SPAN = (20.0, 12.0)  # degrees of longitude and latitude a region view shows around its place
WORLD_PX, REGION_PX = 720, 600  # width of the drawn map in pixels
# Units per degree of the SVG coordinates: a tenth of a degree is below a pixel of the world view, a hundredth of a region view.
WORLD_SCALE, REGION_SCALE = 10, 100
SEA, LAND, BORDER, SHADED, HIGHLIGHT, MARKER = "#eef3f7", "#dde1e4", "#ffffff", "#a9d7b0", "#4e9f5b", "#b8323a"


class Country(BaseModel):
    """One country shape: its ISO alpha-3 code, name, and rings as flat [lon, lat, lon, lat, ...] lists."""

    iso3: str = Field(pattern=r"^[A-Z]{3}$")
    name: str = Field(min_length=1)
    rings: list[list[float]] = Field(min_length=1)

    @field_validator("rings")
    @classmethod
    def _closed_rings_on_the_globe(cls, rings: list[list[float]]) -> list[list[float]]:
        """Each ring has 4+ points, closes on its first, and stays within -180..180 longitude, -90..90 latitude."""
        for ring in rings:
            if len(ring) < 8 or len(ring) % 2:
                raise ValueError(f"a ring needs 4 or more lon, lat pairs, got {len(ring)} numbers")
            if ring[:2] != ring[-2:]:
                raise ValueError("a ring must end on its first point")
            if not all(-180 <= lon <= 180 for lon in ring[0::2]) or not all(-90 <= lat <= 90 for lat in ring[1::2]):
                raise ValueError("a ring leaves the globe's coordinates")
        return rings


class Atlas(BaseModel):
    """The packaged country shapes and where they came from."""

    source: str
    countries: list[Country] = Field(min_length=100)

    def names(self) -> dict[str, str]:
        """ISO alpha-3 code -> country name (the first shape of a code, by name, when several share it)."""
        out: dict[str, str] = {}
        for country in self.countries:
            out.setdefault(country.iso3, country.name)
        return out


class Marker(NamedTuple):
    """A point on the map; ``main`` is drawn larger and, in a region view, named."""

    lon: float
    lat: float
    label: str
    main: bool = False


class View(NamedTuple):
    """The part of the world a map shows, in degrees, and how wide it is drawn."""

    west: float
    south: float
    east: float
    north: float
    pixels: int
    scale: int


@functools.cache
def atlas() -> Atlas:
    """The country shapes, read and validated once per process (pydantic raises when the packaged file is broken)."""
    text = resources.files("presslens").joinpath(*DATA).read_text(encoding="utf-8")
    return Atlas.model_validate_json(text)


def world_view(markers: Sequence[Marker] = ()) -> View:
    """The whole world from 84°N to 58°S, stretched to show any marker beyond."""
    south = min([WORLD_SOUTH, *(m.lat - 3 for m in markers)])
    north = max([WORLD_NORTH, *(m.lat + 3 for m in markers)])
    return View(-180.0, max(south, -90.0), 180.0, min(north, 90.0), WORLD_PX, WORLD_SCALE)


def region_view(lon: float, lat: float) -> View:
    """A window of REGION_SPAN degrees around a point, moved inside the map's edges when the point is near one."""
    width, height = REGION_SPAN
    west = min(max(lon - width / 2, -180.0), 180.0 - width)
    south = min(max(lat - height / 2, -90.0), 90.0 - height)
    return View(west, south, west + width, south + height, REGION_PX, REGION_SCALE)


def map_svg(view: View, title: str, shaded: Collection[str] = (), highlight: str | None = None, markers: Sequence[Marker] = ()) -> str:
    """An SVG map of ``view``: countries in ``shaded`` tinted, ``highlight`` darker, markers on top; every text escaped."""
    s = view.scale
    x, y, w, h = round((view.west + 180) * s), round((90 - view.north) * s), round((view.east - view.west) * s), round((view.north - view.south) * s)
    height_px = round(view.pixels * h / w)
    per_px = w / view.pixels  # SVG units per drawn pixel
    paths = _paths(s)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" width="{view.pixels}" height="{height_px}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{SEA}"/>',
        f'<g stroke="{BORDER}" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for country, d in zip(atlas().countries, paths):
        fill = HIGHLIGHT if country.iso3 == highlight else SHADED if country.iso3 in shaded else LAND
        parts.append(f'<path d="{d}" fill="{fill}" vector-effect="non-scaling-stroke"/>')
    parts.append("</g>")
    for marker in sorted(markers, key=lambda m: m.main):  # the main marker last, on top
        cx, cy = round((marker.lon + 180) * s, 1), round((90 - marker.lat) * s, 1)
        radius = round((5.0 if marker.main else 2.5) * per_px, 2)
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{MARKER}" stroke="#ffffff" stroke-width="1" vector-effect="non-scaling-stroke">'
            f"<title>{escape(marker.label)}</title></circle>"
        )
        if marker.main and view.scale == REGION_SCALE:
            size = round(13 * per_px, 2)
            parts.append(
                f'<text x="{round(cx + 8 * per_px, 1)}" y="{round(cy + 4 * per_px, 1)}" font-size="{size}" font-family="sans-serif" '
                f'fill="#1d232a" stroke="#ffffff" stroke-width="3" paint-order="stroke" vector-effect="non-scaling-stroke">{escape(marker.label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


@functools.cache
def _paths(scale: int) -> list[str]:
    """The SVG path of every country at ``scale`` units per degree (computed once per scale)."""
    return [" ".join(_ring_path(ring, scale) for ring in _unwrapped(country.rings)) for country in atlas().countries]


def _unwrapped(rings: list[list[float]]) -> list[list[tuple[float, float]]]:
    """Rings made continuous across the antimeridian, with a copy 360° over for the part beyond the map's edge.

    A ring that goes once around a pole (Antarctica) is closed along the pole instead.
    """
    out = []
    for ring in rings:
        points = [(ring[0], ring[1])]
        for lon, lat in zip(ring[2::2], ring[3::2]):
            previous = points[-1][0]
            lon += 360.0 * round((previous - lon) / 360.0)  # the nearest copy of lon to the previous point
            points.append((lon, lat))
        turn = points[-1][0] - points[0][0]
        if abs(turn) > 180:  # around a pole: close along its parallel
            pole = -90.0 if sum(p[1] for p in points) < 0 else 90.0
            points += [(points[-1][0], pole), (points[0][0], pole), points[0]]
        lons = [p[0] for p in points]
        out.append(points)
        if max(lons) > 180:
            out.append([(lon - 360.0, lat) for lon, lat in points])
        if min(lons) < -180:
            out.append([(lon + 360.0, lat) for lon, lat in points])
    return out


def _ring_path(points: list[tuple[float, float]], scale: int) -> str:
    """One closed ring as compact path data: an absolute move, then relative integer steps (repeats dropped)."""
    xy = [(round((lon + 180) * scale), round((90 - lat) * scale)) for lon, lat in points]
    steps = []
    for (x0, y0), (x1, y1) in zip(xy, xy[1:]):
        if (x1, y1) != (x0, y0):
            steps.append(f"{x1 - x0} {y1 - y0}".replace(" -", "-"))
    return f"M{xy[0][0]} {xy[0][1]}l" + " ".join(steps).replace(" -", "-") + "z"
