"""Draw the blind precision sample of events (issue 13): run presslens on real dev articles, sample N events, write judge packets.

Runs the installed pipeline over the English Zyte dev pages and the PolNeAR dev texts, writes every
event to ``OUT/events.jsonl``, draws ``--n`` events at random with a fixed seed and writes:

- ``OUT/packet-K.md`` and ``OUT/judgements-K.tsv`` for each of ``--judges`` judges: per event the
  article's header and date, the paragraphs around its sentence (sentence and trigger marked), the
  event in words, and at the end every article of the packet in full (``eval/precision/PROTOCOL.md``
  says how to judge); the TSV has one line per event to fill in (id, verdict, reason);
- ``MANIFEST_DIR/sample-DATE.jsonl``: sample id, data source and file, article ids, event index and
  event fields, no article text (so the sample can be rebuilt and scored), with ``sample-DATE.meta.json``
  (seed, counts, pipeline fingerprint, the persons summary);
- ``OUT/persons.md``: the named persons of the sampled articles with or without a country and a
  CAMEO code, and the office-holders with the date their role was resolved by.

``OUT`` (default ``out/precision``) is git-ignored: packets hold article text. Example::

    .venv/bin/python scripts/precision_sample.py --n 100 --judges 2
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ZYTE = SHARED / "eval" / "extraction" / "dev" / "zyte"
POLNEAR = SHARED / "eval" / "quotes" / "dev" / "polnear_dev.jsonl"
CAMEO_TSV = SHARED / "knowledge" / "cameo_event_codes.tsv"


@dataclass(frozen=True)
class Item:
    """One input article: the data source it came from, its file (relative to ../shared/eval) and its id there."""

    source: str
    data_file: str
    key: str
    raw: Any  # presslens.ingest.raw.RawDoc


@dataclass(frozen=True)
class Drawn:
    """One sampled event with its article record."""

    sample_id: str
    item: Item
    record: Any  # presslens.record.models.ArticleRecord
    index: int


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zyte", type=Path, default=ZYTE, help="Zyte benchmark folder (html/*.html.gz, ground-truth.json)")
    parser.add_argument("--polnear", type=Path, default=POLNEAR, help="PolNeAR JSON Lines")
    parser.add_argument("--cameo", type=Path, default=CAMEO_TSV, help="CAMEO event codes with their names (TSV)")
    parser.add_argument("--n", type=int, default=100, help="events drawn")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--judges", type=int, default=2, help="packets, one per judge (each event is in one packet)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "precision", help="judge packets (outside git)")
    parser.add_argument("--manifest-dir", type=Path, default=ROOT / "eval" / "precision", help="where the sample manifest goes")
    parser.add_argument("--date", default=date.today().isoformat(), help="the manifest's date (its file name)")
    parser.add_argument("--config", type=Path, help="a presslens config file")
    return parser.parse_args(argv)


def relative(path: Path) -> str:
    """``path`` relative to ../shared/eval when it lies there (the manifest never holds a machine's path)."""
    try:
        return path.resolve().relative_to((SHARED / "eval").resolve()).as_posix()
    except ValueError:
        return path.name


def zyte_items(folder: Path) -> Iterator[Item]:
    """The Zyte pages as HTML RawDocs with their URL, in file-name order."""
    from presslens.ingest.decode import decode_bytes
    from presslens.ingest.raw import RawDoc

    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for path in sorted((folder / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        meta = {"source_id": key, **({"url": truth[key]["url"]} if key in truth else {})}
        content = decode_bytes(gzip.decompress(path.read_bytes()))
        yield Item("zyte", relative(path), key, RawDoc(source=f"zyte/{key}", kind="html", content=content, meta=meta))


def polnear_items(path: Path) -> Iterator[Item]:
    """The PolNeAR texts as text RawDocs with their title, outlet and publication date."""
    from presslens.ingest.raw import RawDoc

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        info = row.get("meta", {})
        meta = {"source_id": row["id"], "published": info.get("publication_date"), "title": info.get("title"), "outlet": info.get("publisher")}
        meta = {k: v for k, v in meta.items() if v}
        yield Item("polnear", relative(path), row["id"], RawDoc(source=f"polnear/{row['id']}", kind="text", content=row["text"], meta=meta))


def analyze(items: list[Item], config: Path | None) -> tuple[list[tuple[Item, Any]], str]:
    """(item, record) of every analyzed English article, and the pipeline's fingerprint."""
    from presslens.pipeline import Pipeline
    from presslens.record.models import ArticleRecord
    from presslens.settings import load_settings

    pipeline = Pipeline(load_settings(config) if config else None)
    by_source = {item.raw.source: item for item in items}
    records = [(by_source[o.source], o) for o in pipeline.analyze(item.raw for item in items) if isinstance(o, ArticleRecord)]
    return [(item, r) for item, r in records if r.lang in (None, "en")], pipeline.fingerprint


def draw(records: list[tuple[Item, Any]], n: int, seed: int) -> list[Drawn]:
    """``n`` events drawn uniformly from all events (in a fixed order first, so a seed gives one sample)."""
    events = sorted(((item, record, i) for item, record in records for i in range(len(record.events))),
                    key=lambda e: (e[0].source, e[0].key, e[2]))
    chosen = sorted(random.Random(seed).sample(range(len(events)), min(n, len(events))))
    return [Drawn(f"S{k + 1:03d}", *events[j]) for k, j in enumerate(chosen)]


def manifest_row(drawn: Drawn) -> dict[str, Any]:
    """The manifest line of one sampled event: ids and event fields, no article text."""
    event = drawn.record.events[drawn.index]
    return {
        "id": drawn.sample_id, "source": drawn.item.source, "data_file": drawn.item.data_file, "article": drawn.item.key,
        "record_id": drawn.record.id, "event_index": drawn.index, "event": event.model_dump(mode="json"),
    }


def cameo_names(path: Path) -> dict[str, str]:
    """CAMEO event code -> its codebook name (empty when the table is absent)."""
    if not path.is_file():
        return {}
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["code"]: row["description"] for row in csv.DictReader(lines, delimiter="\t")}


def actor_words(record: Any, actor_id: str | None, code: str | None) -> str:
    """An event role in words: the actor's name, id, CAMEO code and country."""
    if actor_id is None:
        return "none"
    actor = next((a for a in record.actors if a.id == actor_id), None)
    name = actor.name if actor else actor_id
    country = actor.country if actor and actor.country else "none"
    return f"{name} (id {actor_id}); CAMEO actor code {code or 'none'}; country {country}"


def event_words(drawn: Drawn, names: dict[str, str]) -> list[str]:
    """The event as the judge reads it: type, code and name, roles, flags, date, place."""
    e, r = drawn.record.events[drawn.index], drawn.record
    root = e.cameo[:2]
    flags = ", ".join(f"{flag}: {'yes' if getattr(e, flag) else 'no'}" for flag in ("negated", "hypothetical", "background"))
    return [
        f"- Type: {e.type} (PLOVER){f', mode {e.mode}' if e.mode else ''}",
        f"- CAMEO event code: {e.cameo} \"{names.get(e.cameo, '?')}\" (root {root} {names.get(root, '?')})",
        f"- Source: {actor_words(r, e.source, e.source_cameo)}",
        f"- Target: {actor_words(r, e.target, e.target_cameo)}",
        f"- {flags}",
        f"- Date: {e.date or 'none'}; place: {e.place or 'none'}; attributed to: {e.attributed_to or 'none'}",
    ]


def context(text: str, sentence: tuple[int, int], trigger: tuple[int, int], before: int = 2, after: int = 1) -> str:
    """The paragraphs (non-empty lines) around the sentence, the sentence between ⟦ ⟧ and the trigger between « »."""
    paragraphs, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append((start, start + len(line)))
        start += len(line) + 1
    here = next((k for k, (_, end) in enumerate(paragraphs) if sentence[0] <= end), len(paragraphs) - 1)
    lo, hi = paragraphs[max(0, here - before)][0], paragraphs[min(len(paragraphs) - 1, here + after)][1]
    end = min(len(text[: sentence[1]].rstrip()), hi)
    marks = sorted([(sentence[0], 0, "⟦"), (trigger[0], 1, "«"), (trigger[1], 2, "»"), (end, 3, "⟧")])
    pieces, last = [], lo
    for at, _, mark in marks:
        pieces += [text[last:at], mark]
        last = at
    pieces.append(text[last:hi])
    return "\n".join(line for line in "".join(pieces).split("\n") if line.strip())


def packets(sample: list[Drawn], judges: int, names: dict[str, str], out: Path) -> None:
    """Write ``packet-K.md`` and ``judgements-K.tsv`` for each judge (events dealt round-robin)."""
    for k in range(judges):
        mine = sample[k::judges]
        articles: dict[str, Drawn] = {}
        blocks = [f"# Precision study packet {k + 1} of {judges}\n\nJudge each event by eval/precision/PROTOCOL.md; "
                  f"write your verdicts in judgements-{k + 1}.tsv.\n"]
        for drawn in mine:
            articles.setdefault(drawn.record.id, drawn)
            label = f"A{list(articles).index(drawn.record.id) + 1}"
            r, e = drawn.record, drawn.record.events[drawn.index]
            blocks.append("\n".join([
                f"## {drawn.sample_id}", "",
                f"Article {label}: {r.title or '(no title)'} — {r.outlet or r.url or drawn.item.source}; "
                f"published {r.published or 'no date given'} (full text at the end of this packet)", "",
                "Context (the event's sentence between ⟦ ⟧, the trigger between « »):", "",
                *[f"> {line}" for line in context(r.text, e.sentence, e.trigger).split("\n")], "",
                "Event claimed:", *event_words(drawn, names), "",
            ]))
        for n, drawn in enumerate(articles.values(), 1):
            r = drawn.record
            blocks.append(f"## Article A{n}: {r.title or '(no title)'}\n\npublished {r.published or 'no date given'}; {r.url or drawn.item.source}\n\n{r.text}\n")
        (out / f"packet-{k + 1}.md").write_text("\n".join(blocks), encoding="utf-8")
        rows = "".join(f"{d.sample_id}\t\t\n" for d in mine)
        (out / f"judgements-{k + 1}.tsv").write_text("id\tverdict\treason\n" + rows, encoding="utf-8")


def role_date(record: Any) -> str:
    """The date the actor component resolved roles by: the publication date, a date in the text, or today."""
    from presslens.analyzers.actors.component import text_date

    if record.published:
        return f"{str(record.published)[:10]} (published)"
    found = text_date(record.text[:600])
    return f"{found.isoformat()} (date in the text)" if found else "today (no date: a warning in the record)"


def persons(sample: list[Drawn]) -> tuple[list[str], dict[str, Any]]:
    """The persons report (markdown lines) and its summary counts, over the articles of the sample."""
    records = {d.record.id: d for d in sample}
    lines, total, coded, holders = ["# Named persons of the sampled articles", ""], 0, 0, 0
    for drawn in records.values():
        r = drawn.record
        people = [a for a in r.actors if a.kind == "person"]
        if not people:
            continue
        lines += [f"## {drawn.item.source}/{drawn.item.key} (roles resolved by {role_date(r)})", ""]
        for a in people:
            total += 1
            coded += bool(a.country and a.cameo)
            holders += bool(a.role)
            lines.append(f"- {a.name}: country {a.country or 'NONE'}; CAMEO {a.cameo or 'NONE'}"
                         f"{f'; office-holder: {a.role}' if a.role else ''}")
        lines.append("")
    summary = {"articles": len(records), "persons": total, "with_country_and_cameo": coded,
               "share": round(coded / total, 3) if total else None, "office_holders": holders}
    lines.insert(2, f"{coded} of {total} named persons have a country and a CAMEO code; {holders} hold an office.\n")
    return lines, summary


def main(argv: Sequence[str] | None = None) -> int:
    """Analyze, draw, and write the events, the packets, the manifest and the persons report."""
    args = parse_args(argv)
    started = time.perf_counter()
    items = [*zyte_items(args.zyte), *polnear_items(args.polnear)]
    records, fingerprint = analyze(items, args.config)
    analyzed = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "events.jsonl").open("w", encoding="utf-8") as events:
        for item, record in records:
            for i, event in enumerate(record.events):
                events.write(json.dumps({"source": item.source, "article": item.key, "event_index": i, **event.model_dump(mode="json")}) + "\n")
    sample = draw(records, args.n, args.seed)
    packets(sample, args.judges, cameo_names(args.cameo), args.out)
    report, summary = persons(sample)
    (args.out / "persons.md").write_text("\n".join(report), encoding="utf-8")
    args.manifest_dir.mkdir(parents=True, exist_ok=True)
    manifest = args.manifest_dir / f"sample-{args.date}.jsonl"
    manifest.write_text("".join(json.dumps(manifest_row(d)) + "\n" for d in sample), encoding="utf-8")
    counts = {s: sum(len(r.events) for i, r in records if i.source == s) for s in ("zyte", "polnear")}
    meta = {"seed": args.seed, "n": len(sample), "judges": args.judges, "fingerprint": fingerprint,
            "articles": {s: sum(i.source == s for i, _ in records) for s in counts}, "events": counts,
            "persons": summary, "analyze_seconds": round(analyzed, 1)}
    manifest.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"{sum(counts.values())} events from {len(records)} English articles ({analyzed:.0f} s); drew {len(sample)} "
          f"(seed {args.seed}) into {args.judges} packets in {args.out}; manifest {manifest}")
    print(report[2].strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
