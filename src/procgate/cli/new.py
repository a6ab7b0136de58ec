"""`procgate new KIND`: a commented template that validates against its schema."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from procgate.cli.common import tool_errors, write_output
from procgate.errors import ProcgateError
from procgate.templates import TEMPLATES, render, schema_ref_for


@click.command()
@click.argument("kind", type=click.Choice(sorted(TEMPLATES)))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the template to FILE instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option(
    "--schema-ref",
    metavar="URL-OR-PATH",
    help="What the `# yaml-language-server: $schema=` line points to. Default: "
    "schemas/KIND.schema.json in the project (found from FILE's folder "
    "upwards); without one, where it belongs, and you are told how to write "
    "it (`procgate schema KIND -o ...`).",
)
@tool_errors
def new(kind: str, output: Path | None, force: bool, schema_ref: str | None) -> None:
    """Start a new file from a commented template, e.g. `procgate new purchase-request
    -o requests/pr-0042.yaml`. Fill in the lines marked "<- replace", then run
    `procgate check` on it."""
    if output is not None and output.exists() and not force:
        raise ProcgateError(f"{output} exists", "Use --force to overwrite it.")
    folder = output.parent if output is not None else Path.cwd()
    ref, missing = (schema_ref, None) if schema_ref else schema_ref_for(kind, folder)
    write_output(render(kind, date.today(), ref).rstrip("\n"), output)
    if output is not None:
        click.echo(
            f"wrote {output}; fill in the lines marked '<- replace', then run "
            f"`procgate check {output}`",
            err=True,
        )
    if missing is not None:
        where = Path(os.path.relpath(missing, Path.cwd())).as_posix()
        click.echo(
            f"its `$schema=` line points at {where}, which does not exist yet: write it "
            f"with `procgate schema {kind} -o {where}` (once per repository) so that "
            "editors check the file as you type",
            err=True,
        )
