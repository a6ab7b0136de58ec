"""Runaway policies stop (issue 10, item 5): a Rego or Python policy that runs too long or
allocates too much ends the run with exit 2 naming the policy, instead of aborting the
process (a Rust backtrace) or hanging. Limits come from procgate.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import EXAMPLES, json_report

CLEAN = EXAMPLES / "purchase-requests" / "laptops-clean.yaml"
KASPERSKY = EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml"

RANGE = """package acme.runaway
import rego.v1

deny contains msg if {
	some i in numbers.range(1, 100000000000)
	i < 0
	msg := "never"
}
"""

LOOP = """from procgate.decide.python import policy


@policy("acme.loop")
def loop(inp):
    while True:
        pass
    yield
"""

SWALLOW = """from procgate.decide.python import policy


@policy("acme.swallow")
def swallow(inp):
    while True:
        try:
            while True:
                pass
        except Exception:
            pass
    yield
"""

HOG = """from procgate.decide.python import policy


@policy("acme.hog")
def hog(inp):
    chunks = []
    while True:
        chunks.append(bytearray(16 * 2**20))
    yield
"""


def project(tmp_path: Path, name: str, text: str, seconds: int, memory: int) -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / name).write_text(text)
    (tmp_path / "procgate.yaml").write_text(
        f"policies: [policies]\npolicy-seconds: {seconds}\npolicy-memory-mb: {memory}\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("name", "text", "seconds", "memory", "named", "why"),
    [
        # The Rego case: it aborted the whole process (SIGABRT, a Rust backtrace).
        ("runaway.rego", RANGE, 2, 256, "acme.runaway", "limit"),
        ("loop.py", LOOP, 2, 256, "acme.loop", "time limit (2 s)"),
        ("swallow.py", SWALLOW, 2, 256, "acme.swallow", "time limit (2 s)"),
        # A long time limit: on a busy machine filling 64 MiB can take a while.
        ("hog.py", HOG, 120, 64, "acme.hog", "memory limit (64 MiB)"),
    ],
)
def test_runaway_policy_stops_with_exit_2_naming_it(
    run_cli,
    tmp_path: Path,
    name: str,
    text: str,
    seconds: int,
    memory: int,
    named: str,
    why: str,
) -> None:
    cwd = project(tmp_path, name, text, seconds, memory)
    result = run_cli("check", CLEAN, cwd=cwd)
    assert result.exit_code == 2, result.output
    assert named in result.stderr and name in result.stderr
    assert why in result.stderr
    assert "Traceback" not in result.stderr and "backtrace" not in result.stderr.lower()
    # The engine is usable again afterwards: the next run of a good policy works.
    (cwd / "policies" / name).unlink()
    again = run_cli("check", "--format", "json", KASPERSKY, cwd=cwd)
    assert again.exit_code == 1
    assert json_report(again)["summary"]["deny"] >= 1


def test_policy_limits_are_validated(run_cli, tmp_path: Path) -> None:
    (tmp_path / "procgate.yaml").write_text("policy-seconds: 0\n")
    result = run_cli("check", CLEAN, cwd=tmp_path)
    assert result.exit_code == 2 and "policy-seconds" in result.stderr
