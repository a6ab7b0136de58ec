"""Shared fixtures: paths of the shipped examples and of the SBOM corpus (tests/data/corpus),
and a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import CORPUS, EXAMPLES, ROOT, json_report
from click.testing import CliRunner, Result

from procgate.cli import main

__all__ = ["CORPUS", "EXAMPLES", "ROOT", "json_report"]


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `procgate ARGS` in-process from a working directory (default: the repo root)."""

    def run(*args: str, cwd: Path = ROOT) -> Result:
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run
