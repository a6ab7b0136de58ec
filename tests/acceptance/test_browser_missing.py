"""Without chromium the browser tests are skipped with the install hint in pytest's summary;
under CI (`CI=true`) its absence fails the run. A real pytest run with a PATH that has no
chromium on it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli_support import run_pytest

HINT = "apt-get install -y chromium"


def _pytest_without_chromium(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    empty = tmp_path / "bin"
    empty.mkdir()
    return run_pytest("tests/acceptance/test_browser.py", {"PATH": str(empty), **env})


def test_missing_chromium_skips_with_the_install_hint(tmp_path: Path) -> None:
    run = _pytest_without_chromium(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.split("short test summary info")[1]
    assert summary.count("SKIPPED") == summary.count(HINT) == 7, run.stdout
    assert "7 skipped" in run.stdout


def test_missing_chromium_fails_under_ci(tmp_path: Path) -> None:
    run = _pytest_without_chromium(tmp_path, CI="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert HINT in run.stdout and "CI=true" in run.stdout
    assert "7 errors" in run.stdout, run.stdout
