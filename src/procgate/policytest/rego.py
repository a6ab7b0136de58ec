"""Rego unit tests.

Every rule named `test_*` in any loaded module is a test (OPA's convention); it passes when it
evaluates to true. `with input as` / `with data.x as` are evaluated by regorus itself.
`todo_test_*` rules are reported as skipped. Test rules are found in regorus's AST, so the line
printed is the rule's line. Coverage comes from regorus (`set_enable_coverage`) and is reported
for policy files only (files that declare no tests and are not `*_test.rego`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import regorus

from procgate.decide.rego import engine_error, guarded
from procgate.decide.rego_ast import Module, modules
from procgate.errors import PolicyError
from procgate.policytest import ERROR, FAIL, PASS, SKIP, FileCoverage, TestResult, TestRun


def rego_test_files(folders: Sequence[Path]) -> list[Path]:
    """Every .rego file under the folders: tests and the policies they exercise."""
    found: list[Path] = []
    for folder in folders:
        found += [folder] if folder.is_file() else sorted(folder.rglob("*.rego"))
    return unique(found)


def read_sources(
    files: Sequence[Path], support: Sequence[Path], display: dict[Path, str]
) -> tuple[set[str], list[tuple[str, str]]]:
    """(the shown names of the files under test, (name, text) of every policy to compile):
    what both engines' test runs read."""
    tested = {display.get(f, str(f)) for f in files}
    sources = []
    for f in unique([*files, *support]):
        name = display.get(f, str(f))
        try:
            sources.append((name, f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(f"cannot read policy {name}: {exc}") from exc
    return tested, sources


def run_rego_tests(
    files: Sequence[Path],
    *,
    display: dict[Path, str],
    support: Sequence[Path] = (),
    data: dict[str, Any] | None = None,
    coverage: bool = False,
    select: Callable[[str], object] | None = None,
) -> TestRun:
    """Compile `files` (plus `support` policies, e.g. the shipped ones a test imports) and
    evaluate every test rule in `files`. A policy that does not compile raises PolicyError."""
    tested, sources = read_sources(files, support, display)
    engine = _engine(sources, data)
    engine.set_gather_prints(True)
    if coverage:
        engine.set_enable_coverage(True)
    mods = [m for m in modules(engine) if m.file in tested]
    results = [
        _run(engine, m, rule.name, rule.line)
        for m in mods
        for rule in tests_of(m)
        if select is None or select(m.query(rule.name))
    ]
    report = _coverage(engine, mods, sources, data) if coverage else ()
    return TestRun(tuple(results), report)


def _engine(sources: Sequence[tuple[str, str]], data: dict[str, Any] | None) -> Any:
    engine = regorus.Engine()
    for name, text in sources:
        guarded("policy does not compile", engine.add_policy, name, text)
    if data:
        guarded("test data rejected by the Rego engine", engine.add_data_json, json.dumps(data))
    return engine


def tests_of(module: Module) -> list[Any]:
    seen: set[str] = set()
    tests = []
    for rule in module.rules:  # a test may have several bodies: one test, at its first line
        if rule.function or rule.name in seen:
            continue
        if rule.name.startswith(("test_", "todo_test_")):
            seen.add(rule.name)
            tests.append(rule)
    return tests


def _run(engine: Any, module: Module, rule: str, line: int) -> TestResult:
    query = module.query(rule)
    if rule.startswith("todo_"):
        return TestResult(module.file, line, query, SKIP)
    start = time.perf_counter()
    try:
        answer = json.loads(engine.eval_query_as_json(query))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3 panics derive from BaseException
        took = time.perf_counter() - start
        return TestResult(module.file, line, query, ERROR, took, engine_error(exc))
    took = time.perf_counter() - start
    prints = "\n".join(engine.take_prints())
    values = [e["value"] for r in answer.get("result", []) for e in r["expressions"]]
    if values == [True]:
        return TestResult(module.file, line, query, PASS, took)
    why = "undefined" if not values else f"evaluated to {json.dumps(values[0])}"
    return TestResult(module.file, line, query, FAIL, took, "\n".join(filter(None, [why, prints])))


def _coverage(
    engine: Any,
    mods: Sequence[Module],
    sources: Sequence[tuple[str, str]],
    data: dict[str, Any] | None,
) -> tuple[FileCoverage, ...]:
    testing = {m.file for m in mods if tests_of(m)}
    policies = {m.file for m in mods if not m.file.endswith("_test.rego")} - testing
    report = _report(engine)
    # regorus reports only files the evaluation touched: a policy no test reaches would be
    # missing, not 0%. Its coverable lines come from a throwaway engine that touches it.
    untouched = [m for m in mods if m.file in policies and m.file not in report]
    if untouched:
        probe = _engine(sources, data)
        probe.set_enable_coverage(True)
        probe.set_input_json("{}")
        for query in sorted({m.ref for m in untouched}):
            try:
                probe.eval_query_as_json(query)
            except BaseException as exc:  # a runtime error still marks what it reached
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
        reached = _report(probe)
        for m in untouched:
            lines = reached.get(m.file, ((), ()))
            report[m.file] = ((), tuple(sorted({*lines[0], *lines[1]})))
    return tuple(FileCoverage(path, *report[path]) for path in sorted(policies & set(report)))


def _report(engine: Any) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    """file -> (covered lines, lines not covered), as regorus measured them."""
    raw = json.loads(engine.get_coverage_report_as_json())
    return {
        f["path"]: (tuple(sorted(f["covered"])), tuple(sorted(f["not_covered"])))
        for f in raw.get("files", [])
    }


def unique(paths: Sequence[Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for p in paths:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
