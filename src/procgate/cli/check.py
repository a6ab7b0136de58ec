"""`procgate check`: files in, verdict out."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import click

from procgate.cli.common import tool_errors, write_output
from procgate.errors import ProcgateError
from procgate.report import REPORTERS


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", default="text", show_default=True,
    type=click.Choice(sorted(REPORTERS)),
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
    write_output(REPORTERS[fmt](verdict, options.fail_on), output)
    sys.exit(verdict.exit_code(options.fail_on))
