"""`procgate init`: scaffold a repository for an organisation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from procgate.cli.common import tool_errors


@click.command("init")
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--org",
    "org_name",
    metavar="NAME",
    help="Your organisation's name (default: the folder's name). Its short form "
    "names your audience, ban list, policy package and ids.",
)
@click.option("--force", is_flag=True, help="Overwrite files that exist (default: keep them).")
@click.option(
    "--ci",
    "ci",
    multiple=True,
    type=click.Choice(["pre-commit", "github", "gitlab"]),
    help="Instead, write the ready CI file for the repository in DIRECTORY: "
    ".pre-commit-config.yaml, .github/workflows/procgate.yml or .gitlab-ci.yml, "
    "pinning procgate by commit. Repeatable.",
)
@click.option(
    "--procgate-repo",
    metavar="URL",
    help="With --ci: procgate's repository (default: where this procgate was installed from).",
)
@click.option(
    "--procgate-rev",
    metavar="COMMIT",
    help="With --ci: the procgate commit to pin (default: this procgate's).",
)
@tool_errors
def init(
    directory: Path,
    org_name: str | None,
    force: bool,
    ci: tuple[str, ...],
    procgate_repo: str | None,
    procgate_rev: str | None,
) -> None:
    """Create procgate.yaml, your own ban list, a sample purchase request and waiver, a
    policy with its tests and a pre-commit config in DIRECTORY, so that `procgate check`
    and `procgate test` work there at once. Existing files are kept unless --force.

    With --ci: write only the CI files named (pre-commit, github, gitlab)."""
    if ci:
        _ci_files(directory, ci, force, procgate_repo, procgate_rev)
        return
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
    click.echo(
        f"\nOrganisation {org.name!r} (id {org.id}). Next: {where}procgate check && procgate test"
    )


def _ci_files(
    directory: Path, kinds: tuple[str, ...], force: bool, repo: str | None, rev: str | None
) -> None:
    from procgate.ci_files import FILES, current_branch, installed_source, render

    source = installed_source(repo, rev)
    branch = current_branch(directory)
    texts = {kind: render(kind, source, branch) for kind in dict.fromkeys(kinds)}
    for kind, text in texts.items():
        target = directory / FILES[kind]
        if target.exists() and not force:
            click.echo(f"  kept        {FILES[kind]} (exists; --force overwrites it)")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        click.echo(f"  created     {FILES[kind]}")
    if not source.pinned:
        click.echo(
            "\nprocgate's repository and commit could not be told from how it was "
            "installed; pass --procgate-repo URL --procgate-rev COMMIT to pin them."
        )
