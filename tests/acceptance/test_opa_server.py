"""`procgate check --opa-url`: the Rego decision on a server speaking OPA's REST Data API.

No OPA binary is available here, so the server is tests/support/opa_data_api.py: started on
loopback from a `procgate bundle`, it answers POST /v1/data/{path} {"input": ...} by
evaluating the bundle's policies with regorus, as `opa run --server --bundle` would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from cli_support import EXAMPLES, ROOT, json_report

SERVER = ROOT / "tests" / "support" / "opa_data_api.py"


def _start(bundle: Path, log: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, str(SERVER), "--bundle", str(bundle), "--log", str(log)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("listening on "):
        proc.kill()
        raise RuntimeError(f"OPA Data API server did not start: {line!r}")
    return proc, line.split()[-1]


@pytest.fixture
def opa(run_cli, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    bundle, log = tmp_path / "bundle.tar.gz", tmp_path / "requests.jsonl"
    assert run_cli("bundle", "-o", bundle).exit_code == 0
    proc, url = _start(bundle, log)
    yield url, log
    proc.terminate()
    proc.wait(timeout=10)


def test_remote_decisions_equal_embedded_ones(run_cli, opa: tuple[str, Path]) -> None:
    url, _ = opa
    embedded = run_cli("check", "--format", "json", "--date", "2026-11-28", EXAMPLES)
    remote = run_cli(
        "check", "--format", "json", "--date", "2026-11-28", "--opa-url", url, EXAMPLES
    )
    assert remote.exit_code == embedded.exit_code == 1
    assert json_report(remote) == json_report(embedded)


def test_the_server_receives_exactly_the_embedded_engines_input(
    run_cli, opa: tuple[str, Path]
) -> None:
    from procgate.config import Flags, options_from
    from procgate.decide.inputs import rego_input
    from procgate.load import load
    from procgate.match import strongest_per_owner
    from procgate.model import Context
    from procgate.normalize import subjects
    from procgate.pipeline import build_checker

    url, log = opa
    request = EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"
    run_cli("check", "--date", "2026-11-28", "--opa-url", url, request)
    sent = [json.loads(line) for line in log.read_text().splitlines()]
    assert sorted(s["path"] for s in sent) == ["procgate/bans/deny", "procgate/bans/warn"]

    options = options_from(Flags(), cwd=ROOT, today=date(2026, 11, 28))
    checker = build_checker(options)
    doc = load(request, "examples/purchase-requests/kaspersky-endpoint.yaml")
    matches = strongest_per_owner(checker.matcher.match(subjects(doc)))
    ctx = Context("us-federal", date(2026, 11, 28), ("information-security",))
    expected = rego_input(doc, matches, ctx, checker.ban_data, options.certain_score)
    assert all(s["input"] == json.loads(json.dumps(expected)) for s in sent)


def _without(bundle: Path, member: str) -> Path:
    out = bundle.with_name("stripped.tar.gz")
    with tarfile.open(bundle) as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            if m.name != member:
                dst.addfile(m, src.extractfile(m))
    return out


def test_a_server_without_the_policies_is_an_error_not_a_pass(run_cli, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.rego").write_text("package other\n\nimport rego.v1\n\nallow := true\n")
    bundle = tmp_path / "other.tar.gz"
    assert run_cli("bundle", "-o", bundle, "--policy", other).exit_code == 0
    stripped = _without(bundle, "policies/bans.rego")  # an OPA server with other policies
    proc, url = _start(stripped, tmp_path / "log.jsonl")
    try:
        result = run_cli("check", "--opa-url", url, EXAMPLES)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert result.exit_code == 2
    assert "data.procgate.bans.deny on the OPA server" in result.stderr
    assert "is undefined" in result.stderr


def test_an_unreachable_server_is_an_error(run_cli, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_cli("check", "--opa-url", f"http://127.0.0.1:{port}", EXAMPLES)
    assert result.exit_code == 2 and "cannot reach the OPA server" in result.stderr
