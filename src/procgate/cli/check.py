"""`procgate check`: files in, verdict out."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate import gcpause
from procgate.cli.common import tool_errors, write_output
from procgate.cli.options import (
    bundle_trust_options,
    engine_option,
    gate_options,
    report_targets,
)
from procgate.model import Verdict
from procgate.report import REPORTERS, reporter

if TYPE_CHECKING:
    from procgate.config import Flags, Options
    from procgate.diff import Content
    from procgate.pipeline import Checker

# report file extension -> format, for `--report FILE` (github annotations: github=FILE)
SUFFIXES = {".txt": "text", ".json": "json", ".sarif": "sarif", ".xml": "junit", ".md": "markdown"}


def _reports(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, Path]]:
    return report_targets(values, REPORTERS, SUFFIXES)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(sorted(REPORTERS)),
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to FILE instead of standard output.",
)
@gate_options(fail_on=True)
@engine_option
@click.option(
    "--staged",
    is_flag=True,
    help="Check the content staged in git (the index), not the working tree: what "
    "the commit will hold. Without PATHs, every staged file. For pre-commit hooks.",
)
@click.option(
    "--diff",
    "base",
    metavar="BASE",
    help="Report only findings that are new against git BASE (a branch, tag or "
    "commit; compared from where HEAD left it). Without PATHs, the files changed "
    "since BASE. For CI on a pull request.",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="[FORMAT=]FILE",
    callback=_reports,
    help="Also write the report to FILE, from the same run, in the format its "
    "extension names (.sarif, .json, .xml = junit, .md = markdown, .txt = text) or "
    "as FORMAT=FILE (sarif=procgate.sarif, github=annotations.txt). Repeatable.",
)
@click.option(
    "--audit-log",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Append one hash-chained JSON line per checked file to FILE (see `procgate "
    "audit verify`).",
)
@click.option(
    "--bundle",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Take the policies and ban lists from this OPA bundle (`procgate bundle`) "
    "instead of the shipped and configured ones. It must be signed (see "
    "--verification-key).",
)
@bundle_trust_options
@click.option(
    "--opa-url",
    metavar="URL",
    help="Evaluate the Rego policies on this OPA server (REST Data API), e.g. "
    "http://localhost:8181, sending the same input as the embedded engine.",
)
@tool_errors
def check(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    flags: Flags,
    staged: bool,
    base: str | None,
    reports: list[tuple[str, Path]],
) -> None:
    """Check purchase requests and SBOMs (files or folders; default: `paths:` in the config,
    else the current folder) against the ban lists.

    Exit 0: nothing at or above --fail-on. Exit 1: blocking findings (a file that cannot be
    parsed or fails its schema blocks too). Exit 2: procgate itself could not run.
    """
    from procgate.config import options_from

    options = options_from(flags)
    content = None  # where the checked bytes come from when not from disk (the git index)
    with gcpause.one_run():  # the process ends with this run: see procgate/gcpause.py
        if staged or base is not None:
            from procgate.diff import check_git

            verdict, checker, content = check_git(
                options, list(paths), staged=staged, base=base, build=_build, note=_note
            )
        else:
            # No PATH and no `paths:` in a config: the current folder, as linters do.
            targets = list(paths) or list(options.paths) or [Path(".")]
            checker = _build(options)
            verdict = checker.check_paths(targets, full=not paths)
    if options.audit_log is not None and checker is not None:
        # Before any output: a run that must be recorded must not pass unrecorded.
        _audit(options.audit_log, options, checker, verdict, content)
    for extra_fmt, file in reports:
        write_output(reporter(extra_fmt)(verdict, options.fail_on), file)
    write_output(reporter(fmt)(verdict, options.fail_on), output)
    sys.exit(verdict.exit_code(options.fail_on))


def _build(options: Options) -> Checker:
    from procgate.pipeline import build_checker

    checker = build_checker(options)
    for note in checker.notes:
        _note(note)
    return checker


def _audit(
    log: Path, options: Options, checker: Checker, verdict: Verdict, content: Content | None
) -> None:
    from datetime import UTC

    from procgate import __version__
    from procgate.audit import RunFacts, append, decision_records, git_state, input_digest

    files = dict.fromkeys([*verdict.files, *(f.position.file for f in verdict.findings)])
    facts = RunFacts(
        time=datetime.now(UTC),
        version=__version__,
        policy_digest=checker.policy_digest,
        audience=options.audience,
        today=options.today,
        fail_on=options.fail_on,
        inputs={f: input_digest(f, content) for f in files},
        git=git_state(Path.cwd()),
    )
    append(log, decision_records(verdict, facts))


def _note(message: str) -> None:
    click.echo(f"procgate: {message}", err=True)
