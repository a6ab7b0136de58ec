"""Waivers in `procgate check`: found among the checked files or via `waivers:` in the config."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_support import EXAMPLES, json_report

PR = EXAMPLES / "purchase-requests"

WAIVER = """\
apiVersion: procgate/v1
kind: Waiver
id: W-2026-001
entity: hikvision
rule: bans.review
authority: ndaa-fy2019-889
scope:
  requests: [PR-2026-0178]
reason: Warehouse inventory cameras, not public-safety use; reviewed by counsel.
approved_by: Dana Lee (Chief Procurement Officer)
approved_on: 2026-10-01
expires: 2026-12-31
ticket: PROC-77
"""


def _repo(tmp_path: Path, waiver: str = WAIVER, *requests: str) -> Path:
    (tmp_path / "requests").mkdir()
    (tmp_path / "waivers").mkdir()
    for name in requests or ("cameras-warehouse.yaml",):
        shutil.copy(PR / name, tmp_path / "requests" / name)
    (tmp_path / "waivers" / "w.yaml").write_text(waiver, encoding="utf-8")
    return tmp_path


def _check(run_cli, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    result = run_cli("check", "--format", "json", *args, cwd=tmp_path)
    return result, json_report(result)


def _rules(report: dict) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for f in report["findings"]]


def test_active_waiver_waives_the_finding(run_cli, tmp_path: Path) -> None:
    _repo(tmp_path)
    result, report = _check(
        run_cli, tmp_path, "--date", "2026-11-28", "--fail-on", "warn", "requests", "waivers"
    )
    assert result.exit_code == 0, result.output
    [finding] = report["findings"]
    assert (finding["rule"], finding["severity"], finding["waiver"]) == (
        "bans.review",
        "waived",
        "W-2026-001",
    )
    assert report["summary"] == {"files": 2, "deny": 0, "warn": 0, "waived": 1, "passed": True}


def test_waivers_from_the_config_apply_without_being_checked_paths(run_cli, tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / "procgate.yaml").write_text("paths: [requests]\nwaivers: [waivers]\n")
    result, report = _check(run_cli, tmp_path, "--date", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert _rules(report) == [("bans.review", "waived")]


def test_expiring_waiver_warns_with_the_date(run_cli, tmp_path: Path) -> None:
    _repo(tmp_path)
    _, report = _check(run_cli, tmp_path, "--date", "2026-12-15", "requests", "waivers")
    assert _rules(report) == [("bans.review", "waived"), ("waiver.expiring", "warn")]
    assert report["findings"][1]["file"] == "waivers/w.yaml"
    assert report["findings"][1]["line"] == 12  # expires:
    assert "expires on 2026-12-31, in 16 days" in report["findings"][1]["message"]


def test_expired_waiver_no_longer_applies_and_is_reported(run_cli, tmp_path: Path) -> None:
    _repo(tmp_path)
    result, report = _check(
        run_cli, tmp_path, "--date", "2027-01-02", "--fail-on", "warn", "requests", "waivers"
    )
    assert result.exit_code == 1
    assert _rules(report) == [("bans.review", "warn"), ("waiver.expired", "warn")]


def test_waiver_before_its_approval_does_not_apply(run_cli, tmp_path: Path) -> None:
    _repo(tmp_path)
    _, report = _check(run_cli, tmp_path, "--date", "2026-09-30", "requests", "waivers")
    assert _rules(report) == [("bans.review", "warn"), ("waiver.not-yet-active", "warn")]


def test_waiver_under_an_authority_without_waivers_is_rejected(run_cli, tmp_path: Path) -> None:
    kaspersky = (
        WAIVER.replace("entity: hikvision", "entity: kaspersky")
        .replace("rule: bans.review", "rule: bans.banned-vendor")
        .replace("authority: ndaa-fy2019-889", "authority: ndaa-fy2018-1634")
        .replace("PR-2026-0178", "PR-2026-0142")
    )
    _repo(tmp_path, kaspersky, "kaspersky-endpoint.yaml")
    result, report = _check(run_cli, tmp_path, "--date", "2026-11-28", "requests", "waivers")
    assert result.exit_code == 1
    assert _rules(report) == [("bans.banned-vendor", "deny"), ("waiver.rejected", "deny")]
    assert "FY2018 NDAA §1634" in report["findings"][1]["message"]
    assert "allows no waivers" in report["findings"][1]["message"]


def test_unused_waiver_is_reported(run_cli, tmp_path: Path) -> None:
    _repo(tmp_path, WAIVER.replace("PR-2026-0178", "PR-1999-0001"))
    _, report = _check(run_cli, tmp_path, "--date", "2026-11-28", "requests", "waivers")
    assert _rules(report) == [("bans.review", "warn"), ("waiver.unused", "warn")]


def test_waiver_without_expiry_is_a_schema_error_and_waives_nothing(
    run_cli, tmp_path: Path
) -> None:
    _repo(tmp_path, WAIVER.replace("expires: 2026-12-31\n", ""))
    result, report = _check(run_cli, tmp_path, "--date", "2026-11-28", "requests", "waivers")
    assert result.exit_code == 1
    assert _rules(report) == [("bans.review", "warn"), ("schema.invalid", "deny")]
    assert "expires" in report["findings"][1]["message"]
