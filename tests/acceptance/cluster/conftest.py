"""Cluster tests: real Dask clusters of 1-2 worker processes on loopback, closed after use.
Heavy on a small machine, so the trees are small and every test has a timeout."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # inventory_tree

from distributed import Client, LocalCluster


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


def worker_pids(client: Client) -> dict[str, int]:
    return client.run(os.getpid)  # type: ignore[no-any-return]
