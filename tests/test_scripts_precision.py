"""The blind precision study's scripts on a tiny made-up input: the sampler's files, the scorer's table."""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from presslens.record.models import Actor, ArticleRecord, Event

from .conftest import ROOT

TEXT = "Freedonia and Sylvania talk.\nThe Freedonian minister met Sylvania's envoy on Monday.\nNothing else happened."


@pytest.fixture(scope="module")
def scripts() -> Iterator[dict[str, ModuleType]]:
    """scripts/precision_sample.py and scripts/precision_score.py, imported as modules."""
    import importlib

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        yield {name: importlib.import_module(name) for name in ("precision_sample", "precision_score")}
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def _record(key: str, events: int, published: str | None) -> ArticleRecord:
    """A made-up article record with ``events`` copies of one meeting event and two persons."""
    start = TEXT.index("The Freedonian")
    event = Event(
        id="e", type="CONSULT", cameo="043", source="frd-minister", target="syl", source_cameo="FRDGOV", target_cameo="SYL",
        trigger=(TEXT.index("met"), TEXT.index("met") + 3), sentence=(start, TEXT.index("\nNothing")), confidence=0.9,
    )
    actors = [
        Actor(id="frd-minister", name="Ann Minister", kind="person", country="FRD", cameo="FRDGOV", role="foreign minister"),
        Actor(id="envoy", name="Bo Envoy", kind="person"),
        Actor(id="syl", name="Sylvania", kind="state", country="SYL", cameo="SYL"),
    ]
    return ArticleRecord(id=f"sha-{key}", text=TEXT, published=published, title=f"Talks {key}", events=[event] * events, actors=actors)


def _inputs(tmp_path: Path) -> list[str]:
    """Made-up Zyte and PolNeAR inputs and CAMEO table; the sampler's command line for them."""
    zyte = tmp_path / "zyte"
    (zyte / "html").mkdir(parents=True)
    (zyte / "html" / "p1.html.gz").write_bytes(gzip.compress(b"<html><body><p>made up</p></body></html>"))
    (zyte / "ground-truth.json").write_text(json.dumps({"p1": {"url": "https://example.org/p1", "articleBody": ""}}), encoding="utf-8")
    polnear = tmp_path / "polnear.jsonl"
    polnear.write_text(json.dumps({"id": "n1", "text": TEXT, "quotes": [], "meta": {"publication_date": "2016-09-12"}}) + "\n", encoding="utf-8")
    cameo = tmp_path / "cameo.tsv"
    cameo.write_text("# made up\ncode\troot\tlevel\tdescription\n04\t04\t2\tCONSULT\n043\t04\t3\tMeet at a third location\n", encoding="utf-8")
    return ["--zyte", str(zyte), "--polnear", str(polnear), "--cameo", str(cameo), "--out", str(tmp_path / "out"),
            "--manifest-dir", str(tmp_path / "manifest"), "--date", "2026-01-01", "--n", "3", "--judges", "2"]


