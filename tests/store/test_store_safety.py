"""Nothing lost: a sweep is one transaction; concurrent sweeps neither lose nor duplicate
findings; bad URLs, unreachable servers, foreign databases and a store written by a newer
procgate stop with a message and exit 2 (SQLite and a real PostgreSQL server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import DATE
from store_support import dump, execute, rows
from support.postgres import Postgres

from procgate.store.migrate import head


def _refuse_new_huawei_findings(url: str) -> None:
    """A trigger that makes the database refuse a new Huawei finding: the sweep dies halfway
    through writing (after its sweep, files and the updates of findings seen again)."""
    if url.startswith("postgresql"):
        execute(
            url,
            """CREATE FUNCTION refuse() RETURNS trigger AS $$
               BEGIN
                 IF NEW.entity = 'huawei' THEN RAISE EXCEPTION 'disk full (test)'; END IF;
                 RETURN NEW;
               END $$ LANGUAGE plpgsql""",
            "CREATE TRIGGER refuse BEFORE INSERT ON findings "
            "FOR EACH ROW EXECUTE FUNCTION refuse()",
        )
    else:
        execute(
            url,
            """CREATE TRIGGER refuse BEFORE INSERT ON findings
               WHEN NEW.entity = 'huawei'
               BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END""",
        )


def test_a_sweep_that_fails_halfway_leaves_the_store_as_it_was(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    assert procgate("scan", "records", "--store", store_url, "--date", DATE).exit_code == 1
    (records / "purchase-requests/kaspersky-endpoint.yaml").unlink()
    (records / "sboms/branch-router-firmware.cdx.json").write_text(
        (records / "sboms/branch-router-firmware.cdx.json")
        .read_text()
        .replace("ME909s-120 LTE modem firmware", "ME909s-121 LTE modem firmware")
    )
    before = dump(store_url)
    _refuse_new_huawei_findings(store_url)
    result = procgate("scan", "records", "--store", store_url, "--date", DATE)
    assert result.exit_code == 2
    assert "disk full (test)" in result.output and "Traceback" not in result.output
    assert dump(store_url) == before
    # The next sweep completes it.
    execute(store_url, "DROP TRIGGER refuse" + (" ON findings" if "postgres" in store_url else ""))
    result = procgate("scan", "records", "--store", store_url, "--date", DATE)
    assert result.exit_code == 1 and "1 new" in result.output and "2 resolved" in result.output


def test_a_killed_sweep_leaves_the_store_as_it_was(
    postgres: Postgres, records: Path, tmp_path: Path
) -> None:
    """SIGKILL while the sweep's transaction is open (held inside the database by a trigger
    that sleeps): nothing of it is kept, and the next sweep records everything."""
    url = postgres.new_database()
    scan = [sys.executable, "-m", "procgate", "scan", "records", "--store", url, "--date", DATE]
    assert subprocess.run(scan, cwd=tmp_path, capture_output=True).returncode == 1
    before = dump(url)
    execute(
        url,
        """CREATE FUNCTION stall() RETURNS trigger AS $$
           BEGIN PERFORM pg_sleep(600); RETURN NEW; END $$ LANGUAGE plpgsql""",
        "CREATE TRIGGER stall BEFORE INSERT ON sweep_files FOR EACH ROW EXECUTE FUNCTION stall()",
    )
    proc = subprocess.Popen(scan, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            if rows(
                postgres.admin_url,
                "SELECT pid FROM pg_stat_activity WHERE query LIKE 'INSERT INTO sweep_files%'",
            ):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the sweep never reached its write")
        assert proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    execute(url, "DROP TRIGGER stall ON sweep_files")
    for _ in range(100):  # the server notices the dropped connection and rolls back
        if not rows(
            postgres.admin_url,
            "SELECT pid FROM pg_stat_activity WHERE query LIKE 'INSERT INTO sweep_files%'",
        ):
            break
        time.sleep(0.1)
    assert dump(url) == before
    done = subprocess.run(scan, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 new, 7 seen again" in done.stdout
    # The killed sweep left no row (PostgreSQL's id sequence moved on: this is sweep 3).
    assert len(rows(url, "SELECT id FROM sweeps")) == 2


def test_concurrent_sweeps_neither_lose_nor_duplicate(
    records: Path, tmp_path: Path, store_url: str
) -> None:
    """Three sweeps at once into one store: two of the same tree, one of another copy."""
    other = tmp_path / "more"
    subprocess.run(["cp", "-r", str(records), str(other)], check=True)
    url = store_url if "://" in store_url else str(Path(store_url).resolve())
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "procgate", "scan", folder, "--store", url, "--date", DATE],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for folder in ("records", "records", "more")
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [1, 1, 1], outputs
    assert len(rows(url, "SELECT id FROM sweeps")) == 3
    found = rows(url, "SELECT file_key, entity FROM findings")
    assert len(found) == 14  # 7 in each tree, each once
    assert len({(f["file_key"], f["entity"]) for f in found}) == 14
    assert len(rows(url, "SELECT id FROM files")) == 22
    news = sorted(int(out.split(" new,")[0].rsplit(" ", 1)[1]) for out, _ in outputs)
    assert news == [0, 7, 7]  # whichever of the two same-tree sweeps came second found none


@pytest.mark.parametrize(
    ("store", "said"),
    [
        ("mysql://root@localhost/db", "unknown kind of database 'mysql'"),
        ("postgresql://procgate:secret@127.0.0.1:1/none", "cannot open the store"),
        ("postgresql://[::1/x", "not a database URL"),
        ("", "--store is empty"),
    ],
)
def test_bad_urls_and_unreachable_servers_exit_2(
    procgate: Callable[..., Result], records: Path, store: str, said: str
) -> None:
    result = procgate("scan", "records", "--store", store, "--date", DATE)
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output
    assert "secret" not in result.output  # a password is never printed
    assert "Scanned" not in result.output  # stopped before the sweep


def test_a_folder_or_a_foreign_database_is_refused(
    procgate: Callable[..., Result], records: Path, tmp_path: Path
) -> None:
    result = procgate("scan", "records", "--store", str(records))
    assert result.exit_code == 2 and "is a folder" in result.output
    foreign = tmp_path / "other.db"
    execute(str(foreign), "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    result = procgate("scan", "records", "--store", str(foreign))
    assert result.exit_code == 2 and "not a procgate store" in result.output
    assert rows(str(foreign), "SELECT name FROM sqlite_master WHERE type='table'") == [
        {"name": "customers"}
    ]


def test_a_store_written_by_a_newer_procgate_is_refused_untouched(
    procgate: Callable[..., Result], records: Path, store_url: str
) -> None:
    assert procgate("scan", "records", "--store", store_url, "--date", DATE).exit_code == 1
    assert rows(store_url, "SELECT version_num FROM alembic_version") == [{"version_num": head()}]
    execute(store_url, "UPDATE alembic_version SET version_num = '9001_from_the_future'")
    before = dump(store_url)
    result = procgate("scan", "records", "--store", store_url, "--date", DATE)
    assert result.exit_code == 2
    assert (
        "written by a newer procgate" in result.output and "9001_from_the_future" in result.output
    )
    assert dump(store_url) == before
