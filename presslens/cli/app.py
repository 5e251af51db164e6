"""The Typer app: the commands in one place, and the edge that turns errors into one coded line.

No module imported here loads spaCy or DuckDB: the commands import what they need when they run,
so ``--help``, ``schema``, ``query`` and ``export`` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer._click.core import Context
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from presslens.cli.analyze import analyze_command, ingest_command
from presslens.cli.common import print_error
from presslens.cli.data import export_command, query_command, schema_command
from presslens.cli.evaluate import eval_events, eval_extraction, eval_framing, eval_quotes
from presslens.cli.knowledge import actors_check, places_check
from presslens.cli.serve import serve_command
from presslens.errors import PresslensError, UsageError, unexpected


class EdgeGroup(TyperGroup):
    """The top-level group: coded one-line errors with DESIGN.md's exit codes, quiet broken pipes."""

    def make_context(self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any) -> Context:
        """Parse the top-level options; a usage error is one coded line (exit 2)."""
        with _edge():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        """Run the command; errors it raises end as one coded line."""
        with _edge():
            return super().invoke(ctx)


@contextmanager
def _edge() -> Iterator[None]:
    """Map what escapes a command: PresslensError (exit 2 for usage, else 1), click usage errors (2), EPIPE (0)."""
    try:
        yield
    except NoArgsIsHelpError:
        raise
    except ClickUsageError as error:
        command = error.ctx.command_path if error.ctx is not None else "presslens"
        print_error(UsageError("PL212", detail=error.format_message().rstrip("."), command=command))
        raise typer.Exit(2) from None
    except PresslensError as error:
        print_error(error)
        raise typer.Exit(2 if isinstance(error, UsageError) else 1) from None
    except BrokenPipeError:
        silence_stdout()
        raise typer.Exit(0) from None


def silence_stdout() -> None:
    """Point stdout at /dev/null once the reader has gone (``| head -1``), so the exit flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (an in-process runner)
        pass
    finally:
        os.close(devnull)


app = typer.Typer(
    cls=EdgeGroup,
    help="presslens: turn news articles into evidence-linked actors, events, quotes and framing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("analyze")(analyze_command)
app.command("ingest")(ingest_command)
app.command("query")(query_command)
app.command("export")(export_command)
app.command("schema")(schema_command)
app.command("serve")(serve_command)

eval_app = typer.Typer(help="Measure presslens against gold data.", no_args_is_help=True)
eval_app.command("extraction")(eval_extraction)
eval_app.command("events")(eval_events)
eval_app.command("quotes")(eval_quotes)
eval_app.command("framing")(eval_framing)
app.add_typer(eval_app, name="eval")

actors_app = typer.Typer(help="Work with the actor dictionary.", no_args_is_help=True)
actors_app.command("check")(actors_check)
app.add_typer(actors_app, name="actors")

places_app = typer.Typer(help="Work with the gazetteer.", no_args_is_help=True)
places_app.command("check")(places_check)
app.add_typer(places_app, name="places")


def main() -> None:
    """Console-script entry point: an unexpected error prints one coded line and exits 1.

    With ``PRESSLENS_DEBUG=1`` in the environment the error is re-raised with its traceback.
    """
    try:
        try:
            app(prog_name="presslens")
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise SystemExit(0) from None
    except Exception as error:
        if os.environ.get("PRESSLENS_DEBUG", "") not in ("", "0"):
            raise
        print_error(unexpected(error))
        raise SystemExit(1) from None