def test_scripts_precision_sample_writes_packets_manifest_and_persons(scripts: dict[str, ModuleType], tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    sample = scripts["precision_sample"]
    seen: list[Any] = []

    def fake_analyze(items: list[Any], config: Path | None) -> tuple[list[tuple[Any, ArticleRecord]], str]:
        seen.extend(items)
        return [(items[0], _record("p1", 2, None)), (items[1], _record("n1", 2, "2016-09-12"))], "fingerprint"

    monkeypatch.setattr(sample, "analyze", fake_analyze)
    assert sample.main(_inputs(tmp_path)) == 0
    assert [(i.source, i.key, i.raw.kind, i.raw.meta.get("published")) for i in seen] == [
        ("zyte", "p1", "html", None), ("polnear", "n1", "text", "2016-09-12"),
    ]
    rows = [json.loads(line) for line in (tmp_path / "manifest" / "sample-2026-01-01.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["S001", "S002", "S003"]
    assert {(r["source"], r["article"], r["event_index"]) for r in rows} <= {(s, k, i) for s, k in (("zyte", "p1"), ("polnear", "n1")) for i in (0, 1)}
    assert TEXT[:20] not in json.dumps(rows) and "Freedonian minister" not in json.dumps(rows)  # ids and fields, no text
    assert rows == [json.loads(line) for line in (tmp_path / "manifest" / "sample-2026-01-01.jsonl").read_text(encoding="utf-8").splitlines()]
    packet = (tmp_path / "out" / "packet-1.md").read_text(encoding="utf-8")
    assert "## S001" in packet and "## S003" in packet and "## S002" not in packet
    assert "> ⟦The Freedonian minister «met» Sylvania's envoy on Monday.⟧" in packet
    assert '- CAMEO event code: 043 "Meet at a third location" (root 04 CONSULT)' in packet
    assert "- Source: Ann Minister (id frd-minister); CAMEO actor code FRDGOV; country FRD" in packet
    assert "- negated: no, hypothetical: no, background: no" in packet
    assert (tmp_path / "out" / "judgements-2.tsv").read_text(encoding="utf-8") == "id\tverdict\treason\nS002\t\t\n"
    persons = (tmp_path / "out" / "persons.md").read_text(encoding="utf-8")
    assert "2 of 4 named persons have a country and a CAMEO code; 2 hold an office." in persons
    assert "(roles resolved by 2016-09-12 (published))" in persons and "today (no date" in persons
    meta = json.loads((tmp_path / "manifest" / "sample-2026-01-01.meta.json").read_text(encoding="utf-8"))
    assert (meta["events"], meta["persons"]["share"], meta["seed"]) == ({"zyte": 2, "polnear": 2}, 0.5, 13)
    assert sum(1 for _ in (tmp_path / "out" / "events.jsonl").open(encoding="utf-8")) == 4


def test_scripts_precision_draw_is_fixed_by_the_seed(scripts: dict[str, ModuleType]) -> None:
    sample = scripts["precision_sample"]
    item = sample.Item("polnear", "f", "n1", None)
    records = [(item, _record("n1", 30, None))]
    first, again = sample.draw(records, 5, seed=1), sample.draw(records, 5, seed=1)
    assert [d.index for d in first] == [d.index for d in again] != [d.index for d in sample.draw(records, 5, seed=2)]
    assert len(sample.draw(records, 100, seed=1)) == 30  # fewer events than asked: all of them


def test_scripts_precision_score_wilson_and_table(scripts: dict[str, ModuleType], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    score = scripts["precision_score"]
    low, high = score.wilson(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert score.wilson(0, 0) == (0.0, 1.0)
    manifest = tmp_path / "sample.jsonl"
    rows = [("S001", "zyte", "CONSULT"), ("S002", "zyte", "ASSAULT"), ("S003", "polnear", "CONSULT"), ("S004", "polnear", "CONSULT")]
    manifest.write_text("".join(json.dumps({"id": i, "source": s, "event": {"type": t}}) + "\n" for i, s, t in rows), encoding="utf-8")
    one = tmp_path / "judgements-1.tsv"
    one.write_text("id\tverdict\treason\nS001\tstrict\t\nS002\twrong\tsports use\nS003\tlenient\ttarget missing\nS004\t\t\n", encoding="utf-8")
    two = tmp_path / "judgements-2.jsonl"
    two.write_text(json.dumps({"id": "S001", "verdict": "lenient", "reason": "code too specific"}) + "\n", encoding="utf-8")
    assert score.main([str(manifest), str(one), str(two), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["judged"], result["sample"], result["judged_twice"], result["agreed"]) == (3, 4, 1, 0)
    table = {r["group"]: (r["n"], round(r["strict"], 3), round(r["lenient"], 3)) for r in result["rows"]}
    assert table == {
        "all": (3, 0.0, 0.667), "source polnear": (1, 0.0, 1.0), "source zyte": (2, 0.0, 0.5),
        "type ASSAULT": (1, 0.0, 0.0), "type CONSULT": (2, 0.0, 1.0),
    }
    bad = tmp_path / "bad.tsv"
    bad.write_text("S009\tstrict\t\n", encoding="utf-8")
    assert score.main([str(manifest), str(bad)]) == 2
    assert "'S009' is not in the sample manifest" in capsys.readouterr().err


def test_scripts_precision_context_counts_paragraphs_not_blank_lines(scripts: dict[str, ModuleType]) -> None:
    text = "One.\n\nTwo.\n\nThree starts. Then it ends.\n\nFour.\n\nFive."
    sentence = (text.index("Then"), text.index("\n\nFour"))
    trigger = (text.index("ends"), text.index("ends") + 4)
    assert scripts["precision_sample"].context(text, sentence, trigger) == "One.\nTwo.\nThree starts. ⟦Then it «ends».⟧\nFour."
