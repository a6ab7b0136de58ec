"""`procgate audit verify FILE`: check the hash chain of an audit log."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from procgate.cli.common import EXIT_FINDINGS, EXIT_OK, tool_errors


@click.group("audit")
def audit() -> None:
    """Work with the audit log that `procgate check --audit-log FILE` writes."""


@audit.command("verify")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--head",
    metavar="HASH",
    help="The last line's hash as recorded elsewhere: detects lines removed from "
    "the end, which the chain alone cannot.",
)
@tool_errors
def verify(file: Path, head: str | None) -> None:
    """Check every line of FILE and the chain between them.

    Exit 0: intact (prints the number of records and the head hash to keep elsewhere);
    1: a line was edited, removed, inserted or reordered (each problem printed as
    FILE:LINE); 2: the file cannot be read.
    """
    from procgate.audit import verify as verify_log

    result = verify_log(file, head)
    for note in result.notes:
        click.echo(f"{file}: note: {note}", err=True)
    for problem in result.problems:
        click.echo(
            f"{file}:{problem.removeprefix('line ')}"
            if problem.startswith("line ")
            else f"{file}: {problem}"
        )
    if result.ok:
        click.echo(f"{file}: {result.records} records, chain intact; head {result.head}")
        sys.exit(EXIT_OK)
    click.echo(f"{file}: TAMPERED: {len(result.problems)} problem(s) in {result.records} records")
    sys.exit(EXIT_FINDINGS)
