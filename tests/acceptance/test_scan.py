"""`procgate scan` on a generated inventory of 10,000 files with a known set of banned items."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from cli_support import EXAMPLES
from click.testing import Result
from inventory_tree import Expected, make_tree

DATE = "2026-11-28"


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expected]:
    root = tmp_path_factory.mktemp("inventory")
    return root, make_tree(root / "records", 10_000)


@pytest.fixture(scope="module")
def reports(
    inventory: tuple[Path, Expected], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str, int]:
    from click.testing import CliRunner

    from procgate.cli import main

    root, _ = inventory
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        result = CliRunner().invoke(
            main,
            [
                "scan",
                "records",
                "--date",
                DATE,
                "--jobs",
                "2",
                "--report",
                str(out / "inv.html"),
                "--report",
                str(out / "inv.csv"),
                "--report",
                str(out / "inv.json"),
            ],
            catch_exceptions=False,
        )
    return out, result.stdout, result.exit_code


def _records(file: str) -> str:
    return f"records/{file}"


def test_finds_exactly_the_known_set(
    inventory: tuple[Path, Expected], reports: tuple[Path, str, int]
) -> None:
    _, expected = inventory
    out, stdout, exit_code = reports
    report = json.loads((out / "inv.json").read_text())
    found = {
        (item["file"], item["entity"]): item["severity"]
        for vendor in report["vendors"]
        for group in vendor["authorities"]
        for item in group["items"]
    }
    assert found == {(_records(f), e): s for (f, e), s in expected.hits.items()}
    assert {p["file"] for p in report["problems"]} == {_records(f) for f in expected.unreadable}
    assert report["summary"]["files"] == expected.files
    assert report["summary"]["checked"] == expected.files  # unreadable ones are problems
    assert exit_code == 1
    assert f"Scanned {expected.files} files" in stdout


def test_every_affected_item_is_in_the_html_report(
    inventory: tuple[Path, Expected], reports: tuple[Path, str, int]
) -> None:
    _, expected = inventory
    out, _, _ = reports
    page = lxml.html.parse(str(out / "inv.html")).getroot()
    rows = page.xpath("//section[@class='vendor']//tr[@class='hit']")
    assert {(r.get("data-file"), r.get("data-entity")) for r in rows} == {
        (_records(f), e) for f, e in expected.hits
    }
    assert not page.xpath("//script | //link | //img")  # one self-contained file
    summary = page.xpath("//section[@id='summary']//table/tbody/tr")
    vendors = {v for _, v in expected.hits}
    assert {r.xpath("string(td[1])") for r in summary} == {
        page.xpath(f"string(//section[@id='vendor-{v}']/h2)") for v in vendors
    }
    bod = [r for r in summary if "Directive 17-01" in r.xpath("string(td[2])")]
    assert bod[0].xpath("string(td[3])") == "2017-09-13"
    assert "Identify Kaspersky-branded products by 2017-10-13" in bod[0].xpath("string(td[5])")


def test_csv_has_a_row_per_item_and_authority(reports: tuple[Path, str, int]) -> None:
    out, _, _ = reports
    rows = list(csv.DictReader((out / "inv.csv").open(encoding="utf-8")))
    report = json.loads((out / "inv.json").read_text())
    assert len(rows) == sum(len(g["items"]) for v in report["vendors"] for g in v["authorities"])
    bod = [r for r in rows if r["authority"] == "dhs-bod-17-01"]
    assert bod and all(
        r["vendor_id"] == "kaspersky" and r["banned_since"] == "2017-09-13" for r in bod
    )


def test_jobs_do_not_change_the_answer(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    expected = make_tree(tmp_path / "records", 400, every=7)
    answers = []
    for jobs in ("1", "2"):
        report = tmp_path / f"inv-{jobs}.json"
        result = run_cli(
            "scan", "records", "--date", DATE, "--jobs", jobs, "--report", report, cwd=tmp_path
        )
        assert result.exit_code == 1, result.output
        data = json.loads(report.read_text())
        answers.append(data["vendors"])
    assert answers[0] == answers[1]
    assert sum(v["items"] for v in answers[0]) == len(expected.hits)


def test_as_of_a_date_before_the_bans(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    make_tree(tmp_path / "records", 300, every=7)
    report = tmp_path / "inv.json"
    result = run_cli("scan", "records", "--date", "2015-01-01", "--report", report, cwd=tmp_path)
    data = json.loads(report.read_text())
    assert data["vendors"] == [] and data["summary"]["listed_not_banned"] > 0
    assert result.exit_code == 1  # the unreadable records still fail the run
    assert data["summary"]["problems"] > 0


def test_bad_report_name_and_missing_paths(tmp_path: Path, run_cli: Callable[..., Result]) -> None:
    assert run_cli("scan", tmp_path, "--report", tmp_path / "inv.pdf").exit_code == 2
    assert run_cli("scan", tmp_path / "nowhere").exit_code == 2


def test_bans_that_are_coming_are_listed_with_their_date(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    # 2017-01-01: BOD 17-01 (2017-09-13) is within 24 months, so Kaspersky items are listed
    # as upcoming (warn), with the date the ban starts.
    make_tree(tmp_path / "records", 300, every=7)
    report = tmp_path / "inv.json"
    run_cli("scan", "records", "--date", "2017-01-01", "--report", report, cwd=tmp_path)
    data = json.loads(report.read_text())
    assert data["summary"]["deny"] == 0
    kaspersky = next(v for v in data["vendors"] if v["entity"] == "kaspersky")
    assert json.dumps(kaspersky).count("2017-09-13") > 0
    assert "bans.upcoming" in json.dumps(kaspersky)


def test_the_summary_says_an_upcoming_ban_starts_later(run_cli: Callable[..., Result]) -> None:
    # Issue 12: scan shows upcoming dates. The SSD example's YMTC flash is banned for federal
    # buyers from 2027-12-23 (FY2023 NDAA §5949): "since 2027-12-23" read as already in force.
    result = run_cli("scan", EXAMPLES / "sboms" / "ssd-nw2000.cdx.json", "--date", "2026-12-03")
    line = next(s for s in result.stdout.splitlines() if "Yangtze" in s)
    assert "ndaa-fy2023-5949 (from 2027-12-23, upcoming)" in line, line
    assert "since 2027" not in line
