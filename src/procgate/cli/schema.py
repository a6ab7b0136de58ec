"""`procgate schema [NAME]`: print a JSON Schema of procgate's own formats."""

from __future__ import annotations

import json
from pathlib import Path

import click

from procgate.cli.common import tool_errors, write_output
from procgate.errors import ProcgateError
from procgate.resources import schema_path


def schema_names() -> list[str]:
    folder = schema_path("purchase-request").parent
    return sorted(p.name.removesuffix(".schema.json") for p in folder.glob("*.schema.json"))


@click.command()
@click.argument("name", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the schema to FILE (e.g. schemas/NAME.schema.json in your project, "
    "where `procgate new` finds it).",
)
@tool_errors
def schema(name: str | None, output: Path | None) -> None:
    """Print the JSON Schema NAME (Draft 2020-12); without NAME, list the schemas."""
    names = schema_names()
    if name is None:
        rows = []
        for n in names:
            title = json.loads(schema_path(n).read_text(encoding="utf-8")).get("title", "")
            rows.append(f"{n:<20} {title}")
        write_output("\n".join(rows), output)
        return
    if name.removesuffix(".schema.json") not in names:
        raise ProcgateError(f"no schema named {name!r}", f"known schemas: {', '.join(names)}")
    text = schema_path(name.removesuffix(".schema.json")).read_text(encoding="utf-8")
    write_output(text.rstrip("\n"), output)
    if output is not None:
        click.echo(f"wrote {output}", err=True)
