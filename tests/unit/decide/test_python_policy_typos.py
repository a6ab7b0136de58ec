"""A typo in a Python policy stops the run (exit 2) with its words, instead of deciding
wrongly: `severity="warning"` used to become a deny, `kinds={"purchase-requests"}` used to
switch the policy off."""

from __future__ import annotations

from pathlib import Path

from cli_support import EXAMPLES

REQUEST = EXAMPLES / "purchase-requests" / "laptops-clean.yaml"

POLICY = """from procgate.decide.python import PolicyInput, Result, policy


@policy("acme.always", kinds={kinds})
def always(inp: PolicyInput):
    yield Result("always", severity={severity!r})
"""


def _check(run_cli, tmp_path: Path, kinds: str, severity: str):
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "acme.py").write_text(POLICY.format(kinds=kinds, severity=severity))
    return run_cli("check", "--policy", folder, REQUEST)


def test_result_severity_typo_is_exit_2(run_cli, tmp_path: Path) -> None:
    result = _check(run_cli, tmp_path, '{"purchase-request"}', "warning")
    assert result.exit_code == 2
    assert "acme.always" in result.stderr
    assert "Result severity 'warning' is not one of 'deny', 'warn'" in result.stderr


def test_unknown_kind_is_exit_2_when_the_policy_loads(run_cli, tmp_path: Path) -> None:
    result = _check(run_cli, tmp_path, '{"purchase-requests"}', "warn")
    assert result.exit_code == 2
    assert "unknown kinds 'purchase-requests'" in result.stderr
    assert "known: ban-list, cyclonedx, purchase-request" in result.stderr


def test_kinds_as_one_string_is_exit_2(run_cli, tmp_path: Path) -> None:
    result = _check(run_cli, tmp_path, '"purchase-request"', "warn")
    assert result.exit_code == 2
    assert "kinds must be a set of kinds" in result.stderr


def test_the_policy_written_right_warns(run_cli, tmp_path: Path) -> None:
    result = _check(run_cli, tmp_path, '{"purchase-request"}', "warn")
    assert result.exit_code == 0, result.output
    assert "acme.always" in result.stdout and "1 warn" in result.stdout
