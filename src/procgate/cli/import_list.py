"""`procgate import FORMAT SOURCE -o OUT.json`: a public screening list as a ban list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate.cli.common import EXIT_OK, tool_errors

if TYPE_CHECKING:
    from procgate.model import BanData


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["csl", "ftm"]))
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Ban-list file to write (JSON); pass it to check with --data.",
)
@click.option("--name", default=None, help="List name and id prefix (default: FORMAT).")
@click.option(
    "--audience", default="us-person", show_default=True, help="Audience the imported lists bind."
)
@click.option(
    "--severity",
    type=click.Choice(["warn", "deny"]),
    default="warn",
    show_default=True,
    help="What a match means for that audience.",
)
@tool_errors
def import_list(
    fmt: str, source: Path, output: Path, name: str | None, audience: str, severity: str
) -> None:
    """Import a screening list: csl = trade.gov Consolidated Screening List JSON
    (consolidated.json), ftm = OpenSanctions FollowTheMoney entities (entities.ftm.json).

    Organizations only, with their aliases, identifiers (LEI, UEI, CAGE, DUNS; malformed
    ones dropped) and one listing per source list. The file is validated as a ban list
    before it is written. Then: procgate check --data OUT.json ...
    """
    import orjson

    from procgate.errors import DataError
    from procgate.importers import IMPORTERS, ImportOptions

    try:
        raw = source.read_bytes()
    except OSError as e:
        raise DataError(f"{source}: cannot read: {e.strerror or e}") from e
    imported = IMPORTERS[fmt](raw, ImportOptions(name or fmt, audience, severity))
    data = _write_if_valid(orjson.dumps(imported.document, option=orjson.OPT_INDENT_2), output)
    counts = ", ".join(f"{what} {n}" for what, n in sorted(imported.counts.items()))
    click.echo(
        f"wrote {output}: {len(data.entities)} entities, {len(data.authorities)} lists ({counts})"
    )
    raise SystemExit(EXIT_OK)


def _write_if_valid(content: bytes, output: Path) -> BanData:
    """Write `output` only once its bytes load as any ban list does: they are written under
    the same name in a private folder beside it, loaded, then renamed over it (one atomic
    step), so a list that does not load leaves neither a file nor a changed one behind."""
    import os
    import shutil
    import tempfile

    from procgate.errors import DataError
    from procgate.lists import load_ban_data

    staging = None
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
        staged = staging / output.name  # the name is part of the ban-data cache's key
        staged.write_bytes(content)
        try:
            data = load_ban_data([staged])
        except DataError as e:
            raise DataError(e.message.replace(str(staged), str(output)), e.hint) from None
        os.replace(staged, output)
    except OSError as e:
        raise DataError(f"cannot write {output}: {e.strerror or e}") from e
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return data
