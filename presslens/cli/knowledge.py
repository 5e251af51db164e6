"""The ``actors`` and ``places`` commands: validate the knowledge files a user edits."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from presslens.cli.common import err
from presslens.cli.render import line


def actors_check(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Your own actor files (JSONL); default: the bundled ones.")] = None,
) -> None:
    """Validate actor files: ids, kinds, country and CAMEO codes, aliases claimed twice.

    Example:

        presslens actors check my-actors.jsonl
    """
    from presslens.knowledge.actors import check_actor_files

    _report_problems(check_actor_files(files or None), "actor dictionary")


def places_check(
    folder: Annotated[Optional[Path], typer.Argument(help="A folder laid out like presslens/data/places; default: the bundled one.")] = None,
) -> None:
    """Validate the gazetteer: ids, countries, coordinates, alternate names and who uses them.

    Example:

        presslens places check
    """
    from presslens.knowledge.places import check_place_files

    _report_problems(check_place_files(folder), "gazetteer")


def _report_problems(problems: list[str], what: str) -> None:
    """Print each problem on its own line and exit 1 when there is any."""
    for problem in problems:
        err.print(line(problem))
    if problems:
        err.print(line(f"{len(problems)} problem(s) in the {what}", "red"))
        raise typer.Exit(1)
    err.print(line(f"the {what} is valid"))
