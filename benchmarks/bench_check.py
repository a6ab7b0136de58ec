"""procgate check: (a) one small purchase request, as a pre-commit hook runs it, and (b) a
generated 100k-component CycloneDX 1.5 SBOM; each beside a baseline in the same run.

    python benchmarks/bench_check.py [--components 100000] [--repeat 5]

Baselines: (a) `python -c pass`; (b) `python -c "json.load(open(sbom))"`. Targets (issue 2):
(a) median under 0.3 s; (b) within 3x the baseline's wall time and peak memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from _run import PROCGATE, median_run
from bench_findings_data import cyclonedx_components, write_cyclonedx

ROOT = Path(__file__).resolve().parents[1]


def make_sbom(n: int, path: Path) -> None:
    """A CycloneDX 1.5 SBOM with purls, CPEs, suppliers and authors; 3 banned components."""
    components = cyclonedx_components(n, banned=0)
    for i, (who, kind) in enumerate(
        [
            ("Huawei Technologies Co., Ltd.", "firmware"),
            ("AO Kaspersky Lab", "application"),
            ("Zhejiang Dahua Technology Co., Ltd.", "device"),
        ]
    ):
        components[(i + 1) * n // 4]["supplier"] = {"name": who}
        components[(i + 1) * n // 4]["type"] = kind
    write_cyclonedx(components, path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--components", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    py = sys.executable
    small = ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml"

    base_a = median_run([py, "-c", "pass"], args.repeat)
    ours_a = median_run([*PROCGATE, "check", str(small)], args.repeat, ROOT)
    print(
        f"(a) one purchase request: procgate {ours_a[0]:.3f} s (exit {ours_a[2]}), "
        f"python -c pass {base_a[0]:.3f} s, ratio {ours_a[0] / base_a[0]:.1f}x; "
        f"target < 0.3 s: {'met' if ours_a[0] < 0.3 else 'NOT met'}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        sbom = Path(tmp) / "big.cdx.json"
        # Generate in a child: a forked child's peak RSS counts the parent's pages at fork.
        gen = (
            f"from bench_check import make_sbom; from pathlib import Path; "
            f"make_sbom({args.components}, Path({str(sbom)!r}))"
        )
        subprocess.run([py, "-c", gen], check=True, cwd=Path(__file__).parent)
        size = sbom.stat().st_size / 2**20
        load = f"import json; json.load(open({str(sbom)!r}))"
        repeat = max(1, args.repeat // 2)
        base_b = median_run([py, "-c", load], repeat)
        ours_b = median_run([*PROCGATE, "check", "--format", "json", str(sbom)], repeat, ROOT)
        print(
            f"(b) {args.components} components ({size:.0f} MB): procgate {ours_b[0]:.2f} s "
            f"/ {ours_b[1]} MiB (exit {ours_b[2]}); json.load {base_b[0]:.2f} s / "
            f"{base_b[1]} MiB; ratio time {ours_b[0] / base_b[0]:.2f}x, "
            f"memory {ours_b[1] / base_b[1]:.2f}x (target <= 3x)"
        )


if __name__ == "__main__":
    main()
