"""`presslens serve`: the web UI and REST API of a store, on loopback unless told otherwise."""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import Annotated, Optional

import typer

from presslens.cli.common import ConfigOption, DbOption, err

WILDCARDS = ("0.0.0.0", "::")  # every address of the machine


def serve_command(
    db: DbOption = None,
    host: Annotated[Optional[str], typer.Option("--host", help="Address to listen on (default: \\[web] host, 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option("--port", min=0, max=65535, help="Port (default: \\[web] port, 8000).")] = None,
    config: ConfigOption = None,
) -> None:
    """Serve the pages and the REST API of a store; every page has a JSON twin under /api.

    Example:

        presslens serve --db presslens.duckdb    # then open http://127.0.0.1:8000
    """
    import uvicorn

    from presslens.settings import load_settings
    from presslens.web.app import create_app

    settings = load_settings(config)
    host = host or settings.web.host
    port = settings.web.port if port is None else port
    if not is_loopback(host):
        err.print(f"warning: listening on {host}: anyone who can reach this address can read the store and run analyses", markup=False)
    if host not in settings.web.allowed_hosts:  # every address of the machine: any name may reach it, none is checked
        hosts = ["*"] if host in WILDCARDS else [*settings.web.allowed_hosts, host]
        settings = dataclasses.replace(settings, web=settings.web.model_copy(update={"allowed_hosts": hosts}))
    uvicorn.run(create_app(db or settings.store.db, settings), host=host, port=port, log_level="info", server_header=False)


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
