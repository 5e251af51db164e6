"""Benchmark presslens's throughput against its physical floor, bare spaCy ``nlp.pipe``, on the same texts.

The presslens side runs ``Pipeline.analyze`` over the raw documents (cleaning, HTML extraction, mojibake
repair, language identification, the extra components and record conversion included); the spaCy side
runs ``spacy.load(settings.nlp.model).pipe`` with the same batch size and process count over the cleaned
texts of the very articles presslens analyzes. Reading the files, loading the models and a short warm-up
are done before the clock starts. Each side runs in its own fresh subprocess, so its peak RSS is its own,
and the sides alternate (spaCy, presslens, spaCy, presslens, ...) to spread the noise of a shared machine;
the best round of each side gives docs/s, tokens/s and the ratio presslens/spaCy (1.0 would mean presslens
adds nothing to spaCy's cost). Run it from the repository root as
``.venv/bin/python bench/bench_pipeline.py --data samples/ --repeat 20`` (add ``--json`` for
machine-readable output).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import spacy
from rich.console import Console
from rich.table import Table

from presslens.clean import clean
from presslens.errors import BadInputError
from presslens.ingest.raw import Quarantined, RawDoc
from presslens.pipeline import Pipeline
from presslens.record.models import ArticleRecord
from presslens.settings import Settings, load_settings

SIDES = ("spacy", "presslens")
DEFAULT_DATA = str(Path(__file__).resolve().parent.parent / "samples")

Result = dict[str, Any]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (``--side`` is the internal per-side subprocess mode)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", nargs="+", default=[DEFAULT_DATA], help="files or directories (default: samples/)")
    parser.add_argument("--repeat", type=int, default=8, help="times the corpus is repeated in each round")
    parser.add_argument("--n-process", type=int, default=1, help="spaCy worker processes, for both sides")
    parser.add_argument("--warmup", type=int, default=5, help="documents analyzed before timing, per side")
    parser.add_argument("--rounds", type=int, default=2, help="timed runs per side, alternating sides")
    parser.add_argument("--config", help="a presslens config file (e.g. one with [components.presslens_bias] encoder = true)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--side", choices=SIDES, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def read_raw(pipeline: Pipeline, paths: Sequence[str]) -> list[RawDoc | Quarantined]:
    """Read every record of ``paths`` into memory (reading is not part of the measurement)."""
    return list(pipeline.read(paths))


def analyzable_articles(items: Sequence[RawDoc | Quarantined], settings: Settings) -> list[tuple[str, str]]:
    """(id, cleaned text) of every article presslens sends to spaCy, in input order."""
    articles = []
    for item in items:
        if isinstance(item, Quarantined):
            continue
        try:
            article = clean(item, settings.clean)
        except BadInputError:
            continue
        if article.analyzable:
            articles.append((article.id, article.text))
    return articles


def peak_rss_mib(who: int) -> float:
    """Peak resident set size of ``who`` (RUSAGE_SELF or RUSAGE_CHILDREN) in MiB; Linux reports KiB."""
    return resource.getrusage(who).ru_maxrss / 1024


def timed_spacy(settings: Settings, texts: list[str], repeat: int, n_process: int, warmup: int) -> tuple[int, int, float]:
    """Warm up, then time ``repeat`` passes of bare ``nlp.pipe`` over ``texts``: (docs, tokens, seconds)."""
    nlp = spacy.load(settings.nlp.model)
    list(nlp.pipe(texts[:warmup], batch_size=settings.nlp.batch_size))
    docs = tokens = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for doc in nlp.pipe(texts, batch_size=settings.nlp.batch_size, n_process=n_process):
            docs += 1
            tokens += len(doc)
    seconds = time.perf_counter() - start
    return docs, tokens, seconds


def timed_presslens(
    settings: Settings,
    raw: list[RawDoc | Quarantined],
    articles: list[tuple[str, str]],
    repeat: int,
    n_process: int,
    warmup: int,
) -> tuple[int, int, float]:
    """Warm up, then time ``repeat`` passes of ``Pipeline.analyze`` over ``raw``: (records, tokens, seconds).

    One pass per repeat, because ``analyze`` analyzes an article met twice in one stream once.
    """
    pipeline = Pipeline(settings)
    tokens_by_id = {article_id: len(pipeline.nlp.tokenizer(text)) for article_id, text in articles}
    list(pipeline.analyze(raw[:warmup]))
    docs = tokens = 0
    start = time.perf_counter()
    for _ in range(repeat):
        for outcome in pipeline.analyze(raw, n_process=n_process):
            if isinstance(outcome, ArticleRecord) and outcome.id in tokens_by_id:
                docs += 1
                tokens += tokens_by_id[outcome.id]
    seconds = time.perf_counter() - start
    return docs, tokens, seconds


def run_side(args: argparse.Namespace) -> Result:
    """Subprocess mode: time one side; the analyzable (id, text) pairs come as JSON on stdin."""
    settings = load_settings(args.config)
    articles = [(article_id, text) for article_id, text in json.load(sys.stdin)]
    if args.side == "spacy":
        texts = [text for _id, text in articles]
        docs, tokens, seconds = timed_spacy(settings, texts, args.repeat, args.n_process, args.warmup)
    else:
        raw = read_raw(Pipeline(settings), args.data)
        docs, tokens, seconds = timed_presslens(settings, raw, articles, args.repeat, args.n_process, args.warmup)
    return {
        "side": args.side,
        "docs": docs,
        "tokens": tokens,
        "seconds": seconds,
        "docs_per_s": docs / seconds,
        "tokens_per_s": tokens / seconds,
        "peak_rss_mib": peak_rss_mib(resource.RUSAGE_SELF),
        "worker_peak_rss_mib": peak_rss_mib(resource.RUSAGE_CHILDREN),
    }


def spawn_side(side: str, args: argparse.Namespace, payload: str) -> Result:
    """Run one side in a fresh interpreter and return the JSON it prints."""
    command = [
        sys.executable, __file__, "--side", side, "--data", *args.data, "--repeat", str(args.repeat),
        "--n-process", str(args.n_process), "--warmup", str(args.warmup), *(["--config", args.config] if args.config else []),
    ]  # fmt: skip
    proc = subprocess.run(command, input=payload, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{side} run failed (exit {proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine_info(settings: Settings) -> dict[str, Any]:
    """Python, spaCy and model versions, CPU counts and the date of the run."""
    return {
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": f"{settings.nlp.model} {spacy.util.get_package_version(settings.nlp.model)}",
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def benchmark(args: argparse.Namespace) -> Result:
    """Prepare the cleaned texts once, then run the sides alternately in subprocesses."""
    settings = load_settings(args.config)
    raw = read_raw(Pipeline(settings), args.data)
    articles = analyzable_articles(raw, settings)
    if not articles:
        raise SystemExit("no analyzable article in --data")
    payload = json.dumps(articles)
    runs = []
    for round_no in range(1, args.rounds + 1):
        for side in SIDES:
            runs.append({**spawn_side(side, args, payload), "round": round_no})
    best = {side: min((r for r in runs if r["side"] == side), key=lambda r: r["seconds"]) for side in SIDES}
    return {
        "machine": machine_info(settings),
        "corpus": {"data": args.data, "records": len(raw), "analyzable": len(articles), "repeat": args.repeat},
        "n_process": args.n_process,
        "batch_size": settings.nlp.batch_size,
        "runs": runs,
        "best": best,
        "ratio": best["presslens"]["docs_per_s"] / best["spacy"]["docs_per_s"],
        "overall_peak_rss_mib": max(peak_rss_mib(resource.RUSAGE_SELF), peak_rss_mib(resource.RUSAGE_CHILDREN)),
    }


def row(label: str, run: Result, workers: bool) -> list[str]:
    """One table row for a run; ``label`` fills the round column."""
    cells = [
        run["side"], label, str(run["docs"]), str(run["tokens"]), f"{run['seconds']:.2f}", f"{run['docs_per_s']:.1f}",
        f"{run['tokens_per_s']:,.0f}", f"{run['peak_rss_mib']:.0f}",
    ]  # fmt: skip
    return [*cells, f"{run['worker_peak_rss_mib']:.0f}"] if workers else cells


def render(result: Result) -> None:
    """Print the machine line, a table of every round and the best per side, and the ratio."""
    console = Console()
    console.width = max(console.width, 120)  # keep rows unwrapped in logs and pipes
    info, corpus = result["machine"], result["corpus"]
    console.print(
        f"Python {info['python']} | spaCy {info['spacy']} | model {info['model']} | "
        f"CPUs {info['cpus']} ({info['cpus_usable']} usable) | {info['date']}"
    )
    console.print(
        f"corpus {' '.join(corpus['data'])}: {corpus['records']} records, {corpus['analyzable']} analyzable, "
        f"x{corpus['repeat']} | batch_size {result['batch_size']} | n_process {result['n_process']}"
    )
    workers = result["n_process"] > 1
    table = Table("side", "round", "docs", "tokens", "seconds", "docs/s", "tokens/s", "peak RSS MiB")
    if workers:
        table.add_column("worker peak RSS MiB")
    for col in table.columns[2:]:
        col.justify = "right"
    for run in result["runs"]:
        table.add_row(*row(str(run["round"]), run, workers))
    table.add_section()
    for run in result["best"].values():
        table.add_row(*row("best", run, workers), style="bold")
    console.print(table)
    if result["best"]["spacy"]["tokens"] != result["best"]["presslens"]["tokens"]:
        console.print("[yellow]warning: the sides counted different token totals[/yellow]")
    console.print(f"ratio presslens/spacy (docs/s): {result['ratio']:.2f}")
    console.print(f"overall peak RSS (any one process): {result['overall_peak_rss_mib']:.0f} MiB")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: the parent benchmark, or one side when ``--side`` is given."""
    args = parse_args(argv)
    if args.side:
        print(json.dumps(run_side(args)))
    elif args.json:
        print(json.dumps(benchmark(args), indent=2))
    else:
        render(benchmark(args))


if __name__ == "__main__":
    main()
