"""Faults on a real LocalCluster: a worker process killed mid-sweep, a file that kills every
worker that checks it, and the scheduler going away."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import dask
import pytest
from cluster_support import free_port, worker_pids
from distributed import Client, LocalCluster
from inventory_tree import make_tree

from procgate.config import Options
from procgate.scan import REPORTS, run_scan

pytestmark = pytest.mark.timeout(300)
TODAY = date(2026, 11, 28)
BIN = Path(sys.executable).parent

# A policy that kills the process checking a request that mentions it: the stand-in for a
# file that makes a worker run out of memory or crash (a real SIGKILL of a real worker).
CRASH_POLICY = """\
import os
import signal
import time

from procgate import rules
from procgate.decide.python import policy


@policy(rules.INTERNAL_ERROR, kinds={"purchase-request"})
def crash(inp):
    if "crash-the-worker" in str(inp.document.data):
        time.sleep(1)  # a worker killed as it starts is not restarted by its nanny
        os.kill(os.getpid(), signal.SIGKILL)
    return iter(())
"""


POISON = """\
apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-99999
title: crash-the-worker
date: 2026-01-05
requester: {name: Pat}
vendor: {name: Branch Networks Inc.}
items:
  - description: Laptop
    quantity: 1
    category: it-hardware
    manufacturer: {name: Dell Technologies Inc.}
use: [office]
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults")
    make_tree(root / "records", 400)
    return root


@pytest.fixture(scope="module")
def local_report(tree: Path) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tree)
        return REPORTS["json"](run_scan([Path("records")], Options(today=TODAY), 1))


def test_a_worker_killed_mid_sweep_loses_no_file_and_counts_none_twice(
    tree: Path,
    local_report: str,
    local_cluster: tuple[str, Client],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address, client = local_cluster
    victim = next(iter(worker_pids(client).values()))
    seen: list[int] = []

    def progress(done: int, total: int, workers: int) -> None:
        if not seen:  # the first batch is back: the other worker is mid-batch
            os.kill(victim, signal.SIGKILL)
        seen.append(done)

    monkeypatch.chdir(tree)
    inventory = run_scan([Path("records")], Options(today=TODAY), 1, progress, cluster=address)
    assert REPORTS["json"](inventory) == local_report
    assert seen[-1] == 400 and len(set(seen)) == len(seen)
    assert victim not in worker_pids(client).values()  # it did die (and was replaced)


def test_a_file_that_kills_its_workers_becomes_a_finding(
    tree: Path, local_report: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "crash.py").write_text(CRASH_POLICY)
    poison = tree / "records" / "dept-0" / "poison.yaml"
    poison.write_text(POISON)
    monkeypatch.chdir(tree)
    options = Options(today=TODAY, policy_dirs=(policies,))
    try:
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 0}),
            LocalCluster(
                n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
        ):
            inventory = run_scan([Path("records")], options, 1, cluster=cluster.scheduler_address)
    finally:
        poison.unlink()
    report = json.loads(REPORTS["json"](inventory))
    [problem] = [p for p in report["problems"] if p["file"] == "records/dept-0/poison.yaml"]
    assert problem["rule"] == "internal.error" and "died" in problem["message"], problem
    # Everything else as a local sweep without the crashing policy reports it.
    expected = json.loads(local_report)
    report["problems"].remove(problem)
    for key, more in (("files", 1), ("checked", 1), ("problems", 1)):
        report["summary"][key] -= more
    assert report == expected


def test_the_scheduler_going_away_ends_the_sweep_with_exit_2(
    tmp_path: Path, scheduler_and_worker: tuple[str, subprocess.Popen[bytes]]
) -> None:
    address, scheduler = scheduler_and_worker
    make_tree(tmp_path / "big", 3000)  # several seconds of work for one worker
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"}
    sweep = subprocess.Popen(
        [BIN / "procgate", "scan", "big", "--date", "2026-11-28", "--cluster", address],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with Client(address) as client:  # watch for the sweep's first batches, then pull the plug
        deadline = time.monotonic() + 120
        while not any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sweep.poll() is None, "the sweep ended before the scheduler went away"
        scheduler.kill()
    out, err = sweep.communicate(timeout=120)
    assert sweep.returncode == 2, (out, err)
    assert f"lost the Dask scheduler at {address} during the sweep" in err
    assert "Traceback" not in err and "Scanned" not in out


def test_a_policy_that_fails_on_a_worker_stops_the_sweep_as_it_does_locally(
    tree: Path, tmp_path: Path
) -> None:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "broken.py").write_text(
        CRASH_POLICY.replace("os.kill(os.getpid(), signal.SIGKILL)", "pass").replace(
            "return iter(())", "raise KeyError('no such field')"
        )
    )
    outputs = []
    for way in (["--jobs", "1"], ["--cluster", "local:1"]):
        done = subprocess.run(
            [BIN / "procgate", "scan", "records", "--policy", policies, *way],
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=240,
        )
        outputs.append((done.returncode, done.stderr))
    assert outputs[0] == outputs[1], outputs
    assert outputs[0][0] == 2 and "KeyError('no such field')" in outputs[0][1]


def test_a_scheduler_without_workers_ends_the_sweep_with_exit_2(tree: Path) -> None:
    """No worker joins (or the last one died and is not restarted): exit 2, not a hang."""
    port = free_port()
    scheduler = subprocess.Popen(
        [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stderr=subprocess.DEVNULL,
    )
    try:
        env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"}
        done = subprocess.run(
            [BIN / "procgate", "scan", "records", "--cluster", f"tcp://127.0.0.1:{port}"],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        scheduler.terminate()
        scheduler.wait(30)
    assert done.returncode == 2, done.stderr
    assert "the Dask cluster has had no worker for 3 s" in done.stderr
    assert "Traceback" not in done.stderr
