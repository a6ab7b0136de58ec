"""Command line: options in, exit code out. The only module that prints or exits."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import Any

import click

from procgate import __version__
from procgate.errors import ProcgateError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> None:
    click.echo(f"procgate: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def tool_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """ProcgateError -> message and exit 2; a bug -> one line (traceback with PROCGATE_DEBUG=1)."""

    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ProcgateError as exc:
            _fail(exc.diagnostics())
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("PROCGATE_DEBUG"):
                traceback.print_exc()
            _fail(f"internal error: {exc!r} (set PROCGATE_DEBUG=1 for a traceback; please report)")

    return run


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"))
        return
    try:
        # backslashreplace: a lone surrogate from a hostile file must not crash the report
        output.write_text(text + "\n", encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise ProcgateError(f"cannot write {output}: {exc}") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procgate")
def main() -> None:
    """procgate: stop purchases and SBOM components that a vendor ban forbids."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", default="text", show_default=True,
    type=click.Choice(["text", "json", "sarif", "junit", "github", "markdown"]),
    help="Output format.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE instead of standard output.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Config file (default: procgate.yaml, else [tool.procgate] in pyproject.toml).")
@click.option("--policy", "policies", multiple=True, type=click.Path(path_type=Path),
              help="Extra policy folder or file (.rego/.py). Repeatable.")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Extra ban-list file. Repeatable.")
@click.option("--date", "when", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Evaluate as of this date (default: today).")
@click.option("--audience", help="Who is buying: us-federal (default), us-contractor, us-person, "
              "or one defined by a ban list.")
@click.option("--fail-on", type=click.Choice(["deny", "warn", "never"]),
              help="Lowest severity that fails the run (default: deny).")
@tool_errors
def check(
    paths: tuple[Path, ...], fmt: str, output: Path | None, config_file: Path | None,
    policies: tuple[Path, ...], data: tuple[Path, ...], when: datetime | None,
    audience: str | None, fail_on: str | None,
) -> None:
    """Check purchase requests and SBOMs (files or folders) against the ban lists.

    Exit 0: nothing at or above --fail-on. Exit 1: blocking findings (a file that cannot be
    parsed or fails its schema blocks too). Exit 2: procgate itself could not run.
    """
    from procgate.config import build_options
    from procgate.pipeline import build_checker
    from procgate.report import REPORTERS

    if config_file is not None and not config_file.is_file():
        raise ProcgateError(f"no such config file: {config_file}")
    cli = {
        "audience": audience, "fail_on": fail_on, "policies": policies, "data": data,
        "today": when.date() if when else None,
    }
    options = build_options(cli, date.today(), Path.cwd(), config_file)
    targets = list(paths) or list(options.paths)
    if not targets:
        raise click.UsageError("no paths given and none configured (`paths:` in procgate.yaml)")
    checker = build_checker(options)
    verdict = checker.check_paths(targets)
    _write(REPORTERS[fmt](verdict, options.fail_on), output)
    sys.exit(verdict.exit_code(options.fail_on))
