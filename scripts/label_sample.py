"""Draw article events for readers to label (training data for the event verifier on real articles).

The blind precision study (``scripts/precision_sample.py``) measures presslens on the Zyte and PolNeAR
*dev* articles; the verifier was trained on single gold sentences, which never show it business,
product or opinion text. This script draws events from *other* articles (PolNeAR train texts and the
English pages of the trafilatura dev set), so labels on them can train the verifier without touching
the study's articles. Events are drawn clustered (up to ``--per-article`` from each of randomly
chosen articles, so a packet holds few articles), and written as packets like the study's
(``OUT/packet-K/packet-1.md`` with its sheet ``judgements-1.tsv``, columns ``id``, ``real``, ``type``,
``verdict``, ``reason``: ``eval/precision/PROTOCOL.md`` plus the two yes/no columns) and as a manifest
``MANIFEST_DIR/labels-DATE.jsonl`` (ids, articles and event fields, no text); articles of earlier
manifests there are not drawn again. Example::

    .venv/bin/python scripts/label_sample.py --n 400 --packets 8
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from precision_sample import SHARED, Drawn, Item, analyze, cameo_names, CAMEO_TSV, manifest_row, packets, relative

ROOT = Path(__file__).resolve().parent.parent
POLNEAR_TRAIN = SHARED / "eval" / "quotes" / "train" / "polnear_train.jsonl.gz"
TRAFILATURA = SHARED / "eval" / "extraction" / "dev" / "trafilatura"
COLUMNS = "id\treal\ttype\tverdict\treason\n"


def polnear_train_items(path: Path, n: int, seed: int) -> Iterator[Item]:
    """``n`` PolNeAR train texts drawn at random (a fixed seed), as text RawDocs with their title, outlet and date."""
    from presslens.ingest.raw import RawDoc

    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    for row in random.Random(seed).sample(rows, min(n, len(rows))):
        info = row.get("meta", {})
        meta = {"source_id": row["id"], "published": info.get("publication_date"), "title": info.get("title"),
                "outlet": info.get("publisher")}
        yield Item("polnear-train", relative(path), row["id"],
                   RawDoc(source=f"polnear-train/{row['id']}", kind="text", content=row["text"],
                          meta={k: v for k, v in meta.items() if v}))


def trafilatura_items(folder: Path) -> Iterator[Item]:
    """The English pages of the trafilatura set (``lang_guess`` en) as HTML RawDocs with their URL."""
    from presslens.ingest.decode import decode_bytes
    from presslens.ingest.raw import RawDoc

    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("lang_guess") != "en":
            continue
        path = folder / row["html_file"]
        content = decode_bytes(gzip.decompress(path.read_bytes()))
        yield Item("trafilatura", relative(path), row["id"],
                   RawDoc(source=f"trafilatura/{row['id']}", kind="html", content=content,
                          meta={"source_id": row["id"], "url": row["url"]}))


def draw_clustered(records: list[tuple[Item, Any]], n: int, per_article: int, seed: int) -> list[Drawn]:
    """Up to ``per_article`` random events of each article, articles in a seeded random order, ``n`` in all."""
    rng = random.Random(seed)
    order = [(item, record) for item, record in records if record.events]
    rng.shuffle(order)
    drawn: list[Drawn] = []
    for item, record in order:
        picks = sorted(rng.sample(range(len(record.events)), min(per_article, len(record.events))))
        drawn += [Drawn(f"L{len(drawn) + k + 1:04d}", item, record, i) for k, i in enumerate(picks)]
        if len(drawn) >= n:
            break
    return drawn[:n]


def read_sheets(manifest_dir: Path) -> dict[str, dict[str, Any]]:
    """The labelled events of every ``labels-DATE.jsonl`` manifest with its sheets ``labels-DATE-K.tsv``: manifest
    row plus ``real`` and ``type_right`` (bools), by sample id prefixed with the date (rows not filled in are left out)."""
    out: dict[str, dict[str, Any]] = {}
    for manifest in sorted(manifest_dir.glob("labels-*.jsonl")):
        tag = manifest.stem.removeprefix("labels-")
        rows = {row["id"]: row for row in map(json.loads, manifest.read_text(encoding="utf-8").splitlines())}
        for sheet in sorted(manifest_dir.glob(f"labels-{tag}-[0-9]*.tsv")):
            for line in sheet.read_text(encoding="utf-8").splitlines()[1:]:
                cells = line.split("\t")
                if len(cells) >= 3 and cells[0] in rows and cells[1] in {"yes", "no"}:
                    out[f"{tag}/{cells[0]}"] = {**rows[cells[0]], "real": cells[1] == "yes", "type_right": cells[2] == "yes"}
    return out


def labelled_articles(manifest_dir: Path, config: Path | None = None) -> list[dict[str, Any]]:
    """The labelled articles as training sentences for ``presslens.train.events`` (kind ``article``): the cleaned
    text, its date and the labels of its judged events (trigger span, type, real, type right)."""
    labels = read_sheets(manifest_dir)
    wanted = {(row["source"], row["article"]) for row in labels.values()}
    polnear = [i for i in polnear_train_items(POLNEAR_TRAIN, 10**6, 0) if (i.source, i.key) in wanted]
    pages = [i for i in trafilatura_items(TRAFILATURA) if (i.source, i.key) in wanted]
    records, _ = analyze(polnear + pages, config)
    sentences = []
    for item, record in records:
        mine = [row for row in labels.values() if (row["source"], row["article"]) == (item.source, item.key)]
        sentences.append({"text": record.text, "date": str(record.published)[:10] if record.published else None,
                          "id": f"{item.source}/{item.key}", "gold": [], "labels": [
                              {"trigger": row["event"]["trigger"], "type": row["event"]["type"], "real": row["real"],
                               "type_right": row["type_right"]} for row in mine]})
    return sentences


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--n", type=int, default=400, help="events drawn")
    parser.add_argument("--per-article", type=int, default=6)
    parser.add_argument("--polnear-articles", type=int, default=120, help="PolNeAR train texts analyzed")
    parser.add_argument("--packets", type=int, default=8, help="packets (consecutive events: an article stays in one)")
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "labels", help="packets (outside git)")
    parser.add_argument("--manifest-dir", type=Path, default=ROOT / "eval" / "precision")
    parser.add_argument("--date", default=date.today().isoformat())
    parser.add_argument("--config", type=Path, help="a presslens config file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Analyze, draw clustered events and write the packets and the manifest."""
    args = parse_args(argv)
    items = [*polnear_train_items(POLNEAR_TRAIN, args.polnear_articles, args.seed), *trafilatura_items(TRAFILATURA)]
    records, fingerprint = analyze(items, args.config)
    done = {(row["source"], row["article"]) for manifest in args.manifest_dir.glob("labels-*.jsonl")
            for row in map(json.loads, manifest.read_text(encoding="utf-8").splitlines())}
    records = [(item, record) for item, record in records if (item.source, item.key) not in done]  # new articles only
    sample = draw_clustered(records, args.n, args.per_article, args.seed)
    size = -(-len(sample) // args.packets)
    names = cameo_names(CAMEO_TSV)
    for k in range(args.packets):
        chunk = sample[k * size : (k + 1) * size]
        folder = args.out / f"packet-{k + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        packets(chunk, 1, names, folder)
        (folder / "judgements-1.tsv").write_text(COLUMNS + "".join(f"{d.sample_id}\t\t\t\t\n" for d in chunk),
                                                 encoding="utf-8")
    args.manifest_dir.mkdir(parents=True, exist_ok=True)
    manifest = args.manifest_dir / f"labels-{args.date}.jsonl"
    manifest.write_text("".join(json.dumps(manifest_row(d)) + "\n" for d in sample), encoding="utf-8")
    meta = {"seed": args.seed, "n": len(sample), "per_article": args.per_article, "fingerprint": fingerprint,
            "articles": len({d.record.id for d in sample}), "sources": sorted({d.item.source for d in sample})}
    manifest.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"drew {len(sample)} events from {meta['articles']} articles into {args.packets} packets in {args.out}; "
          f"manifest {manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
