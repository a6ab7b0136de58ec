"""procgate serve: requests per second and p95 latency of POST /v1/check for a typical
purchase request, 2 workers, load from a second process on loopback; beside baselines in the
same run.

    python benchmarks/bench_serve.py [--seconds 10] [--connections 8]

Load generator: wrk (Debian package `wrk`) when installed, else an asyncio httpx client.
Baselines: GET /healthz under the same load (the HTTP stack's floor), and the CLI's time for
one check in a fresh process (`procgate check FILE`) beside `python -c pass`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _run import PROCGATE, median_run

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "acceptance"))
from procgate_server import running_server  # noqa: E402

TYPICAL = ROOT / "examples" / "purchase-requests" / "laptops-clean.yaml"
BANNED = ROOT / "examples" / "purchase-requests" / "kaspersky-endpoint.yaml"

WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def with_wrk(
    url: str, method: str, body: str, seconds: int, connections: int, work: Path
) -> tuple[float, float, float, int]:
    script = work / "load.lua"
    script.write_text(WRK_SCRIPT.format(method=method, body=json.dumps(body)))
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, micros, p50, p95, errors = (int(v) for v in line.split()[1:])
    return requests / (micros / 1e6), p50 / 1000, p95 / 1000, errors


def with_httpx(
    url: str, method: str, body: str, seconds: int, connections: int
) -> tuple[float, float, float, int]:
    async def run() -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds
        async with httpx.AsyncClient(timeout=30) as client:

            async def worker() -> None:
                nonlocal errors
                while time.perf_counter() < deadline:
                    start = time.perf_counter()
                    r = await client.request(
                        method,
                        url,
                        content=body or None,
                        headers={"content-type": "application/json"},
                    )
                    latencies.append((time.perf_counter() - start) * 1000)
                    errors += r.status_code != 200

            await asyncio.gather(*(worker() for _ in range(connections)))
        return latencies, errors

    latencies, errors = asyncio.run(run())
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / seconds, cuts[49], cuts[94], errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tool = "wrk" if shutil.which("wrk") else "httpx"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with running_server(work, "--workers", str(args.workers), "--date", "2026-11-28") as s:

            def load(path: str, method: str, body: str) -> tuple[float, float, float, int]:
                url = s.url + path
                if tool == "wrk":
                    return with_wrk(url, method, body, args.seconds, args.connections, work)
                return with_httpx(url, method, body, args.seconds, args.connections)

            typical = json.dumps(
                {"documents": [{"name": TYPICAL.name, "content": TYPICAL.read_text()}]}
            )
            banned = json.dumps(
                {"documents": [{"name": BANNED.name, "content": BANNED.read_text()}]}
            )
            # The answers are right before they are fast.
            assert (
                httpx.post(
                    s.url + "/v1/check",
                    content=typical,
                    headers={"content-type": "application/json"},
                ).json()["summary"]["passed"]
                is True
            )
            rows = [
                ("GET /healthz (baseline)", load("/healthz", "GET", "")),
                ("POST /v1/check, clean request", load("/v1/check", "POST", typical)),
                ("POST /v1/check, banned request", load("/v1/check", "POST", banned)),
            ]
    py = sys.executable
    base = median_run([py, "-c", "pass"], 5)
    cli = median_run([*PROCGATE, "check", str(TYPICAL)], 5, ROOT)
    print(
        f"{args.workers} workers, {args.connections} connections, {args.seconds} s each, "
        f"load from {tool} on loopback"
    )
    for name, (rps, p50, p95, errors) in rows:
        print(
            f"  {name:<34} {rps:8.0f} req/s  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  errors {errors}"
        )
    health, clean = rows[0][1], rows[1][1]
    print(
        f"  check vs healthz: {health[0] / clean[0]:.1f}x fewer req/s, "
        f"p95 {clean[2] / max(health[2], 0.001):.1f}x"
    )
    print(
        f"  CLI `procgate check {TYPICAL.name}`: {cli[0] * 1000:.0f} ms per check in a fresh "
        f"process (python -c pass {base[0] * 1000:.0f} ms); the API's p95 is "
        f"{clean[2] / (cli[0] * 1000):.2f}x of it"
    )


if __name__ == "__main__":
    main()
