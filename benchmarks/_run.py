"""Helpers for the benchmarks: time and peak memory of a command in a fresh process."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROCGATE = [sys.executable, "-m", "procgate"]


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """(wall s, peak RSS MiB, exit code) of one run; os.wait4 gives this child's own rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def median_run(cmd: list[str], repeat: int, cwd: Path | None = None) -> tuple[float, int, int]:
    runs = [run(cmd, cwd) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        runs[-1][2],
    )
