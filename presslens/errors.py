"""Errors raised by presslens, each with a code, what happened and what to do next.

Error tree::

    PresslensError                 base class; ``code`` and a one-line message
    ├── BadInputError              one record cannot be analyzed: it goes to quarantine
    └── UsageError                 the user asked for something impossible (exit status 2)

The library raises; only ``cli.py`` turns errors into messages and exit codes.
"""

from __future__ import annotations


class Errors:
    """Coded message templates; the code is stored with every quarantine row."""

    PL101 = "empty input: the record has no text"
    PL102 = "binary input: the bytes are not text ({detail})"
    PL103 = "undecodable input: no text encoding fits the bytes"
    PL104 = "input too large: {size:,} bytes, the limit is {limit:,} (raise ingest.max_bytes in the config)"
    PL105 = "no article found in the HTML page"
    PL106 = "line is not valid JSON: {detail}"
    PL107 = "JSON record has neither 'text' nor 'html'"
    PL108 = "not English (detected '{lang}'): kept unanalyzed"
    PL109 = "text too short after cleaning ({chars} characters, the minimum is {minimum})"
    PL110 = "JSON record is not an object"
    PL111 = "cannot read the file: {detail}"
    PL112 = "text too long to analyze: {chars:,} characters after cleaning, the limit is {limit:,} (raise clean.max_chars in the config)"
    PL201 = "no such file or directory: {path}"
    PL202 = "only one read-only statement is allowed (SELECT, WITH ... SELECT, DESCRIBE, SHOW, EXPLAIN); got: {sql}"
    PL203 = "unknown table {table!r}; choose one of: {tables}"
    PL204 = "query failed: {detail}"
    PL205 = "invalid configuration: {detail}"
    PL206 = "no evaluation data found in {path}: expected ground-truth.json (Zyte) or gold.jsonl (trafilatura)"
    PL207 = "database {path} does not exist yet; run `presslens ingest PATH --db {path}` first"
    PL208 = "malformed evaluation data in {path}: {detail}"
    PL209 = "cannot open database {path}: {detail}"
    PL210 = "cannot write {path}: {detail}"
    PL211 = "{what} needs {package}, which is not installed: pip install 'presslens[{extra}]'"
    PL901 = "unexpected error: {kind}: {detail} — please report it; set PRESSLENS_DEBUG=1 for the traceback"


class PresslensError(Exception):
    """Base class of every presslens error: a code plus a one-line message."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.message = getattr(Errors, code).format(**details)
        super().__init__(f"[{code}] {self.message}")


class BadInputError(PresslensError):
    """One input record cannot be analyzed; it is quarantined and the batch goes on."""


class UsageError(PresslensError):
    """A command or API call cannot be carried out as asked."""
