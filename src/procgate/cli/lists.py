"""`procgate lists diff OLD NEW`: what changed between two versions of the ban data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate.cli.common import EXIT_FINDINGS, EXIT_OK, tool_errors, write_output

if TYPE_CHECKING:
    from procgate.model import BanData

_LIST_SUFFIXES = (".yaml", ".yml", ".json")


@click.group("lists")
def lists() -> None:
    """Ban-list data: compare two versions."""


@lists.command("diff")
@click.argument("old", type=click.Path(path_type=Path, exists=True))
@click.argument("new", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the output to FILE instead of standard output.",
)
@tool_errors
def diff(old: Path, new: Path, fmt: str, output: Path | None) -> None:
    """Say which entities, names, identifiers, authorities, listings and dates were added,
    removed or changed between OLD and NEW. Each is a ban-list file or a folder of them
    (its *.yaml, *.yml and *.json files, loaded together as --data would load them).

    Exit 0: no changes; 1: changes (as diff(1) does); 2: a file or folder that cannot be
    read or is not a valid ban list."""
    import orjson

    from procgate.lists.compare import as_json, as_text
    from procgate.lists.compare import diff as compare

    result = compare(_load(old), _load(new))
    if fmt == "json":
        text = orjson.dumps(as_json(result, str(old), str(new)), option=orjson.OPT_INDENT_2)
        write_output(text.decode(), output)
    else:
        write_output(as_text(result, str(old), str(new)), output)
    raise SystemExit(EXIT_FINDINGS if result else EXIT_OK)


def _load(path: Path) -> BanData:
    from procgate.errors import DataError
    from procgate.lists import load_ban_data

    if not path.is_dir():
        return load_ban_data([path])
    files = sorted(p for p in path.iterdir() if p.suffix in _LIST_SUFFIXES and p.is_file())
    if not files:
        raise DataError(
            f"{path}: no ban-list files in this folder (*.yaml, *.yml, *.json)",
            "Give a ban-list file, or a folder that holds them.",
        )
    return load_ban_data(files)
