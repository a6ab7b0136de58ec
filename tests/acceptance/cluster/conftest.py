"""Cluster tests: real Dask clusters of 1-2 worker processes on loopback, closed after use.
Heavy on a small machine, so the trees are small and every test has a timeout."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cluster_support import free_port
from distributed import Client, LocalCluster

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # inventory_tree
BIN = Path(sys.executable).parent


@pytest.fixture
def local_cluster() -> Iterator[tuple[str, Client]]:
    """A LocalCluster of two worker processes (each under a nanny that restarts it), and a
    client for the test to look at it with: (scheduler address, client)."""
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield cluster.scheduler_address, client


@pytest.fixture
def scheduler_and_worker(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`dask scheduler` and one `dask worker` (its own working folder) on loopback:
    (address, the scheduler's process)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        stderr=subprocess.DEVNULL,
    )
    work = tmp_path / "worker-home"
    work.mkdir()
    worker = subprocess.Popen(
        [
            BIN / "dask",
            "worker",
            address,
            "--nworkers",
            "1",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--local-directory",
            str(work),
        ],
        cwd=work,
        stderr=subprocess.DEVNULL,
    )
    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(1, timeout=60)
        yield address, scheduler
    finally:
        for p in (worker, scheduler):
            p.terminate()
        for p in (worker, scheduler):
            p.wait(30)
