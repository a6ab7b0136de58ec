"""A value procgate.yaml (or [tool.procgate]) cannot mean is a tool error (exit 2), never a
guess: `fail-on: warning` must not run as `warn`, nor as `never`."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import EXAMPLES

REQUEST = EXAMPLES / "purchase-requests" / "cameras-lobby.yaml"


@pytest.mark.parametrize("command", ["check", "scan"])
def test_unknown_fail_on_in_procgate_yaml_is_exit_2(run_cli, tmp_path: Path, command) -> None:
    (tmp_path / "procgate.yaml").write_text("fail-on: warning\n")
    result = run_cli(command, REQUEST, cwd=tmp_path)
    assert result.exit_code == 2
    assert "fail-on: 'warning' is not one of ['deny', 'warn', 'never']" in result.stderr


def test_unknown_fail_on_in_pyproject_is_exit_2(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.procgate]\nfail-on = "Deny"\n')
    result = run_cli("check", REQUEST, cwd=tmp_path)
    assert result.exit_code == 2
    assert "'Deny' is not one of" in result.stderr

