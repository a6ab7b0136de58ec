"""`procgate new KIND`: a commented template that validates against its schema."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from procgate.cli.common import tool_errors, write_output
from procgate.errors import ProcgateError
from procgate.templates import TEMPLATES, render, schema_ref_for


@click.command()
@click.argument("kind", type=click.Choice(sorted(TEMPLATES)))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the template to FILE instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--schema-ref", metavar="URL-OR-PATH",
              help="What the `# yaml-language-server: $schema=` line points to. Default: "
                   "schemas/KIND.schema.json in the project (found from FILE's folder "
                   "upwards, see `procgate schema`), else the schema's published URL.")
@tool_errors
def new(kind: str, output: Path | None, force: bool, schema_ref: str | None) -> None:
    """Start a new file from a commented template, e.g. `procgate new purchase-request
    -o requests/pr-0042.yaml`. Fill in the lines marked "<- replace", then run
    `procgate check` on it."""
    if output is not None and output.exists() and not force:
        raise ProcgateError(f"{output} exists", "Use --force to overwrite it.")
    folder = output.parent if output is not None else Path.cwd()
    ref = schema_ref or schema_ref_for(kind, folder)
    text = render(kind, date.today(), ref)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
    write_output(text.rstrip("\n"), output)
    if output is not None:
        click.echo(f"wrote {output}; fill in the lines marked '<- replace', then run "
                   f"`procgate check {output}`", err=True)
