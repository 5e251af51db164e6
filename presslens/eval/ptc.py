"""Read PTC gold (``shared/eval/README.md``, ``framing/``) and parse its articles for the technique evaluation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from presslens.errors import UsageError


def read_ptc(path: Path) -> list[dict[str, Any]]:
    """PTC records (``text`` and ``spans`` with ``start``, ``end``, ``label``) of a JSON Lines file."""
    try:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise UsageError("PL208", path=path, detail=str(err)) from err
    return records


def parse(records: Sequence[dict[str, Any]], nlp: Language) -> list[Doc]:
    """Parse the article texts with the model's own components only (tagger, parser, lemmatizer)."""
    names = [name for name in nlp.pipe_names if not name.startswith("presslens_")]
    with nlp.select_pipes(enable=names):
        return list(nlp.pipe((r["text"] for r in records), batch_size=8))
