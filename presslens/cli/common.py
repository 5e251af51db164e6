"""What the commands share: the two consoles, shared options, terminal detection and coded error lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer
from rich.console import Console
from rich.text import Text

from presslens.cli.safe import VisibleWriter, visible
from presslens.errors import PresslensError

out = Console(highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

ConfigOption = Annotated[Optional[Path], typer.Option("--config", "-c", help="Configuration file (default: the packaged config.cfg).")]
DbOption = Annotated[Optional[Path], typer.Option("--db", help="DuckDB file (default from the config: presslens.duckdb).")]


def print_error(error: PresslensError | str) -> None:
    """Print ``error [CODE] message`` on one line of stderr, escaped, never read as markup."""
    err.print(Text.assemble(("error", "red"), " " + visible(str(error))))


def is_terminal(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` (stdout by default) is a terminal, where data is shown escaped."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_safe(stream: TextIO, *, json: bool = False) -> VisibleWriter | TextIO:
    """``stream`` itself for a file or pipe (exact data), an escaping writer over it for a terminal."""
    return VisibleWriter(stream, json=json) if is_terminal(stream) else stream
