"""The presslens command line: each command parses, makes one API call and prints."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional, TextIO

import spacy
import typer
from spacy.language import Language
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from presslens import __version__
from presslens.errors import PresslensError, UsageError
from presslens.pipeline import Outcome, Pipeline, Skipped
from presslens.record.models import ArticleRecord, Quarantined
from presslens.settings import load_settings
from presslens.store import Store, export, query
from presslens.store.duck import to_json

app = typer.Typer(
    help="presslens: turn news articles into evidence-linked actors, events, quotes and framing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure presslens against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
actors_app = typer.Typer(help="Work with the actor dictionary.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")
places_app = typer.Typer(help="Work with the gazetteer.", no_args_is_help=True)
app.add_typer(places_app, name="places")
out = Console()
err = Console(stderr=True, soft_wrap=True)


class AnalyzeFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    pretty = "pretty"


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"


ConfigOption = Annotated[Optional[Path], typer.Option("--config", "-c", help="Configuration file (default: the packaged config.cfg).")]
DbOption = Annotated[Optional[Path], typer.Option("--db", help="DuckDB file (default from the config: presslens.duckdb).")]


def _fail(error: PresslensError) -> NoReturn:
    """Print a coded error on one line and exit with status 2 (a usage error)."""
    _print_error(error)
    raise typer.Exit(2)


def _print_error(error: PresslensError) -> None:
    """Print ``error [CODE] message`` on stderr; the message is shown as is, never as markup."""
    err.print(Text.assemble(("error", "red"), f" {error}"))


def _first_line(error: Exception) -> str:
    """The first line of an exception's message ("" when it has none)."""
    return next(iter(str(error).strip().splitlines()), "")


