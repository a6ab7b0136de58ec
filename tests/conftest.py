"""Shared fixtures: paths of the shipped examples and the shared SBOM corpus, and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from procgate.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "sboms"


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `procgate ARGS` in-process from a working directory (default: the repo root)."""

    def run(*args: str, cwd: Path = ROOT) -> Result:
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def json_report(result: Result) -> dict[str, Any]:
    return json.loads(result.stdout)
