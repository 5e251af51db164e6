"""Errors raised by presslens, each with a code, what happened and what to do next.

Error tree::

    PresslensError                 base class; ``code`` and a one-line message
    ├── BadInputError              one record cannot be analyzed: it goes to quarantine
    └── UsageError                 the user asked for something impossible (exit status 2)

The library raises; only ``presslens.cli`` turns errors into messages and exit codes.
"""

from __future__ import annotations

from typing import Self


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
    PL111 = "cannot read {path}: {detail}"
    PL112 = "text too long to analyze: {chars:,} characters after cleaning, the limit is {limit:,} (raise clean.max_chars in the config)"
    PL113 = "JSON field {field!r} must be a string, got {kind} (numbers are stored as strings with a warning; objects, arrays and booleans are rejected)"
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
    PL212 = "{detail} (see `{command} --help`)"
    PL213 = "{path} is not a DuckDB database{hint}"
    PL214 = "query stopped at its time limit of {seconds:g} s (raise --timeout or [query] timeout_s)"
    PL215 = "query returns more than {rows:,} rows (add a LIMIT, raise --max-rows or [query] max_rows, or use `presslens export`)"
    PL216 = "query needs more memory than its limit of {limit} (raise --memory-limit or [query] memory_limit)"
    PL217 = "{path} is not {task} gold data: record {line} has no {fields}"
    PL218 = "refusing to write Parquet to a terminal: give a file with -o FILE or pipe it"
    PL220 = "no article with id {id!r} in the store; search at /articles?q="
    PL221 = "no actor {id!r} in the store; actor ids are listed at /api/actors"
    PL222 = "no place {id!r} in the store; place ids are listed at /api/places"
    PL223 = "request body too large: more than {limit:,} bytes (send less, or raise [web] max_body_bytes)"
    PL225 = "invalid request: {detail}"
    PL226 = "not found: {path}"
    PL227 = "a batch is being analyzed; wait until it is done at /analyze/jobs/{job}"
    PL228 = "a form or API call from another site's page cannot analyze or store here"
    PL229 = "{waiting} analyses are already waiting for the pipeline; retry in a moment"
    PL300 = "reading failed: {error}"
    PL301 = "cleaning failed: {error}"
    PL302 = "analysis failed in component {component}: {error}"
    PL303 = "record conversion failed: {error}"
    PL304 = "storing failed: {error}"
    PL901 = "unexpected error: {kind}: {detail} — please report it; set PRESSLENS_DEBUG=1 for the traceback"


class PresslensError(Exception):
    """Base class of every presslens error: a code plus a one-line message."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.message = getattr(Errors, code).format(**details)
        super().__init__(f"[{code}] {self.message}")

    @classmethod
    def from_reason(cls, code: str, reason: str) -> Self:
        """The error again from its code and formatted message, e.g. those of a quarantine entry."""
        error = cls.__new__(cls)
        error.code, error.message = code, reason
        Exception.__init__(error, f"[{code}] {reason}")
        return error


class BadInputError(PresslensError):
    """One input record cannot be analyzed; it is quarantined and the batch goes on."""


class UsageError(PresslensError):
    """A command or API call cannot be carried out as asked."""


def describe(error: BaseException) -> str:
    """``Kind: first line of the message``: how an unexpected failure is named in a quarantine reason."""
    first = next(iter(str(error).strip().splitlines()), "")
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def unexpected(error: BaseException) -> PresslensError:
    """PL901 for a failure presslens did not expect, naming its kind and first line (what a user reports)."""
    kind, _, detail = describe(error).partition(": ")
    return PresslensError("PL901", kind=kind, detail=detail)
