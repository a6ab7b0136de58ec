"""`--engine regorus|opa` (and `engine:` in procgate.yaml) for check, test and serve: OPA's own
engine in the process gives the same findings and test results as the embedded one; asked for
and absent, it is an error with the install hint (exit 2), never a silent fallback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from cli_support import EXAMPLES, ROOT, json_report
from opa_support import opa_engine_class
from procgate_server import running_server

DATE = "2026-11-28"
TEST_REQUESTS = ROOT / "tests" / "data" / "purchase-requests"
AUDIENCES = ["us-federal", "us-dod", "us-intelligence-community", "us-contractor", "us-person"]


@pytest.fixture(autouse=True)
def _opa() -> None:
    opa_engine_class()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_check_on_opa_equals_check_on_regorus(run_cli, audience: str) -> None:
    args = ["check", "--format", "json", "--fail-on", "never", "--date", "2027-12-23"]
    args += ["--audience", audience]
    regorus = run_cli(*args, "--engine", "regorus", EXAMPLES, TEST_REQUESTS)
    opa = run_cli(*args, "--engine", "opa", EXAMPLES, TEST_REQUESTS)
    assert opa.exit_code == regorus.exit_code == 0, opa.stderr
    assert json_report(opa) == json_report(regorus)
    assert json_report(opa)["findings"]


def test_the_default_engine_is_regorus(run_cli) -> None:
    default = run_cli("check", "--format", "json", "--date", DATE, EXAMPLES)
    regorus = run_cli("check", "--format", "json", "--date", DATE, "--engine", "regorus", EXAMPLES)
    assert default.stdout == regorus.stdout


def test_an_unknown_engine_is_a_usage_error(run_cli) -> None:
    result = run_cli("check", "--engine", "wasm", EXAMPLES)
    assert result.exit_code == 2 and "wasm" in result.stderr


def test_engine_in_the_config_file(run_cli, tmp_path: Path) -> None:
    (tmp_path / "procgate.yaml").write_text("engine: opa\n", encoding="utf-8")
    request = tmp_path / "pr.yaml"
    request.write_bytes((EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml").read_bytes())
    from_config = run_cli("check", "--format", "json", "--date", DATE, request, cwd=tmp_path)
    assert from_config.exit_code == 1
    [finding] = json_report(from_config)["findings"]
    assert finding["rule"] == "bans.banned-vendor"
    (tmp_path / "procgate.yaml").write_text("engine: v8\n", encoding="utf-8")
    bad = run_cli("check", request, cwd=tmp_path)
    assert bad.exit_code == 2 and "engine" in bad.stderr


def _results(stdout: str) -> list[str]:
    """The PASS/FAIL lines without their timings, and the summary line."""
    lines = [re.sub(r" \([0-9.]+ ms\)$", "", line) for line in stdout.splitlines()]
    return [line for line in lines if ": PASS " in line or ": FAIL " in line or "passed," in line]


def test_test_on_opa_with_opas_coverage(run_cli) -> None:
    regorus = run_cli("test", "--engine", "regorus")
    result = run_cli("test", "--engine", "opa", "--coverage")
    assert result.exit_code == regorus.exit_code == 0, result.stdout + result.stderr
    assert _results(result.stdout) == _results(regorus.stdout)
    assert len(_results(result.stdout)) > 50
    lines = result.stdout.splitlines()
    assert "Coverage (Rego policy lines executed by the tests) (OPA's coverage report):" in lines
    [bans] = [line for line in lines if line.strip().startswith("policies/bans.rego:")]
    assert re.fullmatch(r"  policies/bans.rego: \d+\.\d% \(\d+/\d+ lines\).*", bans), bans


def test_a_failing_test_on_opa_shows_its_prints(run_cli, tmp_path: Path) -> None:
    (tmp_path / "p.rego").write_text(
        "package p\n\nimport rego.v1\n\nallow if input.x == 1\n", encoding="utf-8"
    )
    (tmp_path / "p_test.rego").write_text(
        "package p_test\n\nimport rego.v1\n\nimport data.p\n\n"
        'test_ok if p.allow with input as {"x": 1}\n\n'
        'test_wrong if {\n\tprint("x was", 2)\n\tp.allow with input as {"x": 2}\n}\n',
        encoding="utf-8",
    )
    result = run_cli("test", "--engine", "opa", tmp_path)
    assert result.exit_code == 1
    assert "FAIL  data.p_test.test_wrong" in result.stdout
    assert "x was 2" in result.stdout
    assert "1 passed, 1 failed" in result.stdout


def test_a_policy_opa_rejects_is_exit_2(run_cli, tmp_path: Path) -> None:
    # valid for regorus's parser, a compile error for OPA: an unsafe variable in the head
    (tmp_path / "bad.rego").write_text(
        "package bad\n\nimport rego.v1\n\ndeny contains x if input.y\n", encoding="utf-8"
    )
    result = run_cli("check", "--engine", "opa", "--policy", tmp_path, EXAMPLES)
    assert result.exit_code == 2
    assert "does not compile" in result.stderr


def test_serve_on_opa_answers_what_check_prints(run_cli, tmp_path: Path) -> None:
    request = EXAMPLES / "purchase-requests" / "cameras-lobby.yaml"
    cli = json_report(run_cli("check", "--format", "json", "--date", DATE, request))
    with running_server(tmp_path, "--date", DATE, "--engine", "opa") as server:
        name = request.relative_to(ROOT).as_posix()
        upload = [("files", (name, request.read_bytes(), "application/yaml"))]
        api = httpx.post(f"{server.url}/v1/check", files=upload, timeout=60)
    assert api.status_code == 200
    assert api.json() == cli


# -- absent: a real procgate process in which `import opa_bindings` fails ---------------------


def _without_opa(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    hidden = tmp_path / "hide" / "opa_bindings"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ImportError("hidden by the test")\n')
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "hide")}
    return subprocess.run(
        [sys.executable, "-m", "procgate", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--engine", "opa", str(EXAMPLES)),
        ("test", "--engine", "opa", str(ROOT / "policies")),
    ],
    ids=["check", "test"],
)
def test_opa_asked_for_and_absent_is_exit_2_with_the_install_hint(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    run = _without_opa(tmp_path, *args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "OPA's engine is not installed" in run.stderr
    assert "pip install --ignore-requires-python opa-golib-python-bindings==0.4.4" in run.stderr
    assert "Traceback" not in run.stderr


def test_absent_opa_is_no_problem_for_regorus(tmp_path: Path) -> None:
    run = _without_opa(tmp_path, "check", "--format", "json", "--date", DATE, str(EXAMPLES))
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["summary"]["deny"] >= 1
