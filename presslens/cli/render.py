"""How results look on a terminal: the pretty record summary, tables, the progress display; all escaped."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from presslens.cli.common import err
from presslens.cli.safe import visible
from presslens.ingest.raw import Quarantined
from presslens.record.models import ArticleRecord


def line(text: str, style: str = "", label: str = "") -> Text:
    """One output line, escaped, optionally led by a coloured label ("warning", "quarantined")."""
    return Text.assemble((label, style), " " + visible(text)) if label else Text(visible(text), style=style)


def shorten(text: str, limit: int = 80) -> str:
    """A text on one line cut to ``limit`` characters, marked with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(names: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> Table:
    """A rich table of rows, every header and cell escaped and shown as is (no markup)."""
    grid = Table(title=line(title) if title is not None else None)
    for name in names:
        grid.add_column(line(name))
    for row in rows:
        grid.add_row(*(line("" if value is None else str(value)) for value in row))
    return grid


def print_summary(record: ArticleRecord, console: Console) -> None:
    """A short human-readable view of one record (``analyze --format pretty``)."""
    console.rule(line(record.title or record.source or record.id[:12]))
    console.print(line(f"id {record.id[:16]}…  lang {record.lang}  outlet {record.outlet}  published {record.published}"))
    console.print(line(f"{len(record.text)} characters, {len(record.sentences)} sentences, {len(record.entities)} entities"))
    by_label = Counter(e.label for e in record.entities)
    console.print(line("entities: " + ", ".join(f"{label} {n}" for label, n in by_label.most_common())))
    names = {actor.id: actor.name for actor in record.actors} | {place.id: place.name for place in record.places}
    console.print(line("actors: " + ", ".join(f"{a.name} ({a.cameo or a.kind})" for a in record.actors)))
    console.print(line("places: " + ", ".join(p.name for p in record.places)))
    for event in record.events:
        trigger = record.text[event.trigger[0] : event.trigger[1]]
        text = f"event {event.type} {event.cameo}: {names.get(event.source or '', '-')} -> {names.get(event.target or '', '-')}"
        extras = [f"{key} {value}" for key, value in (
            ("negated", event.negated or None), ("via", names.get(event.attributed_to or "")),
            ("in", names.get(event.place or "")), ("dead", event.fatalities),
        ) if value]
        console.print(line(f"{text}  \"{trigger}\"" + (f"  ({', '.join(extras)})" if extras else "")))
    for quote in record.quotes:
        via = f", via {names.get(quote.attributed_via, quote.attributed_via)}" if quote.attributed_via else ""
        speaker = names.get(quote.speaker or "", "-")
        console.print(line(f"quote {quote.kind} {speaker}: {shorten(quote.text)}  ({quote.cue or 'no cue'}{via})"))
    for item in record.framing:
        said = shorten(item.text) if item.text else ""
        parts = [f"framing {item.kind}", said if said[:1] in "\"'\u201c\u2018" else f'"{said}"' if said else "",
                 f"-> {names.get(item.target, item.target)}" if item.target else "", f"({item.voice}): {item.note}"]
        console.print(line(" ".join(part for part in parts if part)))
    scored = [(s.bias, s) for s in record.sentences if s.bias is not None]
    if scored:
        bias, sentence = max(scored, key=lambda pair: pair[0])
        console.print(line(f"most biased sentence ({bias:.2f}): {shorten(record.text[sentence.start : sentence.end])}"))
    for warning in record.warnings:
        console.print(line(warning, "yellow", "warning"))


class Tracker:
    """Counts outcomes, prints each quarantined record on one line and drives a progress bar on stderr."""

    def __init__(self, languages: Sequence[str], description: str = "analyzing") -> None:
        self.counts: Counter[str] = Counter()
        self.languages = set(languages)
        self.started = time.perf_counter()
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} articles/s"),
            TimeElapsedColumn(),
            console=err,
            transient=False,
            disable=not err.is_terminal,
        )
        self.task = self.progress.add_task(escape(visible(description)), total=None, rate=0.0)

    def __enter__(self) -> Tracker:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.progress.stop()

    def __call__(self, outcome: object) -> None:
        """Count one outcome of the pipeline: a record, a quarantine entry, or an unchanged article."""
        if isinstance(outcome, Quarantined):
            self.counts["quarantined"] += 1
            self.progress.console.print(line(f"{outcome.source}: [{outcome.code}] {outcome.reason}", "yellow", "quarantined"))
        elif isinstance(outcome, ArticleRecord):
            self.counts["articles"] += 1
            self.counts["unanalyzed"] += outcome.lang is not None and outcome.lang not in self.languages
        else:
            self.counts["skipped"] += 1
        done = self.counts["articles"] + self.counts["skipped"]
        self.progress.update(self.task, completed=done, rate=done / max(time.perf_counter() - self.started, 1e-9))

    def summary(self) -> str:
        """``N articles (K kept unanalyzed: not English), M unchanged, Q quarantined``."""
        counts = self.counts
        kept = f" ({counts['unanalyzed']} kept unanalyzed: not English)" if counts["unanalyzed"] else ""
        plural = "" if counts["articles"] == 1 else "s"
        return f"{counts['articles']} article{plural}{kept}, {counts['skipped']} unchanged, {counts['quarantined']} quarantined"
