"""`procgate scan PATH... --report FILE`: the inventory sweep."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate import rules
from procgate.cli.common import tool_errors, write_output
from procgate.cli.options import gate_options, report_targets

if TYPE_CHECKING:  # imported when the command runs: keeps `procgate --help` fast
    from procgate.config import Flags, Options
    from procgate.scan import Inventory
    from procgate.scan.sweep import Problem
    from procgate.store.sweeps import Recorder

# report file extension -> format (procgate.scan.REPORTS), known before procgate.scan loads
SUFFIXES = {".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}


def _reports(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> list[tuple[str, Path]]:
    return report_targets(values, set(SUFFIXES.values()), SUFFIXES)


@click.command()
@click.argument("paths", nargs=-1)  # local paths or fsspec URLs (s3://…): scan/remote.py
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="[FORMAT=]FILE",
    callback=_reports,
    help="Write the report to FILE, in the format its extension names: .html (one "
    "self-contained page), .csv or .json; or FORMAT=FILE (html=inventory.page). "
    "Repeatable.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes; 0 uses every core.",
)
@click.option(
    "--store",
    metavar="URL",
    help="Also record the sweep in this store: a file path (SQLite, created if missing) or "
    "postgresql://user@host/db. `procgate inventory` reads it.",
)
@click.option(
    "--cluster",
    metavar="tcp://HOST:PORT|local:N",
    help="Sweep on a Dask cluster: a running scheduler's address, or local:N for N "
    "worker processes here (needs procgate[cluster]; docs/cluster.md).",
)
@gate_options(fail_on=True)
@tool_errors
def scan(
    paths: tuple[str, ...],
    reports: list[tuple[str, Path]],
    jobs: int,
    store: str | None,
    cluster: str | None,
    flags: Flags,
) -> None:
    """Sweep existing purchase records and SBOMs (folders are walked) and report every item
    a ban covers as of --date, grouped by vendor and by law or list: where it is, since when
    it is banned, and the directive's clock where there is one (BOD 17-01: identify within
    30 days, plan within 60, begin removal within 90).

    Exit 0: nothing at or above --fail-on. Exit 1: affected items (or unreadable files).
    Exit 2: procgate itself could not run.
    """
    from procgate.config import options_from
    from procgate.scan import REPORTS, default_jobs, run_scan
    from procgate.scan.remote import scan_paths

    options = options_from(flags)
    targets = scan_paths(paths) if paths else list(options.paths)
    if not targets:
        raise click.UsageError("no paths given and none configured (`paths:` in procgate.yaml)")
    recorder = None
    if store is not None:  # opened first: a bad URL or unreachable database stops the run
        from procgate.store.sweeps import Recorder

        recorder = Recorder(store, options, targets)
    inventory = _with_progress(
        run_scan, targets, options, jobs or default_jobs(), recorder, cluster
    )
    for fmt, report in reports:
        write_output(REPORTS[fmt](inventory).rstrip("\n"), report)
    write_output(_summary(inventory, [report for _, report in reports]), None)
    if recorder is not None:
        write_output(recorder.summary(), None)
    sys.exit(inventory.exit_code())


def _with_progress(
    run_scan: Callable[..., Inventory],
    targets: Sequence[Path | str],
    options: Options,
    jobs: int,
    recorder: Recorder | None = None,
    cluster: str | None = None,
) -> Inventory:
    """A progress bar on a terminal (files done, files/s, workers); nothing extra when
    output goes to a file or CI log. (run_scan is passed in: procgate.scan is imported only
    when the command runs.)"""
    if not sys.stderr.isatty():
        return run_scan(targets, options, jobs, None, recorder, cluster)
    start = time.monotonic()
    with click.progressbar(
        length=1,
        label="Scanning",
        file=sys.stderr,
        show_pos=True,
        item_show_func=lambda rate: rate,
    ) as bar:

        def progress(done: int, total: int, workers: int) -> None:
            bar.length = total
            rate = done / max(time.monotonic() - start, 1e-6)
            plural = "s" if workers != 1 else ""
            bar.update(done - bar.pos, f"{rate:,.0f} files/s, {workers} worker{plural}")

        return run_scan(targets, options, jobs, progress, recorder, cluster)


def _summary(inv: Inventory, reports: list[Path]) -> str:
    from procgate.scan.inventory import severity_counts

    s = inv.summary()
    lines = [
        f"Scanned {s['files']} files ({s['checked']} checked) as of {inv.today.isoformat()} "
        f"for {inv.audience}.",
        f"Affected: {s['affected_items']} items in {s['affected_files']} files from "
        f"{s['vendors']} vendors ({s['deny']} banned, {s['warn']} to review, "
        f"{s['waived']} waived).",
    ]
    for v in inv.vendors:
        names = ", ".join(
            f"{g.id or '-'} ({_since_words(g.since, inv.today)})" for g in v.authorities
        )
        lines.append(f"  {v.entity.name}: {severity_counts(v.hits)}; {names}")
    if inv.problems:
        lines += _problems(inv, reports)
    lines += [f"Report: {r}" for r in reports]
    return "\n".join(lines)


def _since_words(since: date | None, today: date) -> str:
    """ "since 2019-08-13"; a ban not yet in force (bans.upcoming) "from 2027-12-23, upcoming"."""
    if since is None:
        return "since -"
    if since > today:
        return f"from {since.isoformat()}, upcoming"
    return f"since {since.isoformat()}"


SHOWN_PROBLEM_FILES = 10


def _problems(inv: Inventory, reports: list[Path]) -> list[str]:
    """The files that could not be checked fully, then other findings that name no listed
    vendor (a product category, hidden characters, a template left unfilled): each file with
    its first one, at most ten per group."""
    unread = [p for p in inv.problems if p.rule in rules.UNWAIVABLE]
    other = [p for p in inv.problems if p.rule not in rules.UNWAIVABLE]
    where = "details in the report" if reports else "`procgate check FILE` shows them all"
    lines: list[str] = []
    for heading, group in (
        ("Could not be checked fully", unread),
        ("Other findings without a listed vendor", other),
    ):
        if group:
            lines += _first_per_file(heading, group, where)
    return lines


def _first_per_file(heading: str, problems: list[Problem], where: str) -> list[str]:
    first: dict[str, Problem] = {}
    for p in problems:
        first.setdefault(p.file, p)
    noun = "problem" if len(problems) == 1 else "problems"
    lines = [
        f"{heading}: {len(problems)} {noun} in {len(first)} "
        f"file{'s' if len(first) != 1 else ''} ({where}):"
    ]
    for p in list(first.values())[:SHOWN_PROBLEM_FILES]:
        lines.append(f"  {p.file}:{p.line}: {p.rule}: {p.message}")
    if len(first) > SHOWN_PROBLEM_FILES:
        lines.append(f"  … and {len(first) - SHOWN_PROBLEM_FILES} more files")
    return lines
