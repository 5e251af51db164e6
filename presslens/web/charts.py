"""Charts drawn on the server: Vega-Lite specs rendered to SVG by vl-convert (no network), checked, served as images.

Labels in a chart come from articles (actor names, outlets), so every SVG we serve is checked first
(`checked_svg`): only drawing elements, no script, no event handler, no link out of the document. Pages
show charts with ``<img src>``, where an SVG never runs script even if a check were to miss something.
"""

from __future__ import annotations

import functools
import json
import logging
import time
import xml.etree.ElementTree as ET
from typing import Any

from fastapi.responses import Response

from presslens.errors import UsageError
from presslens.web.timeline import Timeline

log = logging.getLogger(__name__)

SVG_MEDIA_TYPE = "image/svg+xml"
VEGA_LITE = "v6.4"  # the Vega-Lite version bundled in vl-convert 1.9 that renders these specs
WIDTH, HEIGHT = 640, 180
SERIES_COLOURS = ["#1f5fa8", "#c46b12", "#3b8f4a", "#8d4bb3", "#b8323a", "#4f8f9c", "#8a7a2d", "#d0679e"]
# What a chart, a map or a network picture may contain: drawing elements only.
ALLOWED_TAGS = frozenset(
    "svg g path rect circle ellipse line polyline polygon text tspan title desc defs clipPath marker".split()
)
_SVG_NS = "{http://www.w3.org/2000/svg}"


# Presentation attributes that may reference a resource: only a fragment of the SVG itself (url(#id)) is allowed there.
URL_ATTRIBUTES = frozenset({"fill", "stroke", "filter", "clip-path", "mask", "marker-start", "marker-mid", "marker-end", "cursor"})


class UnsafeSvg(ValueError):
    """An SVG we drew holds something that is not drawing: a bug, never served."""


def checked_svg(svg: str) -> str:
    """``svg`` unchanged when it holds only allowed elements and attributes, with no DTD, handler, style or outside link.

    Raises:
        UnsafeSvg: naming the first thing that is not allowed.
    """
    if "<!" in svg:  # a DOCTYPE or ENTITY (expansion) or CDATA: nothing we draw has one
        raise UnsafeSvg("markup declaration in SVG")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as err:
        raise UnsafeSvg(f"SVG does not parse: {err}") from None
    for element in root.iter():
        tag = element.tag.removeprefix(_SVG_NS)
        if tag not in ALLOWED_TAGS:
            raise UnsafeSvg(f"element <{tag}> in SVG")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local == "style":
                raise UnsafeSvg(f"attribute {local!r} on <{tag}>")
            if local == "href" and not value.startswith("#"):
                raise UnsafeSvg(f"link {value[:40]!r} on <{tag}>")
            if local in URL_ATTRIBUTES and "url(" in value and not value.replace(" ", "").startswith("url(#"):
                raise UnsafeSvg(f"outside url in {local!r} on <{tag}>")
    return svg


def svg_response(svg: str) -> Response:
    """A checked SVG as an ``image/svg+xml`` response."""
    return Response(checked_svg(svg), media_type=SVG_MEDIA_TYPE)


def vegalite_svg(spec: dict[str, Any]) -> str:
    """The spec rendered to a checked SVG; the same spec is rendered once per process (the first takes ~0.5 s).

    Raises:
        UsageError: PL211 when vl-convert-python (the web extra) is not installed.
    """
    return _render(json.dumps(spec, sort_keys=True, ensure_ascii=False))


@functools.lru_cache(maxsize=256)
def _render(spec: str) -> str:
    """Render one spec (as canonical JSON, the cache key) with external data refused."""
    try:
        import vl_convert
    except ImportError:
        raise UsageError("PL211", what="charts", package="vl-convert-python", extra="web") from None
    started = time.perf_counter()
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE, allowed_base_urls=[])
    log.debug("chart rendered in %.3f s", time.perf_counter() - started)
    return checked_svg(svg)


def timeline_spec(timeline: Timeline, title: str) -> dict[str, Any]:
    """A stacked bar chart of a timeline: one bar per period, one colour per series."""
    values = [point.model_dump() for point in timeline.points]
    colours = {"scheme": "tableau20"} if len(timeline.series) > len(SERIES_COLOURS) else {"range": SERIES_COLOURS}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": {"text": title, "anchor": "start", "fontSize": 13},
        "width": WIDTH,
        "height": HEIGHT,
        "background": "white",
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "label",
                "type": "ordinal",
                "sort": None,  # the periods in time order, as given
                "title": None,
                "axis": {"labelAngle": -40, "labelOverlap": "parity", "labelLimit": 120},
            },
            "y": {"field": "events", "type": "quantitative", "aggregate": "sum", "title": "events", "axis": {"tickMinStep": 1}},
            "color": {"field": "series", "type": "nominal", "title": None, "sort": timeline.series, "scale": {"domain": timeline.series, **colours}},
            "order": {"field": "series"},
        },
        "config": {"font": "sans-serif", "legend": {"orient": "right", "labelLimit": 160}, "view": {"stroke": None}},
    }


def timeline_svg(timeline: Timeline, title: str) -> str:
    """A timeline as a checked SVG bar chart."""
    return vegalite_svg(timeline_spec(timeline, title))
