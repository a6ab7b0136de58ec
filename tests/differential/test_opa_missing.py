"""Without OPA's engine the differential tests are skipped with the install hint in pytest's
summary; under CI (`CI=true`) its absence fails the run. A real pytest run in which
`import opa_bindings` fails (a package of that name that raises ImportError comes first on
PYTHONPATH)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli_support import run_pytest

HINT = "pip install --ignore-requires-python opa-golib-python-bindings==0.4.4"


def _pytest_without_opa(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    hidden = tmp_path / "opa_bindings"
    hidden.mkdir()
    (hidden / "__init__.py").write_text('raise ImportError("hidden by test_opa_missing")\n')
    target = "tests/differential/test_known_differences.py"
    return run_pytest(target, {"PYTHONPATH": str(tmp_path), **env})


def test_missing_opa_skips_with_the_install_hint(tmp_path: Path) -> None:
    run = _pytest_without_opa(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.split("short test summary info")[1]
    assert summary.count("SKIPPED") == summary.count(HINT) == 2, run.stdout
    assert "2 skipped" in run.stdout


def test_missing_opa_fails_under_ci(tmp_path: Path) -> None:
    run = _pytest_without_opa(tmp_path, CI="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert HINT in run.stdout and "CI=true" in run.stdout
    assert "2 errors" in run.stdout, run.stdout
