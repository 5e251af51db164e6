"""Storage: the embedded DuckDB default, read-only queries and exports (DuckDB is imported on first use)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from presslens._lazy import lazy_attributes
from presslens.store.schema import TABLES

if TYPE_CHECKING:
    from presslens.store.duck import Store
    from presslens.store.readonly import export, query

__all__ = ["TABLES", "Store", "export", "query"]

# Store, query and export import DuckDB: resolved on first use.
_LAZY = {"Store": "presslens.store.duck", "export": "presslens.store.readonly", "query": "presslens.store.readonly"}

__getattr__ = lazy_attributes(__name__, _LAZY)
