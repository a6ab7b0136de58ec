"""`procgate bundle -o FILE`: the policies and ban lists as one standard OPA bundle."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from procgate.cli.common import tool_errors
from procgate.errors import ProcgateError


@click.command("bundle")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the bundle (.tar.gz).")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Config file (default: procgate.yaml, else [tool.procgate] in pyproject.toml).")
@click.option("--policy", "policies", multiple=True, type=click.Path(path_type=Path),
              help="Extra policy folder or file (.rego/.py). Repeatable.")
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
              help="Extra ban-list file. Repeatable.")
@tool_errors
def bundle(output: Path, config_file: Path | None, policies: tuple[Path, ...],
           data: tuple[Path, ...]) -> None:
    """Write the policies and ban lists `procgate check` would use (shipped and configured)
    as an OPA bundle: .manifest (revision = their digest, roots), data.json (the ban lists
    as data.banlist), the Rego and Python policies, and the ban lists themselves.

    An OPA server serves it with `opa run --server --bundle FILE`; `procgate check
    --bundle FILE` evaluates from it, so every repository can pin one policy version.
    """
    from procgate import __version__
    from procgate.bundle import DATA, LISTS, manifest, policy_entries, write_bundle
    from procgate.config import build_options
    from procgate.load.banlist import default_ban_files, load_ban_data
    from procgate.resources import policies_dir

    if config_file is not None and not config_file.is_file():
        raise ProcgateError(f"no such config file: {config_file}")
    options = build_options({"policies": policies, "data": data}, date.today(), Path.cwd(),
                            config_file)
    shipped = options.shipped_policies
    folders = [*([policies_dir()] if shipped else []), *options.policy_dirs]
    ban_files = [*(default_ban_files() if shipped else []), *options.data_files]
    for path in [*folders, *ban_files]:
        if not path.exists():
            raise ProcgateError(f"no such policy folder or ban list: {path}")
    if not ban_files:
        raise ProcgateError("no ban lists to bundle", "add `data:` files to procgate.yaml")
    entries = policy_entries(folders, ban_files, load_ban_data(ban_files))
    meta = manifest(entries, __version__)
    write_bundle(output, entries, meta)
    policy_count = sum(1 for n in entries if n != DATA and not n.startswith(f"{LISTS}/"))
    click.echo(f"wrote {output}: revision {meta['revision']}, {policy_count} policy files, "
               f"{len(ban_files)} ban lists, roots {', '.join(meta['roots'])}")
