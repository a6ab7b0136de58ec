"""`procgate scan --cluster`: the same report as a local `--jobs` sweep, on a LocalCluster
made by procgate (local:N) and on a running scheduler and worker (tcp://)."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_support import free_port
from inventory_tree import make_tree

from procgate.cli import main
from procgate.config import Options
from procgate.pipeline import build_checker
from procgate.scan import run_scan
from procgate.scan.cluster import _config_files, _materialized

pytestmark = pytest.mark.timeout(240)
DATE = "2026-11-28"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cluster")
    make_tree(root / "records", 400)  # above the size where --jobs starts processes
    return root


def scan(root: Path, *args: str) -> tuple[int, str, dict[str, object]]:
    """(exit code, summary, JSON report) of `procgate scan records ARGS` run in `root`."""
    report = root / f"report-{os.getpid()}-{time.monotonic_ns()}.json"
    cwd = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(
            main, ["scan", "records", "--date", DATE, "--report", str(report), *args]
        )
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 1), result.output
    return (
        result.exit_code,
        result.stdout.replace(str(report), "REPORT"),
        json.loads(report.read_text()),
    )


@pytest.fixture(scope="module")
def local_jobs(tree: Path) -> tuple[int, str, dict[str, object]]:
    return scan(tree, "--jobs", "2")


def test_local_cluster_gives_the_same_report(
    tree: Path, local_jobs: tuple[int, str, dict[str, object]]
) -> None:
    code, summary, report = scan(tree, "--cluster", "local:2")
    assert report == local_jobs[2]
    assert (code, summary) == local_jobs[:2]
    assert "Scanned 400 files" in summary and "Affected:" in summary


def test_progress_counts_each_file_once_and_names_the_workers(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    seen: list[tuple[int, int, int]] = []
    options = Options(today=date(2026, 11, 28))
    inventory = run_scan(
        [Path("records")], options, 1, lambda *a: seen.append(a), cluster="local:1"
    )
    assert inventory.summary()["files"] == 400
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[-1] == 400 and len(set(done)) == len(done)
    assert {(total, workers) for _, total, workers in seen} == {(400, 1)}


def test_running_scheduler_gives_the_same_report(
    tree: Path,
    local_jobs: tuple[int, str, dict[str, object]],
    scheduler_and_worker: tuple[str, subprocess.Popen[bytes]],
) -> None:
    code, summary, report = scan(tree, "--cluster", scheduler_and_worker[0])
    assert report == local_jobs[2]
    assert (code, summary) == local_jobs[:2]


def test_a_worker_without_the_files_gets_copies(tmp_path: Path) -> None:
    """A worker on another machine does not see the client's --data and --policy files:
    they are written to its scratch folder and the options point there."""
    data = tmp_path / "client" / "extra.yaml"
    data.parent.mkdir()
    shipped = Path(__file__).resolve().parents[3] / "policies" / "data"
    data.write_bytes(next(iter(sorted(shipped.glob("*.yaml")))).read_bytes())
    options = Options(today=date(2026, 11, 28), data_files=(data,), shipped_policies=False)
    files = dict(_config_files(options))
    moved = _materialized(options, files, tmp_path / "scratch")
    (moved_data,) = moved.data_files
    assert moved_data.read_bytes() == data.read_bytes()
    assert moved_data.is_relative_to(tmp_path / "scratch")
    assert build_checker(moved).ban_data.audiences == build_checker(options).ban_data.audiences


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("local:0", "at least 1"),
        ("local:x", "at least 1"),
        ("scheduler:8786", "not a scheduler address"),
    ],
)
def test_bad_cluster_values_exit_2(tree: Path, value: str, said: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(tree / "records"), "--cluster", value])
    assert result.exit_code == 2 and said in result.output
    assert "Traceback" not in result.output


def test_no_scheduler_there_exits_2(tree: Path) -> None:
    port = free_port()
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    done = subprocess.run(
        [BIN / "procgate", "scan", "records", "--cluster", f"tcp://127.0.0.1:{port}"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "cannot reach the Dask scheduler" in done.stderr
    assert "Traceback" not in done.stderr


def _recorded(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a store holds of a sweep, without times and ids (which differ run to run)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {
            "files": conn.execute(
                "SELECT path, display, kind, content_hash, vendor_values IS NOT NULL"
                " FROM files ORDER BY path"
            ).fetchall(),
            "findings": conn.execute(
                "SELECT key, rule, entity, file_key, location, occurrence, item, pointer, line,"
                " matched, severity, authorities, message FROM findings ORDER BY key"
            ).fetchall(),
            "sweeps": conn.execute(
                "SELECT as_of, audience, data_digest, policy_digest, files_seen, files_checked,"
                " findings, problems FROM sweeps"
            ).fetchall(),
        }


def test_a_cluster_sweep_records_what_a_local_sweep_records(tree: Path) -> None:
    """scan --store on a cluster: the same files, values and findings in the store as the
    same sweep with --jobs (issue 15 with issue 14)."""
    scan(tree, "--jobs", "2", "--store", "local.db")
    scan(tree, "--cluster", "local:2", "--store", "cluster.db")
    local, cluster = _recorded(tree / "local.db"), _recorded(tree / "cluster.db")
    assert len(local["files"]) == 400 and len(local["findings"]) > 0
    assert cluster == local
