"""A value procgate.yaml (or [tool.procgate]) cannot mean is a tool error (exit 2), never a
guess: `fail-on: warning` must not run as `warn`, nor as `never`."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import EXAMPLES

REQUEST = EXAMPLES / "purchase-requests" / "cameras-lobby.yaml"


@pytest.mark.parametrize(
    ("command", "name", "config", "said"),
    [
        (
            "check",
            "procgate.yaml",
            "fail-on: warning\n",
            "fail-on: 'warning' is not one of ['deny', 'warn', 'never']",
        ),
        (
            "scan",
            "procgate.yaml",
            "fail-on: warning\n",
            "fail-on: 'warning' is not one of ['deny', 'warn', 'never']",
        ),
        ("check", "pyproject.toml", '[tool.procgate]\nfail-on = "Deny"\n', "'Deny' is not one of"),
    ],
)
def test_unknown_fail_on_is_exit_2(
    run_cli, tmp_path: Path, command: str, name: str, config: str, said: str
) -> None:
    (tmp_path / name).write_text(config)
    result = run_cli(command, REQUEST, cwd=tmp_path)
    assert result.exit_code == 2
    assert said in result.stderr
