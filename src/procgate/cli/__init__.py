"""Command line: options in, exit code out. The only package that prints or exits.

Each command is a module, imported only when it runs: the pre-commit hook pays for `check`
alone, not for the web server or the bundle writer.
"""

from __future__ import annotations

import importlib

import click

from procgate import __version__

# command name -> (module, attribute), in the order `--help` lists them
COMMANDS = {
    "check": ("procgate.cli.check", "check"),
    "serve": ("procgate.cli.serve", "serve"),
    "explain": ("procgate.cli.explain", "explain"),
    "new": ("procgate.cli.new", "new"),
    "schema": ("procgate.cli.schema", "schema"),
    "scan": ("procgate.cli.scan", "scan"),
    "inventory": ("procgate.cli.inventory", "inventory"),
    "install-hook": ("procgate.cli.install_hook", "install_hook"),
    "test": ("procgate.cli.test", "test"),
    "init": ("procgate.cli.init", "init"),
    "bundle": ("procgate.cli.bundle", "bundle"),
    "audit": ("procgate.cli.audit", "audit"),
    "import": ("procgate.cli.import_list", "import_list"),
    "lists": ("procgate.cli.lists", "lists"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procgate")
def main() -> None:
    """procgate: stop purchases and SBOM components that a vendor ban forbids."""
