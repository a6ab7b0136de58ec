"""Command line: options in, exit code out. The only package that prints or exits.

Each command is a module; this group only gathers them.
"""

from __future__ import annotations

import click

from procgate import __version__
from procgate.cli.audit import audit
from procgate.cli.bundle import bundle
from procgate.cli.check import check
from procgate.cli.explain import explain
from procgate.cli.init import init
from procgate.cli.install_hook import install_hook
from procgate.cli.new import new
from procgate.cli.scan import scan
from procgate.cli.schema import schema
from procgate.cli.serve import serve
from procgate.cli.test import test


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procgate")
def main() -> None:
    """procgate: stop purchases and SBOM components that a vendor ban forbids."""


main.add_command(check)
main.add_command(serve)
main.add_command(explain)
main.add_command(new)
main.add_command(schema)
main.add_command(scan)
main.add_command(install_hook)
main.add_command(test)
main.add_command(init)
main.add_command(bundle)
main.add_command(audit)
