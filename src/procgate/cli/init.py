"""`procgate init`: scaffold a repository for an organisation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from procgate.cli.common import tool_errors


@click.command("init")
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--org", "org_name", metavar="NAME",
              help="Your organisation's name (default: the folder's name). Its short form "
                   "names your audience, ban list, policy package and ids.")
@click.option("--force", is_flag=True, help="Overwrite files that exist (default: keep them).")
@tool_errors
def init(directory: Path, org_name: str | None, force: bool) -> None:
    """Create procgate.yaml, your own ban list, a sample purchase request and waiver, a
    policy with its tests and a pre-commit config in DIRECTORY, so that `procgate check`
    and `procgate test` work there at once. Existing files are kept unless --force."""
    from procgate.scaffold import PRE_COMMIT, Org, plan, scaffold

    org = Org.from_name(org_name or directory.resolve().name)
    done = scaffold(directory, org, date.today(), force)
    for rel, status in done:
        click.echo(f"  {status:<11} {rel}")
    if (PRE_COMMIT, "kept") in done:
        snippet = plan(org, date.today())[PRE_COMMIT]
        click.echo(f"\n{PRE_COMMIT} exists and was kept; add these hooks to it:\n")
        click.echo(snippet.split("repos:\n", 1)[1].rstrip())
    where = "" if directory.resolve() == Path.cwd().resolve() else f"cd {directory} && "
    click.echo(f"\nOrganisation {org.name!r} (id {org.id}). Next: {where}procgate check && "
               "procgate test")
