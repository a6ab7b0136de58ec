"""The pre-commit path (issue 11): procgate on one purchase request beside the hooks people
already run on the same file: `check-yaml` (pre-commit-hooks; it only parses) and
`check-jsonschema` (it only validates, against procgate's own request schema).

    python benchmarks/bench_precommit.py [--repeat 11] [--tools DIR] [--instructions]

The two tools are installed with pip into their own virtual environment (DIR, default
~/.cache/procgate-bench/tools), never into procgate's. Every command runs once to warm
caches (the page cache, bytecode, and procgate's disk cache, which lives in a temporary
folder of the benchmark's own), then in --repeat interleaved rounds; the table shows medians
of wall and CPU time (user + system: it drifts less on a shared machine) and the median of
each round's CPU ratio to check-yaml and to check-jsonschema. Target: `procgate check FILE`
within 2x check-yaml's CPU.

Rows beyond the plain file: the same file in a project made by `procgate init` (its
procgate.yaml, its own ban list, Rego policy and waiver: what a real hook runs with),
`--staged`, and the file with the disk cache turned off (PROCGATE_CACHE_DIR=""; a first run
after an install or upgrade costs about that, plus writing the cache).

--instructions adds a column of instructions executed (valgrind's cachegrind, one run each,
child processes not counted): unlike CPU time it does not move with the machine's load, so
it compares two versions of procgate measured hours apart on a shared machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from statistics import median

from _run import ENV, PROCGATE, run_cpu

ROOT = Path(__file__).resolve().parents[1]
REQUEST = ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml"
SCHEMA = ROOT / "schemas" / "purchase-request.schema.json"
TOOLS = ("check-jsonschema", "pre-commit-hooks")
TARGET = "procgate check FILE"


def tools_env(folder: Path) -> Path:
    """bin/ of a virtual environment holding check-jsonschema and pre-commit-hooks."""
    bin_dir = folder / "bin"
    if not (bin_dir / "check-yaml").exists() or not (bin_dir / "check-jsonschema").exists():
        venv.create(folder, with_pip=True, clear=True)
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", *TOOLS], check=True)
    return bin_dir


def instructions(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
    """Instructions the process executes (not its children), counted by valgrind."""
    out = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         *cmd],
        cwd=cwd, env={**ENV, **env}, capture_output=True, text=True, check=False,
    ).stderr  # fmt: skip
    found = re.search(r"I\s+refs:\s+([\d,]+)", out)
    if found is None:
        raise SystemExit(f"valgrind gave no count for {cmd}: {out[-500:]}")
    return int(found.group(1).replace(",", ""))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument(
        "--tools", type=Path, default=Path.home() / ".cache" / "procgate-bench" / "tools"
    )
    parser.add_argument("--instructions", action="store_true", help="also count instructions")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    bin_dir = tools_env(args.tools)

    with tempfile.TemporaryDirectory() as tmp:
        repo, project = Path(tmp) / "repo", Path(tmp) / "project"
        cached = {"PROCGATE_CACHE_DIR": str(Path(tmp) / "cache")}
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        shutil.copy(REQUEST, repo / "request.yaml")
        git(repo, "add", "request.yaml")
        project.mkdir()
        git(project, "init", "-q", "-b", "main")
        subprocess.run([*PROCGATE, "init", "--org", "Acme Corp", "."], cwd=project, check=True,
                       capture_output=True)  # fmt: skip
        shutil.copy(REQUEST, project / "requests" / "request.yaml")
        check_yaml = [str(bin_dir / "check-yaml"), "request.yaml"]
        check_jsonschema = [str(bin_dir / "check-jsonschema"), "--schemafile", str(SCHEMA)]
        # name -> (command, folder, extra environment)
        commands: dict[str, tuple[list[str], Path, dict[str, str]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], repo, {}),
            "check-yaml FILE": (check_yaml, repo, {}),
            "check-jsonschema FILE": ([*check_jsonschema, "request.yaml"], repo, {}),
            TARGET: ([*PROCGATE, "check", "request.yaml"], repo, cached),
            "procgate check FILE (procgate init project)": (
                [*PROCGATE, "check", "requests/request.yaml"],
                project,
                cached,
            ),
            "procgate check --staged": ([*PROCGATE, "check", "--staged"], repo, cached),
            "procgate check FILE (no disk cache)": (
                [*PROCGATE, "check", "request.yaml"],
                repo,
                {"PROCGATE_CACHE_DIR": ""},
            ),
        }
        runs: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in commands}
        for name, (cmd, cwd, env) in commands.items():  # warm every cache
            code = run_cpu(cmd, cwd, env)[3]
            assert code == 0, f"{name}: exit {code}"
        for _ in range(args.repeat):
            for name, (cmd, cwd, env) in commands.items():
                runs[name].append(run_cpu(cmd, cwd, env))
        counted = {
            name: instructions(cmd, cwd, env)
            for name, (cmd, cwd, env) in commands.items()
            if args.instructions
        }

    by_yaml, by_schema = runs["check-yaml FILE"], runs["check-jsonschema FILE"]
    print(f"one purchase request; median of {args.repeat} interleaved rounds\n")
    head = "| command | wall | CPU | × check-yaml (CPU) | × check-jsonschema (CPU) |"
    print(head + (" instructions | × check-yaml (instructions) |" if counted else ""))
    print("|---|---:|---:|---:|---:|" + ("---:|---:|" if counted else ""))
    ratios = {}
    for name, rs in runs.items():
        x_yaml = median(r[1] / b[1] for r, b in zip(rs, by_yaml, strict=True))
        x_schema = median(r[1] / b[1] for r, b in zip(rs, by_schema, strict=True))
        ratios[name] = x_yaml
        row = (
            f"| `{name}` | {median(r[0] for r in rs):.3f} s | {median(r[1] for r in rs):.3f} s"
            f" | {x_yaml:.2f}× | {x_schema:.2f}× |"
        )
        if counted:
            n, base = counted[name], counted["check-yaml FILE"]
            row += f" {n / 1e6:.0f} M | {n / base:.2f}× |"
        print(row)
    x_cpu = ratios[TARGET]
    print(
        f"\ntarget ({TARGET} within 2x check-yaml's CPU): "
        f"{'met' if x_cpu <= 2 else 'NOT met'} ({x_cpu:.2f}x)"
    )


if __name__ == "__main__":
    main()
