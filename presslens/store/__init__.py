"""Storage: the embedded DuckDB default, read-only queries and exports."""

from presslens.store.duck import TABLES, Store, export, query

__all__ = ["TABLES", "Store", "export", "query"]
