"""The README's quick start shows the exact output of its first command: keep it true."""

from __future__ import annotations

import re

from cli_support import ROOT


def test_quick_start_output_is_what_check_prints(run_cli) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "procgate check examples/purchase-requests/kaspersky-endpoint.yaml"
    assert command in readme
    shown = re.search(
        r"```\n(examples/purchase-requests/kaspersky-endpoint\.yaml\n.*?)```", readme, re.S
    )
    assert shown is not None, "the quick start's output block is missing"
    # As of the shipped list's as-of date: 180 days later the run also warns that the list
    # is stale (data.stale), which is that warning's job, not a README error.
    result = run_cli(
        "check", "--date", "2026-12-03", "examples/purchase-requests/kaspersky-endpoint.yaml"
    )
    assert result.exit_code == 1
    assert result.stdout == shown.group(1)
