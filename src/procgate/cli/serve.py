"""`procgate serve`: the web page and JSON API, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate.cli.common import tool_errors
from procgate.cli.options import engine_option, gate_options
from procgate.errors import ProcgateError

if TYPE_CHECKING:
    from procgate.config import Flags


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The page has no login: bind another address only "
    "behind a proxy that authenticates.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes; each checks one upload at a time.",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0.001),
    default=10.0,
    show_default=True,
    help="Largest file one upload may hold.",
)
@click.option(
    "--max-files",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Most files one check may send.",
)
@click.option(
    "--max-body-mb",
    type=click.FloatRange(min=0.001),
    default=50.0,
    show_default=True,
    help="Largest request body in all.",
)
@click.option(
    "--store",
    metavar="URL",
    help="Show the inventory page (/inventory) of this store (`scan --store`): a file path "
    "(SQLite) or postgresql://user@host/db.",
)
@click.option(
    "--allow-edits",
    "edits",
    is_flag=True,
    help="Let the inventory's item pages change status, owner, due date and notes (with "
    "--store; without it the pages are read-only).",
)
@click.option(
    "--user-header",
    metavar="NAME",
    help="Record edits as the user this request header names (e.g. X-Forwarded-User). Only "
    "behind a reverse proxy that authenticates, sets it, and strips it from clients; without "
    "it the form asks for a name, which nobody checks.",
)
@gate_options()
@engine_option
@tool_errors
def serve(
    host: str,
    port: int,
    workers: int,
    max_file_mb: float,
    max_files: int,
    max_body_mb: float,
    store: str | None,
    edits: bool,
    user_header: str | None,
    flags: Flags,
) -> None:
    """Serve the page where procurement staff upload or paste a purchase request or SBOM and
    get the verdict in plain words, plus the JSON API (POST /v1/check) beside it.

    Uploads are read into memory and never written to disk. --date fixes the date checks
    default to (else each check uses the day it runs).
    """
    from procgate.pipeline import build_checker
    from procgate.serve.settings import ENV, Limits, ServeSettings

    run = _server()

    mib = 1024 * 1024
    limits = Limits(int(max_file_mb * mib), max_files, int(max_body_mb * mib))
    if store is not None:  # an absent or unreadable store: exit 2 now, not on the first page
        from procgate.store.db import open_store

        open_store(store, create=False).dispose()
        store = store if "://" in store else str(Path(store).resolve())
    elif edits or user_header:
        raise click.UsageError("--allow-edits and --user-header need --store")
    if user_header is not None and not _HEADER_NAME.fullmatch(user_header):
        raise click.UsageError(f"--user-header {user_header!r} is not an HTTP header name")
    settings = ServeSettings(flags, str(Path.cwd()), limits, store, edits, user_header)
    build_checker(settings.options())  # a bad config, ban list or policy: exit 2 now, not later
    os.environ[ENV] = settings.to_env()  # each worker process reads it (uvicorn spawns them)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"procgate: warning: listening on {host}: the page has no login; put it "
            "behind a proxy that authenticates",
            err=True,
        )
    click.echo(f"procgate: serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    run(host, port, workers)


_HEADER_NAME = re.compile(r"[A-Za-z0-9-]{1,64}")

# The web server's packages: the `serve` extra (the pre-commit hook installs procgate without).
_SERVER_PACKAGES = {"fastapi", "starlette", "uvicorn", "python_multipart"}


def _server() -> Callable[..., None]:
    """serve.run.run, or exit 2 saying how to install the extra when its packages are absent."""
    try:
        from procgate.serve.run import run
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] not in _SERVER_PACKAGES:
            raise
        raise ProcgateError(
            f"procgate serve needs its web server, which is not installed ({e.name})",
            "pip install 'procgate[serve]' (the quick start's '.[test]' includes it)",
        ) from e
    return run
