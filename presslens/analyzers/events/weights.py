"""The events' hashed linear models (verifier, roles): their validated weights, and their file, non-zero weights and a JSON ``meta`` in an ``.npz``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


class HashedModel:
    """The validated weights of a hashed logistic regression: format, hash bits, weights and intercept.

    A subclass names itself in ``what``, reads its own fields in ``read`` and checks them in ``check``.
    """

    what = "hashed model"

    def __init__(self, data: dict[str, Any], fmt: int) -> None:
        """Validate a model's data (what ``load_hashed`` returns); ValueError says what is wrong."""
        try:
            if data["format"] != fmt:
                raise ValueError(f"format {data['format']!r}, expected {fmt}")
            self.bits = int(data["bits"])
            self.weights = np.frombuffer(data["weights"], dtype=np.float32).astype(np.float64)
            self.intercept = float(data["intercept"])
            self.read(data)
        except (KeyError, TypeError) as err:
            raise ValueError(f"{self.what} data lacks or mistypes a field: {err}") from None
        if not 8 <= self.bits <= 24 or len(self.weights) != 1 << self.bits:
            raise ValueError(f"{self.what}: {len(self.weights)} weights for {self.bits} hash bits")
        if not np.isfinite(self.weights).all():
            raise ValueError(f"{self.what}: non-finite weights")
        self.check()

    def read(self, data: dict[str, Any]) -> None:
        """Read the subclass's own fields (KeyError / TypeError when one is missing or mistyped)."""

    def check(self) -> None:
        """Check the subclass's own fields (ValueError)."""


def load_hashed(path: Path, validate: Callable[[dict[str, Any]], object], what: str) -> dict[str, Any]:
    """The msgpack-safe data of a model file (``allow_pickle=False``), checked by ``validate`` (a model class).

    Raises:
        ValueError: the file is missing, unreadable or not a valid model (the message names the file and ``what``).
    """
    try:
        with np.load(path, allow_pickle=False) as arrays:
            weights = np.zeros(1 << int(arrays["bits"]), dtype=np.float32)
            weights[arrays["index"]] = arrays["value"]
            data = {**json.loads(str(arrays["meta"])), "bits": int(arrays["bits"]), "weights": weights.tobytes()}
        validate(data)
    except (OSError, KeyError, ValueError, IndexError) as err:
        raise ValueError(f"{path}: not a valid {what} file ({err})") from None
    return data


def save_hashed(data: dict[str, Any], path: Path) -> None:
    """Write model data as a compressed ``.npz``: the non-zero weights (index, value), ``bits`` and the rest as JSON ``meta``."""
    weights = np.frombuffer(data["weights"], dtype=np.float32)
    index = np.flatnonzero(weights).astype(np.uint32)
    meta = {k: v for k, v in data.items() if k not in {"weights", "bits"}}
    np.savez_compressed(path, bits=np.array(data["bits"]), index=index, value=weights[index],
                        meta=np.array(json.dumps(meta, sort_keys=True)))
