"""procgate scan on a Dask cluster against the local process pool, on the same generated
10,000-file inventory: `--jobs 1`, `--jobs 2`, `--cluster local:1`, `--cluster local:2`.

    python benchmarks/bench_cluster.py [--files 10000] [--repeat 3]

Runs are interleaved (one of each per round) so that the machine's drift touches them alike;
ratios are medians of the per-round ratios. Each run is a whole `procgate scan` process
(start-up, walk, workers, report), as a user runs it; the same command on a 20-file tree
gives the fixed cost of each way (process start, workers' start and checker build) apart
from the per-file rate. The tree comes from tests/acceptance/inventory_tree.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from _run import PROCGATE, interleaved

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
from inventory_tree import make_tree  # noqa: E402

WAYS = {
    "--jobs 1": ["--jobs", "1"],
    "--jobs 2": ["--jobs", "2"],
    "--cluster local:1": ["--cluster", "local:1"],
    "--cluster local:2": ["--cluster", "local:2"],
}


def _sweeps(tree: str, work: Path, repeat: int) -> dict[str, list[float]]:
    cmds = [
        [*PROCGATE, "scan", tree, "--date", "2026-11-28", "--report", "inv.json", *extra]
        for extra in WAYS.values()
    ]
    runs = interleaved(cmds, repeat, work)
    for way, got in zip(WAYS, runs, strict=True):
        codes = {code for _, _, code in got}
        if codes - {0, 1}:
            raise SystemExit(f"{way} on {tree} exited {codes}")
    return {way: [wall for wall, _, _ in got] for way, got in zip(WAYS, runs, strict=True)}


def _ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        n = make_tree(work / "records", args.files).files
        make_tree(work / "small", 20)
        small = _sweeps("small", work, args.repeat)
        big = _sweeps("records", work, args.repeat)
    print(f"{n} files, {args.repeat} interleaved rounds, whole `procgate scan` runs")
    print(f"  {'':20} {'wall s':>7} {'files/s':>8} {'fixed s':>8} {'files/s after fixed':>20}")
    rate_after: dict[str, float] = {}
    for way in WAYS:
        wall = statistics.median(big[way])
        fixed = statistics.median(small[way])
        rate_after[way] = n / max(wall - fixed, 1e-9)
        print(f"  {way:20} {wall:7.2f} {n / wall:8.0f} {fixed:8.2f} {rate_after[way]:20.0f}")
    for workers in (1, 2):
        cluster, jobs = big[f"--cluster local:{workers}"], big[f"--jobs {workers}"]
        print(
            f"  overhead --cluster local:{workers} vs --jobs {workers}: "
            f"{_ratio(cluster, jobs):.2f}x wall (target <= 1.2x)"
        )
    for prefix in ("--jobs", "--cluster local:"):
        sep = "" if prefix.endswith(":") else " "
        one, two = big[f"{prefix}{sep}1"], big[f"{prefix}{sep}2"]
        print(f"  growth 1 -> 2 workers, {prefix}{sep}N: {_ratio(one, two):.2f}x files/s")


if __name__ == "__main__":
    main()
