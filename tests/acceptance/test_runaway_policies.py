"""Runaway policies stop (issue 10, item 5): a Rego or Python policy that runs too long or
allocates too much ends the run with exit 2 naming the policy, instead of aborting the
process (a Rust backtrace) or hanging. Limits come from procgate.yaml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import EXAMPLES, json_report
from opa_support import opa_engine_class

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


# OPA's engine (`--engine opa`, issue 10 item 5 re-verified in session 3): the same limits.
# The issue's `numbers.range` of 10^11 ran on OPA for minutes without end; two nested ranges
# of 10^5 run 10^10 steps in little memory.
NESTED = """package acme.spin
import rego.v1

deny contains msg if {
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i * j < 0
	msg := "never"
}
"""


# 2 * 10^8 numbers in one array: OPA's Go runtime aborts when the capped allocation fails.
REGO_HOG = """package acme.hog
import rego.v1

deny contains "never" if {
	xs := [i | some i in numbers.range(1, 200000000)]
	count(xs) < 0
}
"""


@pytest.mark.parametrize(
    ("name", "text", "seconds", "named", "why"),
    [
        ("runaway.rego", RANGE, 3, "acme.runaway", "limit"),
        ("spin.rego", NESTED, 3, "acme.spin", "time limit (3 s)"),
        ("hog.rego", REGO_HOG, 120, "acme.hog", "memory limit (256 MiB)"),
    ],
)
def test_runaway_rego_on_opas_engine_stops_with_exit_2_naming_it(
    tmp_path: Path, name: str, text: str, seconds: int, named: str, why: str
) -> None:
    opa_engine_class()
    cwd = project(tmp_path, name, text, seconds, 256)
    # A fresh process, as a real run is: OPA's Go runtime must start after the fork.
    command = [sys.executable, "-m", "procgate", "check", "--engine", "opa", str(CLEAN)]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert result.returncode == 2, result.stderr
    assert named in result.stderr and name in result.stderr, result.stderr
    assert why in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "goroutine" not in result.stderr
    # Without the runaway policy, the organisation's policies still run on OPA's engine.
    (cwd / "policies" / name).write_text(
        'package acme.fine\nimport rego.v1\n\ndeny contains "never" if false\n'
    )
    again = subprocess.run(
        [*command[:-1], str(KASPERSKY)], cwd=cwd, capture_output=True, text=True, timeout=180
    )
    assert again.returncode == 1, again.stderr
