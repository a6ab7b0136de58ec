"""`procgate bundle -o FILE [--signing-key KEY]`: the policies and ban lists as one standard,
signed OPA bundle."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate.bundle import ALGORITHMS
from procgate.cli.common import tool_errors
from procgate.cli.options import gate_options
from procgate.errors import ProcgateError

if TYPE_CHECKING:
    from procgate.config import Flags


@click.command("bundle")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the bundle (.tar.gz).",
)
@gate_options(evaluation=False)
@click.option(
    "--signing-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Sign the bundle (.signatures.json, as OPA signs bundles) with this key: a "
    "PEM private key (RS*, PS*, ES*) or a file holding the shared secret (HS*).",
)
@click.option(
    "--signing-alg",
    default="RS256",
    show_default=True,
    type=click.Choice(ALGORITHMS),
    help="Signing algorithm.",
)
@click.option(
    "--key-id",
    default="default",
    show_default=True,
    help="Key id written into the signature (`kid`), as OPA's --verification-key-id expects.",
)
@click.option("--scope", default="", help="Scope claim of the signature (optional).")
@tool_errors
def bundle(
    output: Path,
    flags: Flags,
    signing_key: Path | None,
    signing_alg: str,
    key_id: str,
    scope: str,
) -> None:
    """Write the policies and ban lists `procgate check` would use (shipped and configured)
    as an OPA bundle: .manifest (revision = their digest, roots), data.json (the ban lists
    as data.banlist), the Rego and Python policies, and the ban lists themselves.

    With --signing-key it also holds .signatures.json: a JWT over every file's hash. An OPA
    server verifies it with `opa run --server --bundle FILE --verification-key PUBLIC.pem`;
    `procgate check --bundle FILE --verification-key PUBLIC.pem` evaluates from it, so every
    repository can pin one policy version. Unsigned bundles are refused by `check` unless it
    is given --allow-unsigned-bundle.
    """
    from procgate import __version__
    from procgate.bundle import DATA, LISTS, manifest, policy_entries, write_bundle
    from procgate.bundle.write import Signing
    from procgate.config import options_from
    from procgate.lists import default_ban_files, load_ban_data
    from procgate.resources import policies_dir

    options = options_from(flags)
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
    signing = Signing(signing_key, signing_alg, key_id, scope) if signing_key else None
    write_bundle(output, entries, meta, signing)
    policy_count = sum(1 for n in entries if n != DATA and not n.startswith(f"{LISTS}/"))
    signed = (
        f"signed with key {key_id!r} ({signing_alg})"
        if signing
        else "unsigned (check refuses it without --allow-unsigned-bundle)"
    )
    click.echo(
        f"wrote {output}: revision {meta['revision']}, {policy_count} policy files, "
        f"{len(ban_files)} ban lists, roots {', '.join(meta['roots'])}; {signed}"
    )
