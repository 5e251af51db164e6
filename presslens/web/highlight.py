"""Highlighted text: overlapping spans over hostile text as properly nested <span> markup, every text piece escaped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Mark:
    """One span ``[start, end)`` of the text to wrap in a <span>.

    Marks of a lower ``rank`` nest outside those of a higher one; at equal rank the earlier and
    longer span goes outside. A mark that crosses another's boundary is split into fragments,
    each carrying ``attrs``; ``anchor`` (an element id) goes on its first fragment only.
    """

    start: int
    end: int
    rank: int
    attrs: tuple[tuple[str, str], ...]
    anchor: str | None = field(default=None)


def render(text: str, marks: Sequence[Mark]) -> Markup:
    """The text with every mark as a <span>; spans are clamped to the text, and empty ones left out."""
    size = len(text)
    kept = [m for m in marks if max(0, m.start) < min(size, m.end)]
    bounds = [(max(0, m.start), min(size, m.end)) for m in kept]
    order = sorted(range(len(kept)), key=lambda i: (kept[i].rank, bounds[i][0], -bounds[i][1], i))
    position = {mark: place for place, mark in enumerate(order)}  # a mark's place in the nesting order
    starting: dict[int, list[int]] = defaultdict(list)
    for i, (start, _) in enumerate(bounds):
        starting[start].append(i)
    cuts = sorted({0, size, *(b for pair in bounds for b in pair)})
    out: list[str] = []
    opened: list[int] = []  # the marks whose <span> is open, outermost first
    active: set[int] = set()
    anchored: set[int] = set()
    for left, right in pairwise(cuts):
        active = {i for i in active if bounds[i][1] > left} | set(starting[left])
        wanted = sorted(active, key=position.__getitem__)
        common = 0
        while common < min(len(opened), len(wanted)) and opened[common] == wanted[common]:
            common += 1
        out.append("</span>" * (len(opened) - common))
        for i in wanted[common:]:
            out.append(_opening(kept[i], first=i not in anchored))
            anchored.add(i)
        opened = wanted
        out.append(escape(text[left:right]))
    out.append("</span>" * len(opened))
    return Markup("".join(out))


def _opening(mark: Mark, first: bool) -> str:
    """The <span> tag of one fragment of a mark, its attribute values escaped."""
    attrs = [*((("id", mark.anchor),) if first and mark.anchor else ()), *mark.attrs]
    return "<span" + "".join(Markup(' {}="{}"').format(name, value) for name, value in attrs) + ">"
