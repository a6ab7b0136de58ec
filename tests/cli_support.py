"""Paths and helpers the acceptance tests share. A uniquely named module, not conftest.py:
with several conftest.py files, `from conftest import` picks whichever was loaded last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import Result
from corpus_manifest import CORPUS

__all__ = ["CORPUS", "EXAMPLES", "ROOT", "json_report", "run_pytest"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def json_report(result: Result) -> dict[str, Any]:
    return json.loads(result.stdout)


def run_pytest(target: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A real pytest run of `target` from the project root, with this environment minus
    `CI` and `PYTHONPATH`, then `env` over it: how the tests that check a missing tool is a
    skip (and under CI=true a failure) run the suite without that tool."""
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
