"""A loopback server speaking OPA's REST Data API and evaluating with OPA's own engine, for
tests of `procgate check --opa-url`.

There is no OPA binary on these machines, but OPA's Go `rego` package is (opa-golib-python-
bindings). This server does what `opa run --server --bundle FILE` does for the calls procgate
makes, as OPA documents them (docs/rest-api, "Get a Document (with Input)") and as OPA's own
server tests answer:

- the bundle is read as OPA reads one: `.manifest` (its `roots`; none means every path), every
  `*.rego` file as a policy, every `data.json` / `data.yaml` / `data.yml` at the place in
  `data` named by its folder; every other file is ignored. A policy package or data path
  outside the manifest's roots stops the server (OPA refuses to activate such a bundle).
- `POST /v1/data/{path}` with `{"input": ...}` -> 200 `{"result": value}`, or 200 `{}` when
  the document is undefined; without an `input` key, the same with OPA's
  `{"warning": {"code": "api_usage_warning", ...}}`; a malformed body -> 400
  `{"code": "invalid_parameter", "message": "body contains malformed input document: ..."}`;
  an evaluation error -> 500 `{"code": "internal_error", "message": "error(s) occurred while
  evaluating query", "errors": [...]}`. `GET /v1/data/{path}` evaluates without input.
  Path segments are URL-unescaped after splitting (`a%2Fb` is the key "a/b").
- `GET /health` -> 200 `{}`; any other route -> 404 `404 page not found` (text/plain).

It reads the bundle with tarfile itself (not with procgate's reader) and appends every request
it receives to --log as a JSON line, so tests can compare the inputs procgate sent.

    python tests/support/opa_data_api.py --bundle bundle.tar.gz --log requests.jsonl
    -> prints "listening on http://127.0.0.1:PORT" once ready
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from opa_bindings import OpaEngine, OpaError

DATA_FILES = {"data.json", "data.yaml", "data.yml"}
_PACKAGE = re.compile(r"^package\s+([^\s#]+)", re.MULTILINE)
NO_INPUT = {"code": "api_usage_warning", "message": "'input' key missing from the request"}


class BundleError(Exception):
    pass


def _ref_path(ref: str) -> list[str]:
    """["a", "b-c"] from a package reference `a["b-c"]` or `a.b`."""
    return [m[0] or m[1] for m in re.findall(r'\["([^"]*)"\]|([^.\[\]]+)', ref)]


def _permitted(path: list[str], roots: list[list[str]]) -> bool:
    return any(path[: len(root)] == root for root in roots)


def _check_data(path: list[str], value: Any, roots: list[list[str]], name: str) -> None:
    """OPA's rule: data may sit at or under a root; above one, only its keys are checked."""
    if _permitted(path, roots):
        return
    below = [r for r in roots if r[: len(path)] == path]
    if not below or not isinstance(value, dict):
        raise BundleError(f"{name}: manifest roots do not permit data at path /{'/'.join(path)}")
    for key, inner in value.items():
        _check_data([*path, key], inner, roots, name)


def load_bundle(path: str) -> OpaEngine:
    engine = OpaEngine()
    engine.print_handler = lambda _message, _location: None
    files: dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                name = PurePosixPath("/", member.name).as_posix().lstrip("/")
                files[name] = tar.extractfile(member).read()  # type: ignore[union-attr]
    manifest = json.loads(files.get(".manifest", b"{}") or b"{}")
    roots = [[s for s in r.split("/") if s] for r in manifest.get("roots", [""])]
    for name in sorted(files):
        raw = files[name]
        if name.endswith(".rego"):
            text = raw.decode("utf-8")
            found = _PACKAGE.search(text)
            package = _ref_path(found[1]) if found else []
            if not _permitted(package, roots):
                raise BundleError(
                    f"{name}: manifest roots do not permit package {found and found[1]}"
                )
            engine.add_policy(name, text)
        elif PurePosixPath(name).name in DATA_FILES:
            value = json.loads(raw) if name.endswith(".json") else yaml.safe_load(raw)
            where = list(PurePosixPath(name).parent.parts)
            _check_data(where, value, roots, name)
            engine.add_data(value, path=".".join(where))
    return engine


class Handler(BaseHTTPRequestHandler):
    engine: OpaEngine
    log: str | None = None

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        if route.rstrip("/") == "/health":
            self._send(200, {})
        elif route == "/v1/data" or route.startswith("/v1/data/"):
            self._answer(self._segments(route), None, given=True)
        else:
            self._not_found()

    def do_POST(self) -> None:
        route = urlsplit(self.path).path
        if not (route == "/v1/data" or route.startswith("/v1/data/")):
            self._not_found()
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
        request: Any = {}
        if body.strip():
            try:
                request = json.loads(body)
            except ValueError as exc:
                self._malformed(str(exc))
                return
            if not isinstance(request, dict):
                self._malformed(f"cannot unmarshal {type(request).__name__} into the request")
                return
        segments = self._segments(route)
        if self.log:
            with open(self.log, "a", encoding="utf-8") as f:
                line = {"path": "/".join(segments), "input": request.get("input")}
                f.write(json.dumps(line) + "\n")
        self._answer(segments, request.get("input"), given="input" in request)

    def _segments(self, route: str) -> list[str]:
        rest = route[len("/v1/data") :]
        return [unquote(s) for s in rest.split("/") if s]

    def _answer(self, segments: list[str], input_: Any, *, given: bool) -> None:
        query = "data" + "".join(f"[{json.dumps(s)}]" for s in segments)
        try:
            rows = self.engine.eval_query(f"__result__ = {query}", input_)
        except OpaError as exc:
            error = {"code": exc.code, "message": exc.message}
            self._send(
                500,
                {
                    "code": "internal_error",
                    "message": "error(s) occurred while evaluating query",
                    "errors": [error],
                },
            )
            return
        answer: dict[str, Any] = {"result": rows[0]["__result__"]} if rows else {}
        if not given:
            answer["warning"] = NO_INPUT
        self._send(200, answer)

    def _malformed(self, why: str) -> None:
        message = f"body contains malformed input document: {why}"
        self._send(400, {"code": "invalid_parameter", "message": message})

    def _not_found(self) -> None:
        data = b"404 page not found\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

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
    try:
        Handler.engine = load_bundle(args.bundle)
    except (BundleError, OpaError, ValueError, tarfile.TarError) as exc:
        print(f"bundle not activated: {exc}", flush=True)
        sys.exit(1)
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
