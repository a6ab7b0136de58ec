"""A throwaway PostgreSQL server for the store's tests: initdb + pg_ctl in a fresh temporary
folder, listening on a free loopback port, trust authentication for one local user, stopped
and removed at the end.

The binaries come from Debian's `postgresql` package (/usr/lib/postgresql/NN/bin) or PATH.
initdb refuses to run as root: as root, the cluster is made and run as `nobody` (runuser).
Without PostgreSQL the tests that need it are skipped with the install hint, except under CI
(CI=true), where they fail: .ci/run installs it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALL_HINT = (
    "PostgreSQL is not installed: run `sudo apt-get install -y postgresql` "
    "(Debian's package; .ci/run installs it) to run the PostgreSQL store tests"
)
USER = "procgate"


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True):
        return Path(candidate).parent
    return None


def _missing() -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{INSTALL_HINT} (CI=true: the PostgreSQL tests must run)")
    pytest.skip(INSTALL_HINT)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Postgres:
    bindir: Path
    folder: Path
    port: int
    as_user: list[str]
    _count: int = 0

    @property
    def admin_url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        self._count += 1
        name = f"store_{os.getpid()}_{self._count}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> Postgres:
    bindir = _bindir()
    if bindir is None:
        _missing()
        raise AssertionError("unreachable")
    folder = Path(tempfile.mkdtemp(prefix="procgate-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to nobody
        shutil.chown(folder, "nobody", "nogroup")
        as_user = ["runuser", "-u", "nobody", "--"]
    port = _free_port()
    data, log = folder / "data", folder / "log"

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        USER,
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
        "--no-instructions",
    )
    # client_connection_check_interval: a backend notices a killed client within 0.1 s,
    # even inside a long statement, and rolls its transaction back.
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -F "
        "-c client_connection_check_interval=100"
    )
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    server = Postgres(bindir, folder, port, as_user)
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"PostgreSQL did not start; its log: {log}")
