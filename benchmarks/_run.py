"""Helpers for the benchmarks: time and peak memory of a command in a fresh process."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROCGATE = [sys.executable, "-m", "procgate"]
# Children run as an installed tool does: with the bytecode cache (pip writes it when it
# installs). Some shells export PYTHONDONTWRITEBYTECODE, which makes every run of an
# editable install compile procgate's modules again.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """(wall s, peak RSS MiB, exit code) of one run; os.wait4 gives this child's own rusage."""
    wall, _, peak, code = run_cpu(cmd, cwd)
    return wall, peak, code


def run_cpu(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, int, int]:
    """(wall s, CPU s (user + system), peak RSS MiB, exit code) of one run. On a shared
    machine CPU time drifts less than wall time. `env`: variables set on top of ENV."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env={**ENV, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def median_run(cmd: list[str], repeat: int, cwd: Path | None = None) -> tuple[float, int, int]:
    runs = [run(cmd, cwd) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        runs[-1][2],
    )


def interleaved(
    cmds: list[list[str]], repeat: int, cwd: Path | None = None
) -> list[list[tuple[float, int, int]]]:
    """Each command's runs, taken in rounds (one run of every command per round), so that
    the machine's drift touches every command alike; ratios are best taken per round."""
    runs: list[list[tuple[float, int, int]]] = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run(cmd, cwd))
    return runs
