"""`procgate explain ENTITY-OR-NAME`: what procgate knows about a vendor."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate.cli.common import EXIT_FINDINGS, EXIT_OK, tool_errors, write_output
from procgate.cli.options import gate_options

if TYPE_CHECKING:
    from procgate.config import Flags


@click.command()
@click.argument("query", nargs=-1, required=True)
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
    help="Write to FILE instead of standard output.",
)
@gate_options(policies=False)
@tool_errors
def explain(
    query: tuple[str, ...],
    fmt: str,
    output: Path | None,
    flags: Flags,
) -> None:
    """Explain a vendor: an entity id (kaspersky) or any name as it may appear in a document
    ("Kaspersky Lab ZAO", "HiLook", a domain, a purl or a CPE).

    Shows its names, brands, subsidiaries and identifiers, which laws and lists cover it,
    for whom, since when, for what products, and their sources; for a free-text name, also
    the match procgate would make and its score. Exit 0 when something matched, 1 when
    nothing did.
    """
    from procgate.config import options_from
    from procgate.explain import explain as run_explain
    from procgate.explain import explanation_json, render_text
    from procgate.pipeline import build_checker

    options = options_from(flags)
    checker = build_checker(options)
    exp = run_explain(" ".join(query), checker.ban_data, checker.matcher, options.audience)
    if fmt == "json":
        text = json.dumps(
            explanation_json(exp, options.audience, options.today), indent=2, ensure_ascii=False
        )
    else:
        text = render_text(exp, options.audience, options.today)
    write_output(text, output)
    sys.exit(EXIT_OK if exp.candidates else EXIT_FINDINGS)
