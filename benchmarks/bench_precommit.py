"""The pre-commit path (issue 11): procgate on one purchase request beside the hooks people
already run on the same file: `check-yaml` (pre-commit-hooks; it only parses) and
`check-jsonschema` (it only validates, against procgate's own request schema).

    python benchmarks/bench_precommit.py [--repeat 11] [--tools DIR]

The two tools are installed with pip into their own virtual environment (DIR, default
~/.cache/procgate-bench/tools), never into procgate's. Every command runs once to warm
caches, then in --repeat interleaved rounds; the table shows medians of wall and CPU time
(user + system: it drifts less on a shared machine) and each one's ratio to check-yaml in
the same round. Target: `procgate check FILE` within 2x check-yaml.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from statistics import median

from _run import PROCGATE, run_cpu

ROOT = Path(__file__).resolve().parents[1]
REQUEST = ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml"
SCHEMA = ROOT / "schemas" / "purchase-request.schema.json"
TOOLS = ("check-jsonschema", "pre-commit-hooks")


def tools_env(folder: Path) -> Path:
    """bin/ of a virtual environment holding check-jsonschema and pre-commit-hooks."""
    bin_dir = folder / "bin"
    if not (bin_dir / "check-yaml").exists() or not (bin_dir / "check-jsonschema").exists():
        venv.create(folder, with_pip=True, clear=True)
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", *TOOLS], check=True)
    return bin_dir


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument(
        "--tools", type=Path, default=Path.home() / ".cache" / "procgate-bench" / "tools"
    )
    args = parser.parse_args()
    bin_dir = tools_env(args.tools)

    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        git(repo, "init", "-q", "-b", "main")
        shutil.copy(REQUEST, repo / "request.yaml")
        git(repo, "add", "request.yaml")
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "check-yaml FILE": [str(bin_dir / "check-yaml"), "request.yaml"],
            "check-jsonschema FILE": [
                str(bin_dir / "check-jsonschema"),
                "--schemafile",
                str(SCHEMA),
                "request.yaml",
            ],
            "procgate check FILE": [*PROCGATE, "check", "request.yaml"],
            "procgate check --staged": [*PROCGATE, "check", "--staged"],
        }
        runs: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in commands}
        for name, cmd in commands.items():  # warm the page cache and bytecode caches
            code = run_cpu(cmd, repo)[3]
            assert code == 0, f"{name}: exit {code}"
        for _ in range(args.repeat):
            for name, cmd in commands.items():
                runs[name].append(run_cpu(cmd, repo))

    base = runs["check-yaml FILE"]
    print(f"one purchase request; median of {args.repeat} interleaved rounds\n")
    print("| command | wall | CPU | × check-yaml (wall) | × check-yaml (CPU) |")
    print("|---|---:|---:|---:|---:|")
    ratios = {}
    for name, rs in runs.items():
        x_wall = median(r[0] / b[0] for r, b in zip(rs, base, strict=True))
        x_cpu = median(r[1] / b[1] for r, b in zip(rs, base, strict=True))
        ratios[name] = (x_wall, x_cpu)
        print(
            f"| `{name}` | {median(r[0] for r in rs):.3f} s | {median(r[1] for r in rs):.3f} s"
            f" | {x_wall:.2f}× | {x_cpu:.2f}× |"
        )
    x_wall, x_cpu = ratios["procgate check FILE"]
    print(
        f"\ntarget (procgate check FILE within 2x check-yaml): "
        f"{'met' if x_wall <= 2 else 'NOT met'} ({x_wall:.2f}x wall, {x_cpu:.2f}x CPU)"
    )


if __name__ == "__main__":
    main()
