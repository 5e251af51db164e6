"""Module attributes imported on first use, so commands that never analyze never import spaCy or DuckDB."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def lazy_attributes(module: str, sources: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each name of ``sources`` (name -> module) on first use and keeps it."""

    def __getattr__(name: str) -> Any:
        if name not in sources:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(sources[name]), name)
        setattr(sys.modules[module], name, value)
        return value

    return __getattr__
