"""`procgate test`: policy unit tests (Rego and Python), with Rego line coverage."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from procgate.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, tool_errors
from procgate.cli.options import engine_option, gate_options
from procgate.policytest import ERROR, FAIL, PASS, SKIP, TestResult, TestRun, line_ranges

if TYPE_CHECKING:
    from procgate.config import Flags


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@gate_options(policies=False, evaluation=False)
@engine_option
@click.option("--coverage", is_flag=True, help="Report the Rego policy lines the tests execute.")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="Fail (exit 1) when Rego line coverage is below PERCENT (implies --coverage).",
)
@click.option(
    "--run",
    "pattern",
    metavar="REGEX",
    help="Only tests whose name (data.pkg.test_x, file.py::test_x) matches.",
)
@tool_errors
def test(
    paths: tuple[Path, ...],
    flags: Flags,
    coverage: bool,
    threshold: float | None,
    pattern: str | None,
) -> None:
    """Run policy tests in PATHS (default: the configured `policies`, else the shipped ones).

    Rego: every `test_*` rule (`with input as` / `with data.x as` work); `todo_test_*` rules
    are skipped. Python: `test_*` functions in `test_*.py` files beside Python policies.
    Ban lists (shipped and configured) are loaded as data.banlist. Exit 0: all passed (and
    coverage at or above --threshold); 1: a test failed or coverage is too low; 2: procgate
    could not run (a policy that does not compile, no tests found).
    """
    from procgate.config import options_from
    from procgate.decide.banlist_data import ban_data_as_json
    from procgate.lists import default_ban_files, load_ban_data
    from procgate.load import display_path
    from procgate.policytest.python import python_test_files, run_python_tests
    from procgate.policytest.rego import rego_test_files, run_rego_tests
    from procgate.resources import policies_dir

    options = options_from(flags)
    shipped = [policies_dir()] if options.shipped_policies else []
    folders = list(paths) or list(options.policy_dirs) or shipped
    if not folders:
        raise click.UsageError("no policy folders given or configured (`policies:`)")
    try:
        select = re.compile(pattern).search if pattern else None
    except re.error as exc:
        raise click.BadParameter(f"not a regular expression: {exc}", param_hint="--run") from exc
    ban_files = [*(default_ban_files() if options.shipped_policies else []), *options.data_files]
    banlist = {"banlist": ban_data_as_json(load_ban_data(ban_files))} if ban_files else None

    rego = rego_test_files(folders)
    support = [f for f in rego_test_files(shipped) if not f.name.endswith("_test.rego")]
    display = {f: display_path(f) for f in [*rego, *support]}
    runner = run_rego_tests
    if options.engine == "opa":
        from procgate.decide.opa import opa_module
        from procgate.policytest.opa import run_opa_tests

        opa_module()  # absent: exit 2 with the install hint, before anything runs
        runner = run_opa_tests
    run = runner(
        rego,
        display=display,
        support=support,
        data=banlist,
        coverage=coverage or threshold is not None,
        select=select,
    )
    py = python_test_files(folders)
    run = run + run_python_tests(py, display={f: display_path(f) for f in py}, select=select)
    if not run.results:
        click.echo("procgate: no tests found in " + ", ".join(map(display_path, folders)), err=True)
        sys.exit(EXIT_ERROR)
    click.echo(_render(run, coverage or threshold is not None, threshold, options.engine))
    low = threshold is not None and run.total_percent < threshold
    sys.exit(EXIT_OK if run.passed and not low else EXIT_FINDINGS)


def _render(run: TestRun, coverage: bool, threshold: float | None, engine: str) -> str:
    lines = [line for r in run.results for line in _result(r)]
    if coverage:
        by = " (OPA's coverage report)" if engine == "opa" else ""
        lines += ["", f"Coverage (Rego policy lines executed by the tests){by}:"]
        for c in run.coverage:
            missing = f"; not covered: {line_ranges(c.not_covered)}" if c.not_covered else ""
            lines.append(
                f"  {c.file}: {c.percent:.1f}% ({len(c.covered)}/{c.lines} lines){missing}"
            )
        covered = sum(len(c.covered) for c in run.coverage)
        total = sum(c.lines for c in run.coverage)
        verdict = ""
        if threshold is not None:
            low = run.total_percent < threshold
            verdict = f" BELOW THRESHOLD {threshold:g}%" if low else f" (threshold {threshold:g}%)"
        lines.append(f"  total: {run.total_percent:.1f}% ({covered}/{total} lines){verdict}")
    lines += [
        "",
        f"{run.count(PASS)} passed, {run.count(FAIL)} failed, {run.count(ERROR)} "
        f"errors, {run.count(SKIP)} skipped",
    ]
    return "\n".join(lines)


def _result(r: TestResult) -> list[str]:
    ms = f" ({r.seconds * 1000:.1f} ms)" if r.outcome != SKIP else ""
    out = [f"{r.file}:{r.line}: {r.outcome.upper():<5} {r.name}{ms}"]
    out += [f"    {line}" for line in r.detail.splitlines()]
    return out
