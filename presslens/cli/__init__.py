"""The presslens command line: Typer commands that parse, make one API call and print."""

from presslens.cli.app import app, main

__all__ = ["app", "main"]
