"""End to end at screening-list scale: `procgate check --data GENERATED.json BIG.cdx.json`.

    .venv/bin/python benchmarks/bench_match_scale.py [--components 100000] [--entities 20000]
                                                      [--repeat 3]

The SBOM is bench_check.make_sbom's generated CycloneDX 1.5 file (3 banned components); the
list is bench_match_data's generated screening list (5 names and identifiers per entity),
written as JSON to a temporary file and passed with --data beside the shipped lists.
Baseline, in the same run: `python -c "json.load(open(sbom))"`. Targets (issue 3): wall
time and peak memory within 3x the baseline's.

Runs: `cold` is the first run with an empty cache (PROCGATE_CACHE_DIR is a fresh temporary
folder: the list is parsed and validated, its index built, and both are written with the
Rego data); `warm` is what every later `procgate check` against the same lists does (all
three read back by the lists' digest). Also shown: the same check without the generated
list, so the list's own cost is visible. The baseline, plain and warm runs are taken in
--repeat interleaved rounds; ratios are the median of each round's ratio to that round's
baseline (this machine is shared: absolute times drift by a third between runs).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from _run import PROCGATE, interleaved, run

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--components", type=int, default=100_000)
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sbom, banlist = folder / "big.cdx.json", folder / "generated-list.json"
        # Generated in a child: a forked child's peak RSS counts the parent's pages at fork.
        subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import json; from pathlib import Path; from bench_check import make_sbom; "
                    "from bench_match_data import ban_list_document; "
                    f"make_sbom({args.components}, Path({str(sbom)!r})); "
                    f"Path({str(banlist)!r}).write_text(json.dumps(ban_list_document({args.entities})))"
                ),
            ],
            check=True,
            cwd=Path(__file__).parent,
        )
        os.environ["PROCGATE_CACHE_DIR"] = str(folder / "cache")

        load = [sys.executable, "-c", f"import json; json.load(open({str(sbom)!r}))"]
        check = [*PROCGATE, "check", "--format", "json", str(sbom)]
        with_list = [*PROCGATE, "check", "--format", "json", "--data", str(banlist), str(sbom)]
        cold = run(with_list, ROOT)
        rounds = interleaved([load, check, with_list], args.repeat, ROOT)

    print(
        f"SBOM: {args.components} components; list: {args.entities} generated entities "
        f"(+ the shipped lists); median of {args.repeat} interleaved rounds"
    )
    print(f"{'run':<34} {'wall s':>7} {'peak MiB':>9} {'x time':>7} {'x memory':>9} {'exit':>5}")
    base = rounds[0]
    ratios = {}
    for label, runs in [
        ("json.load (baseline)", base),
        ("check, shipped lists", rounds[1]),
        ("check --data list, cold cache", [cold] * len(base)),
        ("check --data list, warm cache", rounds[2]),
    ]:
        # Per round, against that round's baseline: drift on a shared machine cancels out.
        x_time = median(r[0] / b[0] for r, b in zip(runs, base, strict=True))
        x_mem = median(r[1] / b[1] for r, b in zip(runs, base, strict=True))
        ratios[label] = (x_time, x_mem)
        print(
            f"{label:<34} {median(r[0] for r in runs):>7.2f} "
            f"{max(r[1] for r in runs):>9} {x_time:>7.2f} {x_mem:>9.2f} {runs[-1][2]:>5}"
        )
    x_time, x_mem = ratios["check --data list, warm cache"]
    ok = x_time <= 3 and x_mem <= 3
    print(f"target (warm: within 3x time and memory): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
