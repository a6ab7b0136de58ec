"""`procgate test`: policy unit tests, Rego and Python, with Rego line coverage.

    run_rego_tests(files, ...)     rego.py: `test_*` rules, evaluated by regorus
    run_python_tests(files, ...)   python.py: `test_*` functions beside Python policies

Both return a TestRun; the command merges them and prints file:line PASS/FAIL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PASS, FAIL, ERROR, SKIP = "pass", "fail", "error", "skip"


@dataclass(frozen=True)
class TestResult:
    file: str
    line: int
    name: str  # data.procgate.bans_test.test_x, or the Python function's name
    outcome: str  # pass | fail | error | skip
    seconds: float = 0.0
    detail: str = ""  # print() output of a failed Rego test, the Python assertion


@dataclass(frozen=True)
class FileCoverage:
    file: str
    covered: tuple[int, ...]
    not_covered: tuple[int, ...]

    @property
    def lines(self) -> int:
        return len(self.covered) + len(self.not_covered)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.covered) / self.lines if self.lines else 100.0


@dataclass(frozen=True)
class TestRun:
    results: tuple[TestResult, ...]
    coverage: tuple[FileCoverage, ...] = field(default=())

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def passed(self) -> bool:
        return self.count(FAIL) == 0 and self.count(ERROR) == 0

    @property
    def total_percent(self) -> float:
        covered = sum(len(c.covered) for c in self.coverage)
        lines = sum(c.lines for c in self.coverage)
        return 100.0 * covered / lines if lines else 100.0

    def __add__(self, other: TestRun) -> TestRun:
        return TestRun(self.results + other.results, self.coverage + other.coverage)


def line_ranges(lines: Sequence[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9": how uncovered lines are shown."""
    runs: list[list[int]] = []
    for n in sorted(lines):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)
