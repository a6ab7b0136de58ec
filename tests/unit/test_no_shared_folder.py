"""Issue 13 item 1: a fresh clone passes its tests. The project owns the data its tests,
benchmarks and CI need (tests/data, with provenance); nothing there may read the team's
`shared/` folder beside the checkout, which a user who clones the project does not have."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# `../shared`, `/work/shared` or a path joined with "shared" (`ROOT.parent / "shared"`).
SHARED = re.compile(r"\.\./shared\b|/work/shared\b|/\s*[\"']shared[\"']")


def test_nothing_in_tests_benchmarks_or_ci_reads_the_shared_folder() -> None:
    me = Path(__file__).resolve()
    files = [
        p
        for folder in ("tests", "benchmarks", ".ci")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and p.suffix in {".py", ".sh", ".toml", ".cfg", ".ini", ""} and p != me
    ]
    assert any(p.name == "run" for p in files)  # .ci/run is among them
    offenders = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in files
        for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if SHARED.search(line)
    ]
    assert offenders == []
