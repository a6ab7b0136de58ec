"""The store's tests run on SQLite and on a real PostgreSQL server (a throwaway cluster
started once per test session, see tests/support/postgres.py)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import EXAMPLES
from click.testing import CliRunner, Result
from support.postgres import Postgres, start_postgres

from procgate.cli import main

# procgate_server (a real `procgate serve` on loopback) lives beside the acceptance tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "acceptance"))

DATE = "2026-11-28"


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store: a SQLite file path, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "inventory.db")
    server: Postgres = request.getfixturevalue("postgres")
    return server.new_database()


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """A copy of the shipped examples: 8 purchase requests, 3 SBOMs, 7 affected items."""
    root = tmp_path / "records"
    shutil.copytree(EXAMPLES, root)
    return root


@pytest.fixture
def procgate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Result]:
    """`procgate ARGS` in-process, from tmp_path."""

    def run(*args: str | Path) -> Result:
        monkeypatch.chdir(tmp_path)
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run
