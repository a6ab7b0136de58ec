"""Rego unit tests on OPA's own engine (`procgate test --engine opa`), with OPA's coverage.

The same tests as rego.py finds (every `test_*` rule of the given files, `todo_test_*`
skipped), evaluated by OPA (decide/opa.py): a module's tests in one query, since OPA compiles
every distinct query anew (a test's time is its share of that query's), then each test that
did not pass alone, for its print() output or its error. With coverage, every test is evaluated with
OPA's `cover` tracer and the reports are merged as `opa test --coverage` merges them: a line is
covered when any test evaluated an expression on it; reported for policy files only, as rego.py
does.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from procgate.decide.opa import compiled, declared, opa_module
from procgate.decide.rego_ast import Module
from procgate.policytest import ERROR, FAIL, PASS, SKIP, FileCoverage, TestResult, TestRun
from procgate.policytest.rego import read_sources, tests_of  # one way to find tests and files


def run_opa_tests(
    files: Sequence[Path],
    *,
    display: dict[Path, str],
    support: Sequence[Path] = (),
    data: dict[str, Any] | None = None,
    coverage: bool = False,
    select: Callable[[str], object] | None = None,
) -> TestRun:
    tested, sources = read_sources(files, support, display)
    mods = [m for m in declared(sources) if m.file in tested]
    engine = compiled(sources, data)
    merged = _Coverage()
    prints: list[str] = []
    engine.print_handler = lambda message, _location: prints.append(str(message))
    results: list[TestResult] = []
    try:
        for m in mods:
            chosen = [r for r in tests_of(m) if select is None or select(m.query(r.name))]
            results += _run_module(engine, m, chosen, coverage, merged, prints)
    finally:
        engine.close()
    report = merged.files(mods) if coverage else ()
    return TestRun(tuple(results), report)


def _run_module(
    engine: Any,
    module: Module,
    tests: Sequence[Any],
    coverage: bool,
    merged: _Coverage,
    prints: list[str],
) -> list[TestResult]:
    """A module's tests in one query (OPA prepares, ~0.5 s, each distinct query); a test that
    does not pass is evaluated again alone, for its print() output or its error."""
    names = [r.name for r in tests if not r.name.startswith("todo_")]
    values: dict[str, Any] = {}
    took = 0.0
    if names:
        query = f"value = {{n: v | some n in {json.dumps(names)}; v := {module.ref}[n]}}"
        start = time.perf_counter()
        try:
            rows = engine.eval_query(query, coverage=coverage)
            values = rows[0]["value"] if rows else {}
        except opa_module().OpaError:
            values = {}  # an error in one test: each is evaluated alone below
        took = (time.perf_counter() - start) / len(names)
        if coverage and engine.last_coverage:
            merged.add(engine.last_coverage)
    results = []
    for rule in tests:
        if values.get(rule.name) is True:
            results.append(TestResult(module.file, rule.line, module.query(rule.name), PASS, took))
            continue
        prints.clear()
        results.append(_run(engine, module, rule.name, rule.line, coverage, prints))
        if coverage and engine.last_coverage:
            merged.add(engine.last_coverage)
    return results


def _run(
    engine: Any, module: Module, rule: str, line: int, coverage: bool, prints: list[str]
) -> TestResult:
    query = module.query(rule)
    if rule.startswith("todo_"):
        return TestResult(module.file, line, query, SKIP)
    start = time.perf_counter()
    try:
        rows = engine.eval_query(f"value = {query}", coverage=coverage)
    except opa_module().OpaError as exc:
        took = time.perf_counter() - start
        return TestResult(module.file, line, query, ERROR, took, exc.message)
    took = time.perf_counter() - start
    values = [r["value"] for r in rows]
    if values == [True]:
        return TestResult(module.file, line, query, PASS, took)
    why = "undefined" if not values else f"evaluated to {json.dumps(values[0])}"
    detail = "\n".join(filter(None, [why, *prints]))
    return TestResult(module.file, line, query, FAIL, took, detail)


class _Coverage:
    """OPA's per-evaluation coverage reports, merged: rows with an evaluated expression, and
    rows OPA reports as coverable."""

    def __init__(self) -> None:
        self.covered: dict[str, set[int]] = {}
        self.coverable: dict[str, set[int]] = {}

    def add(self, report: dict[str, Any]) -> None:
        for path, entry in (report.get("files") or {}).items():
            covered = _rows(entry.get("covered"))
            self.covered.setdefault(path, set()).update(covered)
            rows = self.coverable.setdefault(path, set())
            rows.update(covered, _rows(entry.get("not_covered")))

    def files(self, mods: Sequence[Module]) -> tuple[FileCoverage, ...]:
        testing = {m.file for m in mods if tests_of(m)}
        policies = {m.file for m in mods if not m.file.endswith("_test.rego")} - testing
        out = []
        for path in sorted(policies & set(self.coverable)):
            covered = self.covered.get(path, set())
            rest = self.coverable[path] - covered
            out.append(FileCoverage(path, tuple(sorted(covered)), tuple(sorted(rest))))
        return tuple(out)


def _rows(ranges: Any) -> set[int]:
    rows: set[int] = set()
    for r in ranges or ():
        rows.update(range(int(r["start"]["row"]), int(r["end"]["row"]) + 1))
    return rows
