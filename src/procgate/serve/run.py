"""Run the app under uvicorn: one process, or a supervisor and N worker processes."""

from __future__ import annotations

import inspect
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "procgate.serve.app:app_from_environment"


class _Config(uvicorn.Config):
    """uvicorn binds the socket its workers share with protocol 0; the connections accepted
    on it inherit that, asyncio then leaves Nagle's algorithm on, and every keep-alive
    response waits about 40 ms for the client's delayed ACK (uvicorn issue #3149: 22
    requests/s instead of thousands, measured here). The same socket, marked as TCP."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
            sock.set_inheritable(True)
        return sock


def run(host: str, port: int, workers: int) -> None:
    config = _Config(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        server_header=False,
    )
    server = uvicorn.Server(config)
    if workers == 1:
        server.run()
        return
    # Older uvicorn releases also took the worker's target.
    extra = {"target": server.run} if "target" in inspect.signature(Multiprocess).parameters else {}
    Multiprocess(config, sockets=[config.bind_socket()], **extra).run()
