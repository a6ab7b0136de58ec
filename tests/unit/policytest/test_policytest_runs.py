"""Policy test runners: outcomes with file:line, and coverage of the lines actually run."""

from __future__ import annotations

from pathlib import Path

import pytest

from procgate.errors import PolicyError
from procgate.policytest import line_ranges
from procgate.policytest.python import python_test_files, run_python_tests
from procgate.policytest.rego import rego_test_files, run_rego_tests

POLICY = """\
package demo

import rego.v1

allow if {
	input.x == 1
}

deny contains "two" if {
	input.x == 2
	input.y == 3
}

label := "big" if {
	input.x > 10
} else := "small"
"""

TESTS = """\
package demo_test

import rego.v1

import data.demo

test_allow if {
	demo.allow with input as {"x": 1}
}

test_fails if {
	print("x was", 2)
	demo.allow with input as {"x": 2}
}

test_with_data if {
	data.limits.max == 5 with data.limits as {"max": 5}
}

todo_test_later if {
	false
}

test_errors if {
	1 / 0 == 0
}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "demo.rego").write_text(POLICY)
    (tmp_path / "demo_test.rego").write_text(TESTS)
    return tmp_path


def _run(folder: Path, **kw):  # type: ignore[no-untyped-def]
    files = rego_test_files([folder])
    return run_rego_tests(files, display={f: f.name for f in files}, **kw)


def test_outcomes_with_file_and_line(folder: Path) -> None:
    run = _run(folder)
    got = [(r.file, r.line, r.name, r.outcome) for r in run.results]
    assert got == [
        ("demo_test.rego", 7, "data.demo_test.test_allow", "pass"),
        ("demo_test.rego", 11, "data.demo_test.test_fails", "fail"),
        ("demo_test.rego", 16, "data.demo_test.test_with_data", "pass"),
        ("demo_test.rego", 20, "data.demo_test.todo_test_later", "skip"),
        ("demo_test.rego", 24, "data.demo_test.test_errors", "error"),
    ]
    failed, errored = run.results[1], run.results[4]
    assert failed.detail == "undefined\ndemo_test.rego:12: x was 2"  # with its print() output
    assert "divide by zero" in errored.detail and "Stack backtrace" not in errored.detail
    assert not run.passed


OTHER = """\
package other

import rego.v1

deny contains "no" if {
	input.z == 1
	input.w == 2
}
"""

REACH_OTHER = """\
package other_test

import rego.v1

test_deny if {
	"no" in data.other.deny with input as {"z": 1, "w": 2}
}
"""


def test_coverage_counts_the_lines_that_ran(folder: Path) -> None:
    run = _run(folder, coverage=True)
    cov = {c.file: c for c in run.coverage}
    assert set(cov) == {"demo.rego"}  # test files are not policy files
    # allow's body ran (line 6); deny's head (line 9) never produced a value.
    assert 6 in cov["demo.rego"].covered and 9 in cov["demo.rego"].not_covered
    assert set(cov["demo.rego"].covered).isdisjoint(cov["demo.rego"].not_covered)


def test_a_policy_no_test_reaches_counts_as_uncovered(folder: Path) -> None:
    (folder / "other.rego").write_text(OTHER)
    cov = {c.file: c for c in _run(folder, coverage=True).coverage}
    assert cov["other.rego"].covered == ()
    assert cov["other.rego"].not_covered == (5, 6, 7)
    assert cov["other.rego"].percent == 0.0


def test_coverage_grows_with_a_test_that_reaches_more_lines(folder: Path) -> None:
    (folder / "other.rego").write_text(OTHER)
    (folder / "other_test.rego").write_text(REACH_OTHER)
    cov = {c.file: c for c in _run(folder, coverage=True).coverage}
    assert cov["other.rego"].covered == (5, 6, 7) and cov["other.rego"].not_covered == ()


def test_select_runs_only_matching_tests(folder: Path) -> None:
    run = _run(folder, select=lambda name: name.endswith("test_allow"))
    assert [r.name for r in run.results] == ["data.demo_test.test_allow"]


def test_a_policy_that_does_not_compile_is_a_tool_error(tmp_path: Path) -> None:
    (tmp_path / "bad.rego").write_text("package bad\nallow if {\n")
    with pytest.raises(PolicyError, match="does not compile"):
        _run(tmp_path)


def test_line_ranges() -> None:
    assert line_ranges([9, 3, 4, 5, 11, 12]) == "3-5, 9, 11-12"
    assert line_ranges([]) == ""


# ---------------------------------------------------------------- Python


def test_python_policy_tests(tmp_path: Path) -> None:
    (tmp_path / "prices.py").write_text("def cents(x):\n    return round(x * 100)\n")
    (tmp_path / "test_prices.py").write_text(
        "from prices import cents\n\n\n"
        "def test_cents():\n    assert cents(1.25) == 125\n\n\n"
        "def test_wrong():\n    assert cents(1) == 1, 'one dollar is 100 cents'\n\n\n"
        "def test_crash():\n    raise KeyError('k')\n\n\n"
        "def test_fixture(tmp_path):\n    pass\n\n\n"
        "def helper():\n    raise AssertionError\n"
    )
    files = python_test_files([tmp_path])
    run = run_python_tests(files, display={f: f.name for f in files})
    got = [(r.line, r.name, r.outcome) for r in run.results]
    assert got == [
        (4, "test_cents", "pass"),
        (8, "test_wrong", "fail"),
        (12, "test_crash", "error"),
        (16, "test_fixture", "error"),
    ]
    assert "one dollar is 100 cents" in run.results[1].detail
    assert "takes arguments" in run.results[3].detail


def test_policy_modules_of_two_folders_do_not_collide(tmp_path: Path) -> None:
    for name, value in (("a", 1), ("b", 2)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "rules.py").write_text(f"VALUE = {value}\n")
        (folder / "test_rules.py").write_text(
            f"from rules import VALUE\n\n\ndef test_value():\n    assert VALUE == {value}\n"
        )
    files = python_test_files([tmp_path / "a", tmp_path / "b"])
    run = run_python_tests(files, display={})
    assert [r.outcome for r in run.results] == ["pass", "pass"]


def test_a_test_file_that_does_not_import_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "test_broken.py").write_text("import no_such_module_here\n")
    run = run_python_tests(python_test_files([tmp_path]), display={})
    assert [(r.outcome, r.line) for r in run.results] == [("error", 1)]
    assert "no_such_module_here" in run.results[0].detail
