"""The two Rego engines side by side: regorus (embedded, the default) and OPA's own Go engine
(`--engine opa`, opa-golib-python-bindings), measured in the same run.

    python benchmarks/bench_engines.py [--files 1000] [--repeat 3] [--decisions 30]
                                       [--matches 10 100]

(a) One decision: the Rego input of examples/purchase-requests/kaspersky-endpoint.yaml (4
    listings reach its match), and of generated requests whose --matches (10, 100) items each
    name a listed maker, evaluated by each engine in this process through procgate's Engine
    interface (decide/rego.py, decide/opa.py): CPU time (OPA's Go threads included) of the
    first evaluation, then the median of --decisions more (one more from 50 matches up).
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


MAKERS = [
    "AO Kaspersky Lab",
    "Huawei Technologies Co., Ltd.",
    "Hangzhou Hikvision Digital Technology Co., Ltd.",
    "SZ DJI Technology Co., Ltd.",
    "ZTE Corporation",
]


def big_request(path: Path, items: int) -> Path:
    """A purchase request with `items` items, each made by a listed company."""
    import yaml

    doc = {
        "apiVersion": "procgate/v1",
        "kind": "PurchaseRequest",
        "id": "PR-BIG",
        "date": "2026-11-01",
        "requester": {"name": "R. Buyer"},
        "vendor": {"name": "Reseller Inc."},
        "use": ["general"],
        "items": [
            {
                "description": f"part {i}",
                "quantity": 1,
                "category": "hardware",
                "manufacturer": {"name": MAKERS[i % len(MAKERS)]},
                "model": f"M-{i}",
            }
            for i in range(items)
        ],
    }
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def decisions(documents: list[Path], count: int) -> dict[str, list[tuple[float, float, int]]]:
    """engine -> per document (first evaluation s, median s of the next `count`, findings)."""
    from procgate.config import Flags, options_from
    from procgate.decide.opa import OpaEngine
    from procgate.decide.rego import RegoEngine, rego_files
    from procgate.load import load
    from procgate.match import strongest_per_owner
    from procgate.model import Context
    from procgate.normalize import subjects
    from procgate.pipeline import build_checker
    from procgate.resources import policies_dir

    options = options_from(Flags(today=DAY), cwd=ROOT)
    checker = build_checker(options)
    files = rego_files([policies_dir()])
    engines = {
        "regorus": RegoEngine(files, checker.ban_data, options.certain_score, isolated=False),
        "opa": OpaEngine(files, checker.ban_data, options.certain_score),
    }
    out: dict[str, list[tuple[float, float, int]]] = {name: [] for name in engines}
    for path in documents:
        doc = load(path, path.name)
        subs = subjects(doc)
        matches = strongest_per_owner(checker.matcher.match(subs))
        ctx = Context("us-federal", DAY, tuple(doc.data.get("use", ())))
        for name, engine in engines.items():
            start = time.process_time()
            findings = engine.evaluate(doc, subs, matches, ctx)
            first = time.process_time() - start
            times = []
            for _ in range(count if len(matches) < 50 else 1):
                start = time.process_time()
                engine.evaluate(doc, subs, matches, ctx)
                times.append(time.process_time() - start)
            out[name].append((first, statistics.median(times), len(findings)))
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
    parser.add_argument("--matches", type=int, nargs="*", default=[10, 100])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        sizes = tuple(args.matches)
        documents = [EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"]
        documents += [big_request(Path(tmp) / f"big-{n}.yaml", n) for n in sizes]
        decided = decisions(documents, args.decisions)
    labels = ["kaspersky-endpoint.yaml (1 match)", *(f"{n} matches" for n in sizes)]
    print("(a) one decision in this process, CPU time: the first, then the median of the next")
    for i, label in enumerate(labels):
        print(f"  {label}")
        for name, rows in decided.items():
            first, median, findings = rows[i]
            print(
                f"    {name:<8} first {first * 1000:8.1f} ms   then {median * 1000:8.1f} ms"
                f"   {findings} findings"
            )
        ratio = decided["opa"][i][1] / decided["regorus"][i][1]
        print(f"    opa / regorus: {ratio:.2f}x")

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
