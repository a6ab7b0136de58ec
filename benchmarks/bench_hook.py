"""The pre-commit hook's cost: `procgate check --staged` in a git repository with 1, 10 and 100
staged purchase requests, beside `python -c pass` and a plain `procgate check` of the same
files, all in the same run.

    python benchmarks/bench_hook.py [--repeat 7]

Target (issue 4): one file under 0.3 s median; cost growing linearly with the files (ban
lists and policies are loaded once per run, not per file).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from _run import PROCGATE, median_run

ROOT = Path(__file__).resolve().parents[1]
CLEAN = (ROOT / "tests" / "data" / "purchase-requests" / "clean.yaml").read_text(encoding="utf-8")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def make_repo(folder: Path, files: int) -> list[str]:
    """A repository with one commit and `files` purchase requests staged on top of it."""
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.email", "bench@example.org")
    git(folder, "config", "user.name", "bench")
    (folder / "README.md").write_text("bench\n", encoding="utf-8")
    git(folder, "add", "README.md")
    git(folder, "commit", "-q", "-m", "init")
    names = []
    for i in range(files):
        name = f"requests/pr-{i:04d}.yaml"
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(CLEAN.replace("PR-2026-0001", f"PR-2026-{i + 1000:04d}"), encoding="utf-8")
        names.append(name)
    git(folder, "add", "requests")
    return names


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    repeat = args.repeat

    baseline = median_run([sys.executable, "-c", "pass"], repeat)[0]
    imports = median_run(
        [sys.executable, "-c", "import procgate.cli, procgate.pipeline, git"], repeat
    )[0]
    print(
        f"python -c pass: {baseline:.3f} s; importing procgate's CLI, pipeline and GitPython: "
        f"{imports:.3f} s (median of {repeat})"
    )
    print(
        f"{'staged files':>12}  {'check --staged':>14}  {'check FILES':>11}  "
        f"{'x python':>8}  {'ms/file':>7}"
    )
    times: dict[int, float] = {}
    for files in (1, 10, 100):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            names = make_repo(folder, files)
            staged, _, code = median_run([*PROCGATE, "check", "--staged"], repeat, folder)
            assert code == 0, f"exit {code}"
            plain, _, code = median_run([*PROCGATE, "check", *names], repeat, folder)
            assert code == 0, f"exit {code}"
        times[files] = staged
        per_file = (staged - times[1]) / (files - 1) * 1000 if files > 1 else float("nan")
        print(
            f"{files:>12}  {staged:>12.3f} s  {plain:>9.3f} s  {staged / baseline:>7.1f}x  "
            f"{per_file:>7.1f}"
        )
    verdict = "met" if times[1] < 0.3 else "NOT met"
    print(f"target: 1 file < 0.3 s median: {verdict} ({times[1]:.3f} s)")


if __name__ == "__main__":
    main()
