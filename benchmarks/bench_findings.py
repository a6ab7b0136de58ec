"""Cost whatever the SBOM holds (issue 11): `procgate check --format json` of a generated
100k-component SBOM in which 0, 100, 1,000 and 10,000 components name `AO Kaspersky Lab`
as supplier, for CycloneDX 1.5 JSON, SPDX 2.3 JSON and CycloneDX 1.5 XML.

    python benchmarks/bench_findings.py [--components 100000] [--counts 0,100,1000,10000]
                                        [--formats cyclonedx-json,spdx-json,cyclonedx-xml]
                                        [--repeat 1]

Each row is run beside a baseline that reads the same file in the same round: `json.load`
for JSON, `lxml.etree.parse` for XML (the C parser procgate's XML loader uses). Ratios are
the median over rounds of each round's ratio of CPU time (user + system: on a shared machine
it drifts far less than wall time; both commands are single-threaded).
Targets: every row within 3x the baseline's time and 2x its peak memory; 1.5x for the row
with no finding. Prints a Markdown table (the README's performance section shows it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from _run import PROCGATE, run_cpu

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

BASELINE = {
    "json": ("json.load", "import json, sys; json.load(open(sys.argv[1], 'rb'))"),
    "xml": ("lxml parse", "import sys; from lxml import etree; etree.parse(sys.argv[1])"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--components", type=int, default=100_000)
    parser.add_argument("--counts", default="0,100,1000,10000")
    parser.add_argument("--formats", default="cyclonedx-json,spdx-json,cyclonedx-xml")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]

    print(f"{args.components:,} components; median of {args.repeat} interleaved round(s)\n")
    print(
        "| format | naming the banned supplier | findings | procgate CPU | peak | baseline CPU "
        "| × time | × memory |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|")
    met = True
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            for count in counts:
                sbom, report = _generate(fmt, count, args.components, Path(tmp))
                label, code = BASELINE["xml" if fmt.endswith("xml") else "json"]
                base_cmd = [sys.executable, "-c", code, str(sbom)]
                ours_cmd = [*PROCGATE, "check", "--format", "json", "-o", str(report), str(sbom)]
                base, ours = _rounds(base_cmd, ours_cmd, args.repeat)
                x_time = median(o[0] / b[0] for o, b in zip(ours, base, strict=True))
                x_mem = median(o[1] / b[1] for o, b in zip(ours, base, strict=True))
                findings = len(json.loads(report.read_text(encoding="utf-8"))["findings"])
                limit = 1.5 if count == 0 else 3.0
                met &= x_time <= 3.0 and x_mem <= 2.0
                print(
                    f"| {fmt} | {count:,} | {findings:,} | "
                    f"{median(o[0] for o in ours):.2f} s | {max(o[1] for o in ours)} MiB | "
                    f"{label} {median(b[0] for b in base):.2f} s, "
                    f"{max(b[1] for b in base)} MiB | {x_time:.2f}×"
                    f"{'' if x_time <= limit else ' (over ' + str(limit) + '×)'} | "
                    f"{x_mem:.2f}× |",
                    flush=True,
                )
                sbom.unlink()
    print(f"\ntarget (every row within 3x time, 2x memory): {'met' if met else 'NOT met'}")


def _rounds(
    base_cmd: list[str], ours_cmd: list[str], repeat: int
) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    """(CPU s, peak MiB) of each command per round, the two run alternately."""
    base: list[tuple[float, int]] = []
    ours: list[tuple[float, int]] = []
    for _ in range(repeat):
        for runs, cmd in ((base, base_cmd), (ours, ours_cmd)):
            _, cpu, peak, code = run_cpu(cmd, ROOT)
            if code not in (0, 1):
                sys.exit(f"exit {code}: {' '.join(cmd)}")
            runs.append((cpu, peak))
    return base, ours


def _generate(fmt: str, count: int, components: int, folder: Path) -> tuple[Path, Path]:
    """In a child: a forked child's peak RSS would count the parent's pages."""
    from bench_findings_data import FORMATS

    suffix = FORMATS[fmt][1]
    sbom = folder / f"{fmt}-{count}{suffix}"
    subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "from pathlib import Path; from bench_findings_data import FORMATS; "
                f"FORMATS[{fmt!r}][0]({components}, {count}, Path({str(sbom)!r}))"
            ),
        ],
        check=True,
        cwd=HERE,
    )
    return sbom, folder / "report.json"


if __name__ == "__main__":
    main()
