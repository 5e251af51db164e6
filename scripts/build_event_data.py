"""Build presslens/data/events/{codes.json,verbs.jsonl,agents.json} from the PETRARCH2 and CAMEO/PLOVER tables.

Dev-time only (never run by presslens itself). Inputs, from ``../shared/knowledge/``:

* ``petrarch/jsonl/verbs.jsonl`` and ``verb_synsets.jsonl``: PETRARCH2's CAMEO.2.0 verb
  dictionary in parsed form (MIT, (c) Open Event Data Alliance).
* ``cameo_event_codes.tsv``: the CAMEO event codes (codebook v1.1b3).
* ``cameo_to_plover.tsv``: the CAMEO -> PLOVER type/mode mapping, a fact table that is
  re-expressed here as one field per code (the CC BY-SA text itself is not copied).

* ``petrarch/jsonl/agents.jsonl``: PETRARCH2's agent nouns (MIT), kept as one-word heads.

Usage: ``python scripts/build_event_data.py [--knowledge ../shared/knowledge]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "presslens" / "data" / "events"
PETRARCH_COMMIT = "676801cd9cb2924bbbad09f86d15c9323e7097bf"
# Roots PLOVER drops (tab:xlate of the PLOVER manual); how presslens handles them is in README.md.
ROOT_TYPES = {"01": None, "02": "REQUEST"}
_GROUP_RE = re.compile(r"\([^)]*\)|\{[^}]*\}|\S+")


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Read a TSV with a ``#`` provenance line before its header."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def build_codes(knowledge: Path) -> dict:
    """CAMEO code -> root, level and PLOVER type/mode (re-expressed fact table)."""
    plover: dict[str, tuple[str | None, str | None]] = {}
    for row in read_tsv(knowledge / "cameo_to_plover.tsv"):
        code, event = row["cameo_code"], row["plover_event"]
        if code == "08" or code in plover:
            continue
        plover[code] = (None if event == "DROPPED" else event, row["plover_mode"] or None)
    codes = {}
    for row in read_tsv(knowledge / "cameo_event_codes.tsv"):
        code, root = row["code"], row["root"]
        if root in ROOT_TYPES:
            event, mode = ROOT_TYPES[root], None
        else:
            event, mode = plover.get(code) or plover.get(code[:3]) or plover.get(root, (None, None))
            if root == "08" and len(code) == 2:
                event = "CONCEDE"
        codes[code] = {"root": root, "plover": event, "mode": mode}
    return {
        "version": 1,
        "source": "CAMEO codebook v1.1b3 codes; PLOVER types/modes from CAMEO2PLOVER-2021 (fact table)",
        "codes": codes,
    }


def _words(text: str) -> list[str]:
    """Lower-case words of a pattern item, ``_`` read as a space."""
    return [w for w in text.replace("_", " ").lower().split() if w not in {"$", "+", "^", "%"}]


def _heads(item: str, synsets: dict[str, list[str]]) -> list[str]:
    """Head words an item can match: the last word of a phrase, or of each synset member."""
    item = item.strip("{}")
    if item.startswith("&"):
        return sorted({_words(m)[-1] for m in synsets.get(item.rstrip("_"), []) if _words(m)})
    words = _words(item)
    return [words[-1]] if words else []


def parse_pattern(raw: str, synsets: dict[str, list[str]]) -> dict | None:
    """Split a CAMEO.2.0 pattern into pre-verb nouns, objects and one prepositional phrase."""
    if raw.count("*") != 1:
        return None
    before, after = raw.split("*")
    pre = [_heads(g, synsets) for g in _GROUP_RE.findall(before) if not g.startswith("(")]
    obj, prep, pobj = [], None, []
    for group in _GROUP_RE.findall(after):
        if group.startswith("("):
            inner = group[1:-1].split(maxsplit=1)
            if prep is None and inner:
                prep = inner[0].lower().replace("_", " ")
                pobj = _heads(inner[1], synsets) if len(inner) > 1 else []
        elif group not in {"$", "+", "^", "%"}:
            heads = _heads(group, synsets)
            if heads:
                obj.append(heads)
    pre = [h for h in pre if h]
    if not (pre or obj or prep):
        return None
    return {"pre": pre, "obj": obj, "prep": prep, "pobj": pobj}


def split_code(raw: str | None) -> tuple[str | None, str | None]:
    """``"042:043"`` -> (``"042"``, ``"043"``); ``"---"`` -> (None, None)."""
    if not raw:
        return None, None
    raw = raw.rstrip("!")
    forward, _, reverse = raw.partition(":")
    clean = lambda c: c if c and c.isdigit() else None  # noqa: E731
    return clean(forward), clean(reverse)


def build_verbs(knowledge: Path, codes: dict) -> list[dict]:
    """One record per PETRARCH2 verb block: members (lemma, code) and parsed patterns."""
    jsonl = knowledge / "petrarch" / "jsonl"
    synsets = {
        s["synset"].rstrip("_"): s["members"]
        for s in map(json.loads, (jsonl / "verb_synsets.jsonl").open(encoding="utf-8"))
    }
    blocks = []
    for block in map(json.loads, (jsonl / "verbs.jsonl").open(encoding="utf-8")):
        patterns = []
        for pat in block["patterns"]:
            parsed = parse_pattern(pat["pattern"], synsets)
            code, reverse = split_code(pat.get("code"))
            if parsed is None or (code and code not in codes):
                continue
            patterns.append({**parsed, "code": code, "reverse": reverse})
        roots = Counter(p["code"] for p in patterns if p["code"] and not p["code"].startswith("01"))
        members = []
        for member in block["members"]:
            words = member["raw"].replace("_", " ").lower().split()
            verb_i = next((i for i, w in enumerate(words) if w.startswith("+")), 0)
            words = [w.lstrip("+") for w in words]
            code, reverse = split_code(member["code"])
            members.append({
                "verb": words[verb_i],
                "before": words[:verb_i],
                "after": words[verb_i + 1 :],
                "code": code if code in codes else None,
                "reverse": reverse,
            })
        blocks.append({
            "block": block["block"].lower(),
            "members": members,
            "fallback": roots.most_common(1)[0][0] if roots else None,
            "patterns": patterns,
            "source": f"petrarch2@{PETRARCH_COMMIT[:7]}:CAMEO.2.0.txt:{block['line']}",
        })
    return blocks


def build_agents(knowledge: Path) -> dict:
    """One-word agent nouns ("officials", "troops") with their CAMEO agent code: actor-like arguments."""
    words: dict[str, str] = {}
    for record in map(json.loads, (knowledge / "petrarch" / "jsonl" / "agents.jsonl").open(encoding="utf-8")):
        for name in record["names"] + record.get("plural_forms", []):
            word = name.strip().lower()
            if " " not in word and word.isalpha():
                words.setdefault(word, record["code"])
    return {
        "version": 1,
        "source": f"petrarch2@{PETRARCH_COMMIT[:7]}:Phoenix.agents.txt (MIT), one-word names and plurals",
        "agents": dict(sorted(words.items())),
    }


def main() -> None:
    """Write the event data files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "knowledge")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    codes = build_codes(args.knowledge)
    (OUT / "codes.json").write_text(json.dumps(codes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    agents = build_agents(args.knowledge)
    (OUT / "agents.json").write_text(json.dumps(agents, indent=0) + "\n", encoding="utf-8")
    with (OUT / "verbs.jsonl").open("w", encoding="utf-8") as out:
        for block in build_verbs(args.knowledge, codes["codes"]):
            out.write(json.dumps(block, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
