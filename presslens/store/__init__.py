"""Storage: the embedded DuckDB default, read-only queries and exports (DuckDB is imported on first use)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from presslens.store.schema import TABLES

if TYPE_CHECKING:
    from presslens.store.duck import Store
    from presslens.store.readonly import export, query

__all__ = ["TABLES", "Store", "export", "query"]

_LAZY = {"Store": "presslens.store.duck", "export": "presslens.store.readonly", "query": "presslens.store.readonly"}


def __getattr__(name: str) -> Any:
    """Import ``Store``, ``query`` or ``export`` (and DuckDB with them) on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module 'presslens.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
