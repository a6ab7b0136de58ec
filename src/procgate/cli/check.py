"""`procgate check`: files in, verdict out."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate import gcpause
from procgate.cli.common import tool_errors, write_output
from procgate.cli.options import bundle_trust_options, gate_options, report_targets
from procgate.model import Verdict
from procgate.report import REPORTERS, reporter

if TYPE_CHECKING:
    from procgate.config import Flags, Options
    from procgate.pipeline import Checker

Content = Callable[[str], bytes | None]  # display path -> the bytes checked


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
            verdict, checker, content = _check_git(options, list(paths), staged=staged, base=base)
        else:
            # No PATH and no `paths:` in a config: the current folder, as linters do.
            targets = list(paths) or list(options.paths) or [Path(".")]
            checker = _build(options)
            verdict = checker.check_paths(targets, full=not paths)
    if options.audit_log is not None and checker is not None:
        # Before any output: a run that must be recorded must not pass unrecorded.
        _audit(options.audit_log, options, checker, verdict, content)
    urls = _authority_urls(checker)
    for extra_fmt, file in reports:
        write_output(_render(extra_fmt, verdict, options.fail_on, urls), file)
    write_output(_render(fmt, verdict, options.fail_on, urls), output)
    sys.exit(verdict.exit_code(options.fail_on))


def _check_git(
    options: Options, paths: list[Path], *, staged: bool, base: str | None
) -> tuple[Verdict, Checker | None, Content | None]:
    """--staged / --diff: files and content from git. Ban lists and policies are loaded only
    when there is something to check, so a commit without our files costs almost nothing.
    Also returns where the checked bytes are (None: on disk), for the audit log."""
    from procgate.load.exclude import Exclude
    from procgate.load.git import GitRepo, Snapshot, select

    repo = GitRepo.open(Path.cwd())
    targets = paths or None
    within = list(options.paths)
    exclude = Exclude(options.exclude, options.base_dir)
    if base == "HEAD" and not repo.has_head():
        base = None  # the first commit (`--staged --diff HEAD` in a hook): all of it is new
    if base is None:
        selection = select(repo, targets, within, staged=staged or not paths, exclude=exclude)
        base_commit, base_path, deleted = None, {}, []
    else:
        base_commit = repo.merge_base(repo.resolve(base))
        changes = repo.changes(base_commit, staged=staged)
        selection = select(repo, targets, within, staged=staged, changes=changes, exclude=exclude)
        base_path = {
            repo.display(c.path): repo.display(c.old_path)
            for c in changes
            if c.path and c.old_path and c.path != c.old_path
        }
        deleted = [repo.display(c.old_path) for c in changes if c.status == "D"]
    for name in selection.skipped:
        _note(f"{name} is not staged (not in the git index): not checked")
    against = ""  # the report names what only new findings were kept against
    if base is not None and base_commit is not None:
        against = base if base_commit.startswith(base) else f"{base} at {base_commit[:12]}"
    if not selection.items:
        return Verdict((), (), base=against), None, None

    from procgate.pipeline import check_new

    checker = _build(options)
    if base_commit is None:
        return checker.check(selection.items, selection.open_ref), checker, selection.content
    verdict, already = check_new(
        checker, selection, Snapshot(repo, base_commit), base_path, deleted
    )
    verdict = replace(verdict, base=against)
    if already:
        noun = "finding" if already == 1 else "findings"
        _note(f"{already} {noun} already on {base} ({base_commit[:12]}) not reported")
    return verdict, checker, selection.content


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


def _authority_urls(checker: Checker | None) -> Mapping[str, str]:
    if checker is None:
        return {}
    return {a.id: a.source for a in checker.ban_data.authorities.values() if a.source}


def _render(fmt: str, verdict: Verdict, fail_on: str, urls: Mapping[str, str]) -> str:
    if fmt == "sarif":  # SARIF's rule help links each authority to its source
        from procgate.report.sarif import render_sarif

        return render_sarif(verdict, fail_on, urls)
    return reporter(fmt)(verdict, fail_on)


def _note(message: str) -> None:
    click.echo(f"procgate: {message}", err=True)
