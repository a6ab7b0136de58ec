"""`procgate check --opa-url`: the Rego decision on a server speaking OPA's REST Data API.

No OPA binary is available here, so the server is tests/support/opa_data_api.py: started on
loopback from a `procgate bundle`, loading it as OPA loads a bundle (`.manifest` roots, data
files at their folders' paths) into OPA's own engine (opa-golib-python-bindings), it answers
POST /v1/data/{path} {"input": ...} with OPA's response and error shapes, as
`opa run --server --bundle` would. Without that package these tests are skipped with the
install hint (under CI=true they fail).
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
import requests
from cli_support import EXAMPLES, ROOT, json_report
from opa_support import opa_engine_class

SERVER = ROOT / "tests" / "support" / "opa_data_api.py"


def _start(bundle: Path, log: Path) -> tuple[subprocess.Popen[str], str]:
    opa_engine_class()  # skip (fail under CI) without OPA's engine
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


TEST_REQUESTS = ROOT / "tests" / "data" / "purchase-requests"


def test_remote_decisions_equal_embedded_ones(run_cli, opa: tuple[str, Path]) -> None:
    url, _ = opa
    embedded = run_cli("check", "--format", "json", "--date", "2026-11-28", EXAMPLES)
    remote = run_cli(
        "check", "--format", "json", "--date", "2026-11-28", "--opa-url", url, EXAMPLES
    )
    assert remote.exit_code == embedded.exit_code == 1
    assert json_report(remote) == json_report(embedded)
    assert len(json_report(remote)["findings"]) >= 8


@pytest.mark.parametrize(
    "audience", ["us-federal", "us-dod", "us-intelligence-community", "us-contractor", "us-person"]
)
def test_remote_findings_equal_embedded_ones_for_every_audience(
    run_cli, opa: tuple[str, Path], audience: str
) -> None:
    url, _ = opa
    args = ["check", "--format", "json", "--fail-on", "never", "--audience", audience]
    paths = [EXAMPLES, TEST_REQUESTS]
    embedded = run_cli(*args, "--date", "2027-12-23", *paths)
    remote = run_cli(*args, "--date", "2027-12-23", "--opa-url", url, *paths)
    assert remote.exit_code == embedded.exit_code == 0, remote.stderr
    assert json_report(remote) == json_report(embedded)


def test_a_scaffolded_repositorys_own_policy_on_the_server(run_cli, tmp_path: Path) -> None:
    """`procgate init`'s policy package (acme_retail.purchasing) and ban list in a bundle:
    its manifest roots name that package too, and the server decides as procgate does."""
    repo = tmp_path / "repo"
    assert run_cli("init", "--org", "Acme Retail", repo).exit_code == 0
    request = repo / "requests" / "example-request.yaml"
    text = request.read_text(encoding="utf-8")
    text = text.replace("use: [general]", "use: [telecommunications]").replace(
        "justification:", "#"
    )
    request.write_text(text, encoding="utf-8")
    bundle = tmp_path / "acme.tar.gz"
    assert run_cli("bundle", "-o", bundle, cwd=repo).exit_code == 0
    with tarfile.open(bundle) as tar:
        manifest = json.load(tar.extractfile(".manifest"))  # type: ignore[arg-type]
    assert "acme_retail" in manifest["roots"]
    proc, url = _start(bundle, tmp_path / "log.jsonl")
    try:
        embedded = run_cli("check", "--format", "json", cwd=repo)
        remote = run_cli("check", "--format", "json", "--opa-url", url, cwd=repo)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert remote.exit_code == embedded.exit_code, remote.stderr
    assert json_report(remote) == json_report(embedded)
    rules = {f["rule"] for f in json_report(remote)["findings"]}
    assert "acme-retail.telecom-justification" in rules


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


# -- the server answers as OPA answers (docs/rest-api and OPA's server tests) -----------------


def test_the_data_api_answers_in_opas_shapes(opa: tuple[str, Path]) -> None:
    url, _ = opa
    data = f"{url}/v1/data"
    nothing_matched = {"context": {"date": "2026-01-01"}, "matches": []}
    assert requests.post(f"{data}/procgate/bans/deny", json={"input": nothing_matched}).json() == {
        "result": []
    }
    undefined = requests.post(f"{data}/procgate/nothing/here", json={"input": {}})
    assert undefined.status_code == 200 and undefined.json() == {}
    no_input = requests.post(f"{data}/banlist/audiences/us-person", json={})
    assert no_input.json() == {
        "result": ["us-person"],
        "warning": {"code": "api_usage_warning", "message": "'input' key missing from the request"},
    }
    malformed = requests.post(f"{data}/procgate/bans/deny", data=b'{"input": @}')
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "invalid_parameter"
    assert malformed.json()["message"].startswith("body contains malformed input document: ")
    got = requests.get(f"{data}/banlist/authorities/dhs-bod-17-01/audiences/us-federal/severity")
    assert got.json() == {"result": "deny"}
    missing = requests.get(f"{url}/v1/nothing")
    assert missing.status_code == 404 and missing.text == "404 page not found\n"


def test_an_evaluation_error_is_opas_500(run_cli, tmp_path: Path) -> None:
    policy = tmp_path / "p"
    policy.mkdir()
    (policy / "x.rego").write_text(
        "package conflict\n\nimport rego.v1\n\nv := 1 if input.a\n\nv := 2 if input.a\n"
    )
    bundle = tmp_path / "b.tar.gz"
    assert run_cli("bundle", "-o", bundle, "--policy", policy).exit_code == 0
    proc, url = _start(bundle, tmp_path / "log.jsonl")
    try:
        answer = requests.post(f"{url}/v1/data/conflict/v", json={"input": {"a": True}})
        calm = requests.post(f"{url}/v1/data/conflict/v", json={"input": {"a": False}})
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert answer.status_code == 500
    body = answer.json()
    assert body["code"] == "internal_error"
    assert body["message"] == "error(s) occurred while evaluating query"
    assert "conflict" in json.dumps(body["errors"])
    assert calm.status_code == 200 and calm.json() == {}


def _rewrite(bundle: Path, out: Path, **replace: bytes) -> Path:
    """The bundle with members replaced (or added) by name."""
    import io

    with tarfile.open(bundle) as src, tarfile.open(out, "w:gz") as dst:
        names = set()
        for m in src.getmembers():
            names.add(m.name)
            raw = replace.get(m.name, src.extractfile(m).read())  # type: ignore[union-attr]
            m.size = len(raw)
            dst.addfile(m, io.BytesIO(raw))
        for name, raw in replace.items():
            if name not in names:
                info = tarfile.TarInfo(name)
                info.size = len(raw)
                dst.addfile(info, io.BytesIO(raw))
    return out


def test_data_outside_the_manifest_roots_is_refused_as_opa_refuses_it(
    run_cli, tmp_path: Path
) -> None:
    opa_engine_class()
    bundle = tmp_path / "bundle.tar.gz"
    assert run_cli("bundle", "-o", bundle).exit_code == 0
    narrow = json.dumps({"revision": "x", "roots": ["procgate"]}).encode()
    for out, members, why in [
        ("roots.tar.gz", {".manifest": narrow}, "do not permit data at path /banlist"),
        (
            "pkg.tar.gz",
            {"other/x.rego": b"package elsewhere\n\nallow := true\n"},
            "do not permit package elsewhere",
        ),
    ]:
        bad = _rewrite(bundle, tmp_path / out, **members)
        run = subprocess.run(
            [sys.executable, str(SERVER), "--bundle", str(bad)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert run.returncode == 1 and why in run.stdout, run.stdout + run.stderr


def test_data_files_sit_at_their_folders_path(run_cli, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.tar.gz"
    assert run_cli("bundle", "-o", bundle).exit_code == 0
    roots = json.dumps({"revision": "x", "roots": ["banlist", "procgate", "extra"]}).encode()
    more = _rewrite(
        bundle,
        tmp_path / "more.tar.gz",
        **{
            ".manifest": roots,
            "extra/deep/data.json": b'{"n": 1}',
            "extra/data.yaml": b"m: 2\n",
            "extra/notes.json": b'{"ignored": true}',
        },
    )
    proc, url = _start(more, tmp_path / "log.jsonl")
    try:
        extra = requests.get(f"{url}/v1/data/extra").json()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert extra == {"result": {"deep": {"n": 1}, "m": 2}}
