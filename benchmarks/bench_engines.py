"""The two Rego engines side by side: regorus (embedded, the default) and OPA's own Go engine
(`--engine opa`, opa-golib-python-bindings), measured in the same run.

    python benchmarks/bench_engines.py [--files 1000] [--repeat 3] [--decisions 30]

(a) One decision: the Rego input of examples/purchase-requests/kaspersky-endpoint.yaml (4
    listings reach its match) evaluated by each engine in this process through procgate's
    Engine interface (decide/rego.py, decide/opa.py), median of --decisions runs after a first
    one (OPA compiles each distinct query on first use: shown apart).
(b) 1,000 purchase-request files (the shipped examples, copied in turn, with the SBOMs two of
    them refer to): `procgate check --engine regorus` and `--engine opa` in fresh processes,
    median CPU and wall time and peak memory of --repeat runs each, interleaved.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _run import PROCGATE, run_cpu

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DAY = date(2026, 11, 28)


def one_decision(count: int) -> dict[str, tuple[float, float, int]]:
    """engine -> (first evaluation s, median s of the next `count`, findings)."""
    from procgate.config import build_options
    from procgate.decide.opa import OpaEngine
    from procgate.decide.rego import RegoEngine, rego_files
    from procgate.load import load
    from procgate.match import strongest_per_owner
    from procgate.model import Context
    from procgate.normalize import subjects
    from procgate.pipeline import build_checker
    from procgate.resources import policies_dir

    options = build_options({"today": DAY}, DAY, ROOT)
    checker = build_checker(options)
    path = EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"
    doc = load(path, "examples/purchase-requests/kaspersky-endpoint.yaml")
    subs = subjects(doc)
    matches = strongest_per_owner(checker.matcher.match(subs))
    ctx = Context("us-federal", DAY, ("information-security",))
    files = rego_files([policies_dir()])
    engines = {
        "regorus": RegoEngine(files, checker.ban_data, options.certain_score, isolated=False),
        "opa": OpaEngine(files, checker.ban_data, options.certain_score),
    }
    out = {}
    for name, engine in engines.items():
        start = time.perf_counter()
        findings = engine.evaluate(doc, subs, matches, ctx)
        first = time.perf_counter() - start
        times = []
        for _ in range(count):
            start = time.perf_counter()
            engine.evaluate(doc, subs, matches, ctx)
            times.append(time.perf_counter() - start)
        out[name] = (first, statistics.median(times), len(findings))
    return out


def make_requests(root: Path, n: int) -> None:
    requests = sorted((EXAMPLES / "purchase-requests").glob("*.yaml"))
    (root / "requests").mkdir(parents=True)
    shutil.copytree(EXAMPLES / "sboms", root / "sboms")
    for i in range(n):
        source = requests[i % len(requests)]
        (root / "requests" / f"{i:04d}-{source.name}").write_bytes(source.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--decisions", type=int, default=30)
    args = parser.parse_args()

    decided = one_decision(args.decisions)
    print("(a) one decision: kaspersky-endpoint.yaml's Rego input, in this process")
    for name, (first, median, findings) in decided.items():
        print(
            f"  {name:<8} first {first * 1000:7.1f} ms   then {median * 1000:6.1f} ms "
            f"(median of {args.decisions})   {findings} findings"
        )
    ratio = decided["opa"][1] / decided["regorus"][1]
    print(f"  opa / regorus: {ratio:.2f}x per decision")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        make_requests(work, args.files)
        runs: dict[str, list[tuple[float, float, int, int]]] = {"regorus": [], "opa": []}
        for _ in range(args.repeat):
            for engine in runs:  # interleaved, so drift on a shared machine hits both
                cmd = [
                    *PROCGATE,
                    "check",
                    "--engine",
                    engine,
                    "--date",
                    DAY.isoformat(),
                    "--format",
                    "json",
                    "-o",
                    f"{engine}.json",
                    ".",
                ]
                runs[engine].append(run_cpu(cmd, work))
        same = (work / "regorus.json").read_bytes() == (work / "opa.json").read_bytes()
    print(
        f"\n(b) procgate check over {args.files} purchase-request files (median of {args.repeat})"
    )
    medians = {}
    for engine, results in runs.items():
        codes = {r[3] for r in results}
        wall = statistics.median(r[0] for r in results)
        cpu = statistics.median(r[1] for r in results)
        peak = max(r[2] for r in results)
        medians[engine] = (wall, cpu)
        print(
            f"  --engine {engine:<8} {wall:6.2f} s wall  {cpu:6.2f} s CPU  {peak:5d} MiB  "
            f"exit {sorted(codes)}"
        )
    print(
        f"  opa / regorus: {medians['opa'][0] / medians['regorus'][0]:.2f}x wall, "
        f"{medians['opa'][1] / medians['regorus'][1]:.2f}x CPU; "
        f"reports {'identical' if same else 'DIFFER'}"
    )
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
