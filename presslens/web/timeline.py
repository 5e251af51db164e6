"""Events over time: counts per period of their article's publication date, one series per label, gaps filled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from presslens.web.db import Queries

Unit = Literal["day", "week", "month", "year"]

MAX_PERIODS = 200  # periods drawn at most: the latest ones
# A period as long as the span allows a readable chart: days up to a month, weeks up to half a year, then months, then years.
_SQL = """
WITH picked AS (
    SELECT a.published AS day, {series} AS series
    FROM events e JOIN articles a ON a.id = e.article_id
    WHERE {where}
), span AS (
    SELECT CASE
        WHEN max(day) - min(day) <= INTERVAL 31 DAY THEN 'day'
        WHEN max(day) - min(day) <= INTERVAL 182 DAY THEN 'week'
        WHEN max(day) - min(day) <= INTERVAL 1461 DAY THEN 'month'
        ELSE 'year' END AS unit
    FROM picked
)
SELECT span.unit, CAST(date_trunc(coalesce(span.unit, 'day'), picked.day) AS DATE) AS period, series, count(*) AS events
FROM picked, span
GROUP BY ALL
ORDER BY period NULLS LAST, series
"""


class TimePoint(BaseModel):
    """The events of one series in one period (``period``: the ISO date its day, week, month or year starts)."""

    period: str
    label: str
    series: str
    events: int


class Timeline(BaseModel):
    """Events per period of their article's publication date; ``undated``: those whose article has no date.

    At most ``MAX_PERIODS`` periods are drawn, the latest ones; ``earlier`` counts the events before them
    (a stray date like 0001-01-01 cannot make a chart of 2,000 years).
    """

    unit: Unit | None
    series: list[str]
    points: list[TimePoint]
    undated: int
    earlier: int = 0


def events_over_time(store: Queries, series: str, where: str, params: Sequence[Any] = ()) -> Timeline:
    """The timeline of the events matching ``where``, split by the SQL expression ``series`` (both ours; values in ``params``).

    Every period from the first to the last is present, zero where nothing happened, so the bars keep time's scale.
    """
    rows = store.rows(_SQL.format(series=series, where=where), params)
    dated = [row for row in rows if row["period"] is not None]
    undated = sum(row["events"] for row in rows if row["period"] is None)
    names = sorted({row["series"] for row in dated})
    if not dated:
        return Timeline(unit=None, series=[], points=[], undated=undated)
    unit: Unit = dated[0]["unit"]
    counts = {(row["period"], row["series"]): row["events"] for row in dated}
    shown = periods(dated[0]["period"], dated[-1]["period"], unit)[-MAX_PERIODS:]
    points = [
        TimePoint(period=start.isoformat(), label=label(start, unit), series=name, events=counts.get((start, name), 0))
        for start in shown
        for name in names
    ]
    earlier = sum(row["events"] for row in dated if row["period"] < shown[0])
    return Timeline(unit=unit, series=names, points=points, undated=undated, earlier=earlier)


def periods(first: date, last: date, unit: Unit) -> list[date]:
    """The starts of every period from ``first`` to ``last`` (both period starts), in order."""
    out = [first]
    while out[-1] < last:
        out.append(_next(out[-1], unit))
    return out


def _next(start: date, unit: Unit) -> date:
    """The start of the period after the one starting at ``start``."""
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def label(start: date, unit: Unit) -> str:
    """How a period is named on the chart: by its first day ("9 Mar 2026") for a day or a week, "Mar 2026", "2026"."""
    if unit in ("day", "week"):
        return f"{start.day} {start:%b %Y}"
    if unit == "month":
        return f"{start:%b %Y}"
    return str(start.year)
