"""What every command shares: exit codes, turning errors into messages, writing output."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from procgate.errors import ProcgateError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def fail(message: str) -> None:
    click.echo(f"procgate: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def tool_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """ProcgateError -> message and exit 2; a bug -> one line (traceback with PROCGATE_DEBUG=1)."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ProcgateError as exc:
            fail(exc.diagnostics())
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("PROCGATE_DEBUG"):
                import traceback

                traceback.print_exc()
            fail(f"internal error: {exc!r} (set PROCGATE_DEBUG=1 for a traceback; please report)")

    return run


def write_output(text: str, output: Path | None) -> None:
    """Standard output, or -o FILE (its folder is created). backslashreplace: a lone surrogate
    from a hostile file must not crash the report."""
    if output is None:
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"))
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise ProcgateError(f"cannot write {output}: {exc}") from exc
