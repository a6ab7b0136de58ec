"""Command line: options in, exit code out. The only package that prints or exits.

Each command is a module; this group only gathers them.
"""

from __future__ import annotations

import click

from procgate import __version__
from procgate.cli.check import check


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procgate")
def main() -> None:
    """procgate: stop purchases and SBOM components that a vendor ban forbids."""


main.add_command(check)
