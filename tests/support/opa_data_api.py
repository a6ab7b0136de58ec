"""A minimal server speaking OPA's REST Data API, for tests of `procgate check --opa-url`.

There is no OPA binary on these machines. This server does what `opa run --server --bundle
FILE` does for the one call procgate makes: it loads a bundle's .rego files and data.json
files (as OPA does: a data.json's folder is its place in `data`; other files are ignored)
and answers `POST /v1/data/{path}` with body {"input": ...} by evaluating data.{path} with
the embedded engine (regorus): {"result": value}, or {} when the value is undefined.
It reads the bundle with tarfile itself (not with procgate's reader), and appends every
request it receives to --log as a JSON line, so tests can compare the inputs procgate sent.

    python tests/support/opa_data_api.py --bundle bundle.tar.gz --log requests.jsonl
    -> prints "listening on http://127.0.0.1:PORT" once ready
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import PurePosixPath
from typing import Any

import regorus


def load_bundle(path: str) -> regorus.Engine:
    engine = regorus.Engine()
    data: dict[str, Any] = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            name = member.name.lstrip("/")
            raw = tar.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
            if name.endswith(".rego"):
                engine.add_policy(name, raw)
            elif PurePosixPath(name).name == "data.json":
                node = data
                for part in PurePosixPath(name).parent.parts:
                    node = node.setdefault(part, {})
                node.update(json.loads(raw))
    engine.add_data_json(json.dumps(data))
    return engine


class Handler(BaseHTTPRequestHandler):
    engine: regorus.Engine
    log: str | None = None

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/health":
            self._send(200, {})
        else:
            self._send(404, {"code": "resource_not_found", "message": self.path})

    def do_POST(self) -> None:
        if not self.path.startswith("/v1/data/"):
            self._send(404, {"code": "resource_not_found", "message": self.path})
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)) or 0)
        try:
            request = json.loads(body or b"{}")
        except ValueError as exc:
            self._send(400, {"code": "invalid_parameter", "message": str(exc)})
            return
        segments = [s for s in self.path.split("?")[0][len("/v1/data/") :].split("/") if s]
        if self.log:
            with open(self.log, "a", encoding="utf-8") as f:
                f.write(
                    json.dumps({"path": "/".join(segments), "input": request.get("input")}) + "\n"
                )
        query = "data" + "".join(f"[{json.dumps(s)}]" for s in segments)
        try:
            self.engine.set_input_json(json.dumps(request.get("input")))
            answer = json.loads(self.engine.eval_query_as_json(query))
        except BaseException as exc:  # regorus panics derive from BaseException
            self._send(500, {"code": "internal_error", "message": str(exc).splitlines()[0]})
            return
        values = [e["value"] for r in answer.get("result", []) for e in r["expressions"]]
        self._send(200, {"result": values[0]} if values else {})

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--log")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    Handler.engine = load_bundle(args.bundle)  # one thread: regorus engines stay on theirs
    Handler.log = args.log
    server = HTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
