"""procgate scan: files per second on a generated 10,000-file inventory, --jobs 1 and 2, each
beside baselines in the same run.

    python benchmarks/bench_scan.py [--files 10000] [--repeat 3]

Baselines: (a) reading every file of the tree in one Python process (the I/O floor);
(b) `procgate check` over the same tree (the gate in one process, no report). The tree comes
from tests/acceptance/inventory_tree.py, the scan tests' generator.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _run import PROCGATE, median_run

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
from inventory_tree import make_tree  # noqa: E402

READ_ALL = (
    "import os, sys\n"
    "for r, _, fs in os.walk(sys.argv[1]):\n"
    "    for f in fs: open(os.path.join(r, f), 'rb').read()"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        expected = make_tree(work / "records", args.files)
        n = expected.files
        read = median_run([sys.executable, "-c", READ_ALL, "records"], args.repeat, work)
        check = median_run([*PROCGATE, "check", "--format", "json", "records"], args.repeat, work)
        print(f"{n} files, {len(expected.hits)} banned items, date 2026-11-28")
        print(f"  baseline read every file:     {read[0]:6.2f} s  {n / read[0]:8.0f} files/s")
        print(
            f"  baseline procgate check:      {check[0]:6.2f} s  {n / check[0]:8.0f} files/s  "
            f"{check[1]} MiB"
        )
        times = {}
        for jobs in (1, 2):
            cmd = [
                *PROCGATE,
                "scan",
                "records",
                "--date",
                "2026-11-28",
                "--jobs",
                str(jobs),
                "--report",
                "inv.html",
                "--report",
                "inv.json",
            ]
            wall, rss, code = median_run(cmd, args.repeat, work)
            times[jobs] = wall
            print(
                f"  procgate scan --jobs {jobs}:       {wall:6.2f} s  {n / wall:8.0f} files/s  "
                f"{rss} MiB (parent)  exit {code}; {wall / check[0]:.2f}x check"
            )
        print(f"  --jobs 2 speed-up over --jobs 1: {times[1] / times[2]:.2f}x")


if __name__ == "__main__":
    main()
