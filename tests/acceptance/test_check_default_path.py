"""`procgate check` with no PATH: `paths:` from the config, else the current folder (as
linters do), with its usual exclusions (hidden folders, virtual environments)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from cli_support import EXAMPLES, json_report
from click.testing import Result

PR = EXAMPLES / "purchase-requests"


def test_no_path_and_no_config_checks_the_current_folder(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    shutil.copy(PR / "kaspersky-endpoint.yaml", tmp_path / "pr.yaml")
    sub = tmp_path / "requests" / "2026"
    sub.mkdir(parents=True)
    shutil.copy(PR / "laptops-clean.yaml", sub / "laptops.yaml")
    hidden = tmp_path / ".venv" / "lib"
    hidden.mkdir(parents=True)
    shutil.copy(PR / "kaspersky-endpoint.yaml", hidden / "not-ours.yaml")
    result = run_cli("check", "--format", "json", cwd=sub.parent)
    assert result.exit_code == 0, result.output  # only requests/: the clean one
    assert json_report(result)["summary"]["files"] == 1
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    report = json_report(result)
    assert report["summary"]["files"] == 2
    assert {f["file"] for f in report["findings"]} == {"pr.yaml"}


def test_configured_paths_still_win(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    shutil.copy(PR / "kaspersky-endpoint.yaml", tmp_path / "pr.yaml")
    (tmp_path / "requests").mkdir()
    shutil.copy(PR / "laptops-clean.yaml", tmp_path / "requests" / "ok.yaml")
    (tmp_path / "procgate.yaml").write_text("paths: [requests]\n")
    result = run_cli("check", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "1 file checked" in result.output


def test_an_empty_folder_passes_and_says_so(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    result = run_cli("check", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "0 files checked" in result.output
