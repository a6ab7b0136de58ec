"""Python policy tests: `test_*` functions in `test_*.py` files beside the Python policies.

A plain runner rather than pytest, which is a development dependency and not installed with
procgate: each test function is called without arguments; an AssertionError is a failure,
any other exception an error. The test file's folder is on sys.path while it runs, so a test
imports the policy beside it by its module name (`from identifiers import compact`).
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from procgate.policytest import ERROR, FAIL, PASS, TestResult, TestRun


def python_test_files(folders: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found += [folder] if folder.name.startswith("test_") and folder.suffix == ".py" else []
        else:
            found += sorted(p for p in folder.rglob("test_*.py") if "__pycache__" not in p.parts)
    return found


def run_python_tests(
    files: Sequence[Path],
    *,
    display: dict[Path, str],
    select: Callable[[str], object] | None = None,
) -> TestRun:
    results: list[TestResult] = []
    for f in files:
        name = display.get(f, str(f))
        with _importable(f.parent):
            try:
                module = _import(f)
            except BaseException as exc:  # a broken test file is an error, not a crash
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                results.append(TestResult(name, 1, f.stem, ERROR, 0.0, _short(exc)))
                continue
            for fn_name, fn, line in _tests(module):
                if select is None or select(f"{name}::{fn_name}"):
                    results.append(_run(name, fn_name, fn, line))
    return TestRun(tuple(results))


@contextmanager
def _importable(folder: Path) -> Iterator[None]:
    """The folder first on sys.path; modules imported meanwhile are forgotten afterwards, so
    two policy folders may each have an `identifiers.py`."""
    before = set(sys.modules)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for added in set(sys.modules) - before:
            del sys.modules[added]


def _import(file: Path) -> ModuleType:
    name = f"procgate_policy_test_{abs(hash(file.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _tests(module: ModuleType) -> list[tuple[str, Callable[..., Any], int]]:
    found = []
    for name, value in vars(module).items():
        # Only functions defined here: a test imported from another file is not run twice.
        if (
            name.startswith("test_")
            and inspect.isfunction(value)
            and value.__module__ == module.__name__
        ):
            found.append((name, value, value.__code__.co_firstlineno))
    return sorted(found, key=lambda t: t[2])


def _run(file: str, name: str, fn: Callable[..., Any], line: int) -> TestResult:
    if inspect.signature(fn).parameters:
        why = "takes arguments; procgate test calls test functions without any (no fixtures)"
        return TestResult(file, line, name, ERROR, 0.0, why)
    start = time.perf_counter()
    try:
        fn()
    except AssertionError as exc:
        return TestResult(file, line, name, FAIL, time.perf_counter() - start, _short(exc))
    except Exception as exc:
        return TestResult(file, line, name, ERROR, time.perf_counter() - start, _short(exc))
    return TestResult(file, line, name, PASS, time.perf_counter() - start)


def _short(exc: BaseException) -> str:
    """The exception and the test's own line that raised it, not the whole traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (line {frames[-1].lineno})" if frames else ""
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}{where}" if str(exc) else f"{text}{where}"
