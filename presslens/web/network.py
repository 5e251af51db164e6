"""A small network picture of one actor: its counterparts on a circle around it, arrows for who acted on whom."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 760, 560  # pixels: room on both sides for the counterparts' names
RING = 190  # radius of the counterparts' circle
MAX_COUNTERPARTS = 12
LABEL_CHARS = 28
CENTRE_FILL, NODE_FILL, EDGE, INK = "#1f5fa8", "#d6e8ff", "#8895a3", "#1d232a"


class Link(NamedTuple):
    """One counterpart and the events between it and the actor: ``outgoing`` the actor did to it, ``incoming`` it did to the actor."""

    name: str
    outgoing: int
    incoming: int


def network_svg(actor: str, links: Sequence[Link]) -> str:
    """The actor in the middle, up to MAX_COUNTERPARTS counterparts around it; line width grows with the events, arrows give the direction."""
    shown = sorted(links, key=lambda link: (-(link.outgoing + link.incoming), link.name))[:MAX_COUNTERPARTS]
    cx, cy = WIDTH / 2, HEIGHT / 2
    heaviest = max((link.outgoing + link.incoming for link in shown), default=1)
    title = f"Counterparts of {actor}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0 0L10 5L0 10z" fill="{EDGE}"/></marker></defs>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    nodes = []
    for i, link in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * i / len(shown)
        x, y = cx + RING * math.cos(angle), cy + RING * math.sin(angle)
        width = 1 + 4 * (link.outgoing + link.incoming) / heaviest
        # the line stops short of both circles so the arrowheads show; it points out for outgoing, in for incoming events
        x0, y0 = cx + 34 * math.cos(angle), cy + 34 * math.sin(angle)
        x1, y1 = x - 12 * math.cos(angle), y - 12 * math.sin(angle)
        heads = (' marker-end="url(#arrow)"' if link.outgoing else "") + (' marker-start="url(#arrow)"' if link.incoming else "")
        parts.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{EDGE}" stroke-width="{width:.1f}"{heads}/>')
        counts = " / ".join(f"{n} {arrow}" for n, arrow in ((link.outgoing, "out"), (link.incoming, "in")) if n)
        # the counts beside the middle of the line (10 px off it, square to it)
        mx, my = cx + RING * 0.55 * math.cos(angle) - 10 * math.sin(angle), cy + RING * 0.55 * math.sin(angle) + 10 * math.cos(angle)
        parts.append(_text(mx, my + 3, counts, size=10, anchor="middle", fill="#5d6873"))
        nodes.append((x, y, angle, link.name))
    for x, y, angle, name in nodes:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="{NODE_FILL}" stroke="{CENTRE_FILL}" stroke-width="1.5"/>')
        anchor = "middle" if abs(math.cos(angle)) < 0.3 else "start" if math.cos(angle) > 0 else "end"
        dx = 0 if anchor == "middle" else 14 if anchor == "start" else -14
        dy = 24 if anchor == "middle" and math.sin(angle) > 0 else -16 if anchor == "middle" else 4
        parts.append(_text(x + dx, y + dy, _short(name), size=12, anchor=anchor, fill=INK))
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="32" fill="{CENTRE_FILL}"/>')
    parts.append(_text(cx, cy + 50, _short(actor), size=13, anchor="middle", fill=INK, bold=True))
    if not shown:
        parts.append(_text(cx, cy - 50, "no events with a counterpart", size=12, anchor="middle", fill="#5d6873"))
    parts.append("</svg>")
    return "".join(parts)


def _text(x: float, y: float, text: str, size: int, anchor: str, fill: str, bold: bool = False) -> str:
    """An escaped text element with a white halo, readable over the lines."""
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="sans-serif" text-anchor="{anchor}" fill="{fill}"{weight} '
        f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(text)}</text>'
    )


def _short(name: str) -> str:
    """A name cut to LABEL_CHARS characters with an ellipsis."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
