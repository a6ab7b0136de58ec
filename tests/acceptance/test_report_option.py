"""`--report` in check and scan: FORMAT=FILE and a plain FILE (format from its extension) in
both; reports and -o files go into folders that do not exist yet."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from cli_support import EXAMPLES
from click.testing import Result

PR = EXAMPLES / "purchase-requests"
Run = Callable[..., Result]


def test_check_reads_the_format_from_the_extension_into_new_folders(
    run_cli: Run, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "new"
    result = run_cli(
        "check",
        PR / "kaspersky-endpoint.yaml",
        "--report",
        out / "r.sarif",
        "--report",
        out / "r.json",
        "--report",
        out / "r.xml",
        "--report",
        out / "r.md",
        "--report",
        out / "r.txt",
        "--report",
        f"github={out / 'annotations.log'}",
        "-o",
        tmp_path / "o" / "deep" / "report.txt",
    )
    assert result.exit_code == 1, result.output
    assert json.loads((out / "r.sarif").read_text())["version"] == "2.1.0"
    assert json.loads((out / "r.json").read_text())["summary"]["deny"] == 1
    assert lxml.etree.parse(out / "r.xml").getroot().tag == "testsuites"
    assert (out / "r.md").read_text().startswith("#")
    assert "DENY   bans.banned-vendor" in (out / "r.txt").read_text()
    assert (out / "annotations.log").read_text().startswith("::error ")
    assert "DENY   bans.banned-vendor" in (tmp_path / "o/deep/report.txt").read_text()


def test_check_format_equals_file_still_wins_over_the_extension(
    run_cli: Run, tmp_path: Path
) -> None:
    result = run_cli(
        "check", PR / "laptops-clean.yaml", "--report", f"sarif={tmp_path / 'out.json'}"
    )
    assert result.exit_code == 0
    assert json.loads((tmp_path / "out.json").read_text())["version"] == "2.1.0"


@pytest.mark.parametrize("command", ["check", "scan"])
def test_an_unknown_extension_or_format_is_a_usage_error(
    run_cli: Run, tmp_path: Path, command: str
) -> None:
    for value in (str(tmp_path / "report.pdf"), f"pdf={tmp_path / 'r.pdf'}", "json="):
        result = run_cli(command, PR / "laptops-clean.yaml", "--report", value)
        assert result.exit_code == 2, (value, result.output)
        assert "--report" in result.output
        assert "FORMAT=FILE" in result.output or "no FILE after json=" in result.output
    assert not list(tmp_path.iterdir())


def test_scan_takes_both_forms_into_new_folders(run_cli: Run, tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(PR, records)
    out = tmp_path / "out" / "2026"
    result = run_cli(
        "scan",
        records,
        "--jobs",
        "1",
        "--date",
        "2026-11-28",
        "--report",
        out / "inv.html",
        "--report",
        f"csv={out / 'inv.txt'}",
        "--report",
        f"json={out / 'inventory.data'}",
    )
    assert result.exit_code == 1, result.output
    assert lxml.html.parse(out / "inv.html").getroot().tag == "html"
    rows = list(csv.DictReader((out / "inv.txt").open(newline="")))
    assert {r["vendor_id"] for r in rows} >= {"kaspersky"}
    assert json.loads((out / "inventory.data").read_text())["summary"]["affected_items"] > 0
    for name in ("inv.html", "inv.txt", "inventory.data"):
        assert f"Report: {out / name}" in result.stdout
