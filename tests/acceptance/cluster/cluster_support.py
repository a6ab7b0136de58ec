"""Helpers of the cluster tests (a uniquely named module: `from conftest import` picks
whichever conftest.py was loaded last)."""

from __future__ import annotations

import os
import socket

from distributed import Client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def worker_pids(client: Client) -> dict[str, int]:
    return client.run(os.getpid)  # type: ignore[no-any-return]
