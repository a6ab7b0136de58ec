"""`procgate scan` as procurement staff read it: the files with problems are named, and a
review item is never counted as banned (summary, HTML table and vendor sections)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import lxml.html
from cli_support import EXAMPLES
from click.testing import Result

PR = EXAMPLES / "purchase-requests"


def test_files_with_problems_are_named(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(PR, records)
    (records / "broken.yaml").write_text("apiVersion: procgate/v1\nkind: PurchaseRequest\nid: [\n")
    (records / "nested").mkdir()
    (records / "nested" / "no-items.yaml").write_text(
        "apiVersion: procgate/v1\nkind: PurchaseRequest\nid: PR-1\n"
    )
    result = run_cli("scan", "records", "--jobs", "1", "--date", "2026-11-28", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout
    assert (
        "Could not be checked fully: 7 problems in 4 files (`procgate check FILE` shows "
        "them all):" in out
    )
    # A product category (drones made abroad) names no listed vendor, yet it was checked.
    assert "Other findings without a listed vendor: 1 problem in 1 file" in out
    assert "  records/drones-survey.yaml:15: bans.review" in out
    # Its `sbom: ../sboms/…` climbs out of the scanned folder (no git here): not read.
    assert "  records/branch-router.yaml:18: parse.reference-outside" in out
    assert "  records/broken.yaml:" in out and "parse.error" in out
    assert "  records/nested/no-items.yaml:" in out and "schema.invalid" in out
    with_report = run_cli(
        "scan",
        "records",
        "--jobs",
        "1",
        "--date",
        "2026-11-28",
        "--report",
        tmp_path / "inv.html",
        cwd=tmp_path,
    )
    assert "(details in the report):" in with_report.stdout


def test_a_review_item_is_not_counted_as_banned(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    records = tmp_path / "records"
    records.mkdir()
    shutil.copy(PR / "cameras-warehouse.yaml", records)  # Hikvision, general use: review only
    report = tmp_path / "inv.html"
    result = run_cli(
        "scan",
        "records",
        "--jobs",
        "1",
        "--date",
        "2026-11-28",
        "--fail-on",
        "warn",
        "--report",
        report,
        cwd=tmp_path,
    )
    assert result.exit_code == 1
    assert "0 banned, 1 to review" in result.stdout
    assert "Hangzhou Hikvision Digital Technology Co Ltd: 1 to review;" in result.stdout
    page = lxml.html.parse(report).getroot()
    headers = [th.text_content() for th in page.xpath("//table/thead//th")]
    assert "Banned since" not in headers and "In force since" in headers
    cells = [td.text_content().strip() for td in page.xpath("//table/tbody//td[@class='num']")]
    assert cells and all(c == "1 to review" for c in cells), cells
    section = page.xpath("//section[@class='vendor']")[0].text_content()
    assert "banned for" not in section and "1 to review; in force for" in section