def _progress() -> Progress:
    """A progress display on stderr with the article count and rate."""
    return Progress(
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


def _tracked(outcomes: Iterator[Outcome], counts: Counter[str]) -> Iterator[Outcome]:
    """Count outcomes, report quarantined records on one line each, and drive the progress bar."""
    started = time.perf_counter()
    with _progress() as progress:
        task = progress.add_task("analyzing", total=None, rate=0.0)
        for outcome in outcomes:
            if isinstance(outcome, Quarantined):
                counts["quarantined"] += 1
                progress.console.print(
                    Text.assemble(("quarantined", "yellow"), f" {outcome.source}: [{outcome.code}] {outcome.reason}")
                )
            elif isinstance(outcome, Skipped):
                counts["skipped"] += 1
            else:
                counts["articles"] += 1
                counts["unanalyzed"] += not outcome.sentences and any(w.startswith("[PL108]") for w in outcome.warnings)
            done = counts["articles"] + counts["skipped"]
            progress.update(task, completed=done, rate=done / max(time.perf_counter() - started, 1e-9))
            yield outcome


def _exit_status(counts: Counter[str], suffixes: list[str]) -> None:
    """Exit 1 when not a single record was found or could be processed."""
    kept = f" ({counts['unanalyzed']} kept unanalyzed: not English)" if counts["unanalyzed"] else ""
    err.print(
        f"{counts['articles']} article{'' if counts['articles'] == 1 else 's'}{kept}, {counts['skipped']} unchanged, {counts['quarantined']} quarantined",
        highlight=False,
    )
    if counts["articles"] + counts["skipped"] + counts["quarantined"] == 0:
        err.print(Text.assemble(
            ("no input records found", "red"),
            f" in the given paths (directories are scanned for files ending in {', '.join(suffixes)})",
        ))
        raise typer.Exit(1)
    if counts["articles"] + counts["skipped"] == 0:
        err.print("[red]no record could be processed[/red]: see the quarantine reasons above")
        raise typer.Exit(1)


@app.command()
def analyze(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    fmt: Annotated[AnalyzeFormat, typer.Option("--format", "-f", help="jsonl, json (one array) or pretty.")] = AnalyzeFormat.jsonl,
    config: ConfigOption = None,
) -> None:
    """Analyze articles and print one JSON record per article (nothing is stored).

    Examples:

        presslens analyze samples/judean-hamas-cooling-period.txt --format pretty

        cat article.html | presslens analyze - -o out.jsonl
    """
    counts: Counter[str] = Counter()
    try:
        settings = load_settings(config)
        pipeline = Pipeline(settings)
        records = (o for o in _tracked(pipeline.analyze(pipeline.read(paths)), counts) if isinstance(o, ArticleRecord))
        with _open_output(output) as sink:
            _write_records(records, fmt, sink)
    except PresslensError as error:
        _fail(error)
    _exit_status(counts, settings.ingest.suffixes)


def _open_output(path: Optional[Path]) -> AbstractContextManager[TextIO]:
    """The file to write records to, or stdout when no path is given.

    Raises:
        UsageError: PL210 when the file cannot be created (no such folder, a directory, no permission).
    """
    if path is None:
        return nullcontext(sys.stdout)
    try:
        return path.open("w", encoding="utf-8")
    except OSError as error:
        raise UsageError("PL210", path=str(path), detail=error.strerror or _first_line(error)) from None


def _write_records(records: Iterator[ArticleRecord], fmt: AnalyzeFormat, sink: Any) -> None:
    """Write records as JSON Lines, one JSON array, or a readable summary."""
    if fmt is AnalyzeFormat.pretty:
        for record in records:
            _print_summary(record, Console(file=sink) if sink is not sys.stdout else out)
        return
    if fmt is AnalyzeFormat.json:
        sink.write("[")
    for i, record in enumerate(records):
        if fmt is AnalyzeFormat.json:
            sink.write(("," if i else "") + "\n" + record.model_dump_json(indent=2))
        else:
            sink.write(record.model_dump_json() + "\n")
    if fmt is AnalyzeFormat.json:
        sink.write("\n]\n")


def _shorten(text: str, limit: int = 80) -> str:
    """A text cut to ``limit`` characters, marked with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _print_summary(record: ArticleRecord, console: Console) -> None:
    """A short human-readable view of one record."""
    console.rule(Text(record.title or record.source or record.id[:12]))
    console.print(
        f"id {record.id[:16]}…  lang {record.lang}  outlet {record.outlet}  published {record.published}",
        markup=False,
        highlight=False,
    )
    console.print(f"{len(record.text)} characters, {len(record.sentences)} sentences, {len(record.entities)} entities")
    by_label = Counter(e.label for e in record.entities)
    console.print("entities: " + ", ".join(f"{label} {n}" for label, n in by_label.most_common()), markup=False, highlight=False)
    names = {actor.id: actor.name for actor in record.actors} | {place.id: place.name for place in record.places}
    console.print(Text("actors: " + ", ".join(f"{a.name} ({a.cameo or a.kind})" for a in record.actors)))
    console.print(Text("places: " + ", ".join(p.name for p in record.places)))
    for event in record.events:
        trigger = record.text[event.trigger[0] : event.trigger[1]]
        line = f"event {event.type} {event.cameo}: {names.get(event.source or '', '-')} -> {names.get(event.target or '', '-')}"
        extras = [f"{key} {value}" for key, value in (
            ("negated", event.negated or None), ("via", names.get(event.attributed_to or "")),
            ("in", names.get(event.place or "")), ("dead", event.fatalities),
        ) if value]
        console.print(Text(f"{line}  \"{trigger}\"" + (f"  ({', '.join(extras)})" if extras else "")))
    for quote in record.quotes:
        via = f", via {names.get(quote.attributed_via, quote.attributed_via)}" if quote.attributed_via else ""
        speaker = names.get(quote.speaker or "", "-")
        console.print(Text(f"quote {quote.kind} {speaker}: {_shorten(quote.text)}  ({quote.cue or 'no cue'}{via})"))
    for item in record.framing:
        said = _shorten(item.text) if item.text else ""
        parts = [f"framing {item.kind}", said if said[:1] in "\"'\u201c\u2018" else f'"{said}"' if said else "",
                 f"-> {names.get(item.target, item.target)}" if item.target else "", f"({item.voice}): {item.note}"]
        console.print(Text(" ".join(part for part in parts if part)))
    scored = [(s.bias, s) for s in record.sentences if s.bias is not None]
    if scored:
        bias, sentence = max(scored, key=lambda pair: pair[0])
        console.print(Text(f"most biased sentence ({bias:.2f}): {_shorten(record.text[sentence.start : sentence.end])}"))
    for warning in record.warnings:
        console.print(Text.assemble(("warning", "yellow"), f" {warning}"))


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    db: DbOption = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="spaCy worker processes.")] = None,
    config: ConfigOption = None,
) -> None:
    """Analyze articles and store them in DuckDB; re-running skips articles already stored.

    Examples:

        presslens ingest samples/

        presslens ingest crawl.jsonl --db news.duckdb --workers 2
    """
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    try:
        settings = load_settings(config)
        pipeline = Pipeline(settings)
        items = pipeline.read(paths)
        store = Store(db or settings.store.db)
        fingerprint = pipeline.fingerprint
        run_id = store.start_run(
            " ".join(["ingest", *paths]),
            model=settings.nlp.model,
            config_hash=fingerprint,
            version=__version__,
            spacy_version=spacy.__version__,
            model_version=pipeline.nlp.meta["version"],
        )
        outcomes = pipeline.analyze(items, skip=lambda i: store.has_article(i, fingerprint), n_process=workers)
        _store_batches(_tracked(outcomes, counts), store, run_id, fingerprint, settings.store.batch_size)
        store.finish_run(run_id, counts, time.perf_counter() - started)
        table = Table("table", "rows", title=Text(str(store.path)))
        for name, rows in store.counts().items():
            table.add_row(name, str(rows))
        out.print(table)
        store.close()
    except PresslensError as error:
        _fail(error)
    _exit_status(counts, settings.ingest.suffixes)


def _store_batches(outcomes: Iterator[Outcome], store: Store, run_id: str, config_hash: str, size: int) -> None:
    """Write records and quarantine entries in transactions of ``size`` records."""
    records: list[ArticleRecord] = []
    rejected: list[Quarantined] = []
    for outcome in outcomes:
        if isinstance(outcome, ArticleRecord):
            records.append(outcome)
        elif isinstance(outcome, Quarantined):
            rejected.append(outcome)
        if len(records) + len(rejected) >= size:
            store.upsert(records, run_id, config_hash)
            store.quarantine(rejected, run_id)
            records, rejected = [], []
    store.upsert(records, run_id, config_hash)
    store.quarantine(rejected, run_id)


@app.command("query")
def query_command(
    sql: Annotated[str, typer.Argument(help="One read-only SQL statement (SELECT or EXPLAIN).")],
    db: DbOption = None,
    fmt: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
) -> None:
    """Run a read-only SQL query on the database.

    Example:

        presslens query "SELECT label, count(*) AS n FROM entities GROUP BY label ORDER BY n DESC"
    """
    try:
        names, rows = query(db or load_settings().store.db, sql)
    except PresslensError as error:
        _fail(error)
    if fmt is QueryFormat.json:
        for row in rows:
            sys.stdout.write(json.dumps({n: to_json(v) for n, v in zip(names, row)}, ensure_ascii=False) + "\n")
    elif fmt is QueryFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(rows)
    else:
        table = Table()
        for name in names:
            table.add_column(Text(name))
        for row in rows:
            table.add_row(*(Text("" if v is None else str(v)) for v in row))
        out.print(table)


@app.command("export")
def export_command(
    table: Annotated[str, typer.Option("--table", "-t", help="articles, entities, sentences, actors, places, events, quotes, framing, runs or quarantine.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for stdout.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.parquet,
    db: DbOption = None,
) -> None:
    """Export one table to Parquet, CSV or JSON Lines.

    Example:

        presslens export --table entities --format parquet -o entities.parquet

        presslens export --table quarantine --format csv -o - | less
    """
    to_stdout = str(output) == "-"
    try:
        rows = export(db or load_settings().store.db, table, fmt.value, Path("/dev/stdout") if to_stdout else output)
    except PresslensError as error:
        _fail(error)
    err.print(f"wrote {rows} rows of {table} to {'stdout' if to_stdout else output}", markup=False, highlight=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the article record (the output contract)."""
    sys.stdout.write(json.dumps(ArticleRecord.model_json_schema(), indent=2) + "\n")


@eval_app.command("extraction")
def eval_extraction(
    data: Annotated[Path, typer.Option("--data", help="A Zyte (ground-truth.json) or trafilatura (gold.jsonl) folder.")],
) -> None:
    """Score main-text extraction from HTML with the benchmark's own metric.

    Example:

        presslens eval extraction --data ../shared/eval/extraction/dev/zyte
    """
    from presslens.eval.extraction import evaluate_extraction

    try:
        scores = evaluate_extraction(data)
    except PresslensError as error:
        _fail(error)
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")


@eval_app.command("events")
def eval_events(
    data: Annotated[Path, typer.Option("--data", help="A gold file: plover_gsr.jsonl, petr2_gsr.jsonl or petrarch2_unit_tests.jsonl.")],
    config: ConfigOption = None,
) -> None:
    """Score event coding: type accuracy and recall, dyad F1, per-type P/R, confusions, unit-test pass rates.

    Example:

        presslens eval events --data ../shared/eval/events/dev/plover_gsr.jsonl
    """
    from presslens.eval.events import evaluate_events

    _evaluate_with_pipeline(evaluate_events, data, config)


@eval_app.command("quotes")
def eval_quotes(
    data: Annotated[Path, typer.Option("--data", help="A gold file: polnear_dev.jsonl or textacy_fixtures.jsonl.")],
    config: ConfigOption = None,
) -> None:
    """Score quotation finding and speakers, beside textacy's direct_quotations when it is installed.

    Example:

        presslens eval quotes --data ../shared/eval/quotes/dev/polnear_dev.jsonl
    """
    from presslens.eval.quotes import evaluate_quotes

    _evaluate_with_pipeline(evaluate_quotes, data, config)


@eval_app.command("framing")
def eval_framing(
    data: Annotated[Path, typer.Option("--data", help="A gold file: ptc.jsonl, basil.jsonl, newsmtsc.jsonl or babe.jsonl.")],
    folds: Annotated[int, typer.Option("--folds", min=0, help="Also score K-fold cross-validation, grouped by article (PTC, BABE; needs presslens[train], and presslens[encoder] with encoder = true).")] = 0,
    config: ConfigOption = None,
) -> None:
    """Score framing: PTC technique spans (SI F1, TC micro-F1), BASIL lexical bias, NewsMTSC, BABE.

    Example:

        presslens eval framing --data ../shared/eval/framing/dev/ptc.jsonl --folds 5
    """
    from presslens.eval.framing import evaluate_framing

    try:
        scores = evaluate_framing(data, folds, lambda: Pipeline(load_settings(config)).nlp)
    except PresslensError as error:
        _fail(error)
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")


def _evaluate_with_pipeline(evaluate: Callable[[Path, Language], dict[str, Any]], data: Path, config: Path | None) -> None:
    """Run one evaluation with the configured pipeline and print its scores as JSON."""
    try:
        scores = evaluate(data, Pipeline(load_settings(config)).nlp)
    except PresslensError as error:
        _fail(error)
    sys.stdout.write(json.dumps(scores, indent=2) + "\n")


def _report_problems(problems: list[str], what: str) -> None:
    """Print each problem on its own line and exit 1 when there is any."""
    for problem in problems:
        err.print(Text(problem))
    if problems:
        err.print(Text(f"{len(problems)} problem(s) in the {what}"), style="red")
        raise typer.Exit(1)
    err.print(f"the {what} is valid", highlight=False)


@actors_app.command("check")
def actors_check(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Your own actor files (JSONL); default: the bundled ones.")] = None,
) -> None:
    """Validate actor files: ids, kinds, country and CAMEO codes, aliases claimed twice.

    Example:

        presslens actors check my-actors.jsonl
    """
    from presslens.knowledge.actors import check_actor_files

    _report_problems(check_actor_files(files or None), "actor dictionary")


@places_app.command("check")
def places_check(
    folder: Annotated[Optional[Path], typer.Argument(help="A folder laid out like presslens/data/places; default: the bundled one.")] = None,
) -> None:
    """Validate the gazetteer: ids, countries, coordinates, alternate names and who uses them.

    Example:

        presslens places check
    """
    from presslens.knowledge.places import check_place_files

    _report_problems(check_place_files(folder), "gazetteer")


def main() -> None:
    """Console-script entry point: an unexpected error prints one coded line and exits 1.

    With ``PRESSLENS_DEBUG=1`` in the environment the error is re-raised with its traceback.
    """
    try:
        app()
    except Exception as error:
        if os.environ.get("PRESSLENS_DEBUG", "") not in ("", "0"):
            raise
        _print_error(PresslensError("PL901", kind=type(error).__name__, detail=_first_line(error)))
        raise SystemExit(1) from None
