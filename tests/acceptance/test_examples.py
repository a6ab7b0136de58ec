"""The shipped examples are test cases: each gives the verdict its comment promises."""

from __future__ import annotations

from cli_support import EXAMPLES, json_report

PR = EXAMPLES / "purchase-requests"


def _rules(report: dict) -> set[tuple[str, str | None]]:
    return {(f["rule"], f["entity"]) for f in report["findings"]}


def test_clean_request_passes(run_cli) -> None:
    result = run_cli("check", "--format", "json", "--date", "2026-11-28", PR / "laptops-clean.yaml")
    report = json_report(result)
    assert result.exit_code == 0, result.stdout
    assert report["findings"] == []
    assert report["summary"] == {"files": 1, "deny": 0, "warn": 0, "waived": 0, "passed": True}


def test_kaspersky_request_is_denied_under_every_kaspersky_authority(run_cli) -> None:
    result = run_cli(
        "check", "--format", "json", "--date", "2026-11-28", PR / "kaspersky-endpoint.yaml"
    )
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "bans.banned-vendor"
    assert finding["entity"] == "kaspersky"
    assert finding["pointer"] == "/items/0/manufacturer/name"
    assert finding["line"] == 17 and finding["column"] > 0
    assert {
        "dhs-bod-17-01",
        "ndaa-fy2018-1634",
        "bis-icts-kaspersky-2024",
        "fcc-covered-list",
    } <= set(finding["authorities"])
    assert finding["matched"] == "Kaspersky Lab ZAO"


def test_kaspersky_before_any_ban_is_listed_not_banned(run_cli) -> None:
    result = run_cli(
        "check", "--format", "json", "--date", "2015-06-01", PR / "kaspersky-endpoint.yaml"
    )
    assert result.exit_code == 0
    assert _rules(json_report(result)) == {("bans.listed-not-banned", "kaspersky")}


def test_kaspersky_within_24_months_of_bod_17_01_is_upcoming(run_cli) -> None:
    result = run_cli(
        "check", "--format", "json", "--date", "2016-06-01", PR / "kaspersky-endpoint.yaml"
    )
    assert result.exit_code == 0
    [finding] = json_report(result)["findings"]
    assert (finding["rule"], finding["entity"]) == ("bans.upcoming", "kaspersky")
    assert "dhs-bod-17-01" in finding["authorities"]
    assert "from 2017-09-13" in finding["message"]
    assert "within the next 24 months" in finding["message"]


def test_hilook_cameras_for_facility_security_are_denied(run_cli) -> None:
    result = run_cli("check", "--format", "json", PR / "cameras-lobby.yaml")
    assert result.exit_code == 1
    report = json_report(result)
    assert _rules(report) == {("bans.banned-vendor", "hikvision")}
    assert "ndaa-fy2019-889" in report["findings"][0]["authorities"]


def test_hikvision_cameras_for_general_use_warn(run_cli) -> None:
    result = run_cli("check", "--format", "json", PR / "cameras-warehouse.yaml")
    assert result.exit_code == 0
    assert _rules(json_report(result)) == {("bans.review", "hikvision")}
    failing = run_cli("check", "--fail-on", "warn", PR / "cameras-warehouse.yaml")
    assert failing.exit_code == 1


def test_router_sbom_is_checked_with_its_request(run_cli) -> None:
    result = run_cli("check", "--format", "json", PR / "branch-router.yaml")
    assert result.exit_code == 1
    report = json_report(result)
    assert report["summary"]["files"] == 2
    [finding] = report["findings"]
    assert finding["file"] == "examples/sboms/branch-router-firmware.cdx.json"
    assert finding["entity"] == "huawei" and finding["rule"] == "bans.banned-vendor"
    assert finding["pointer"].startswith("/components/1/")


def test_whole_examples_folder_text_report(run_cli) -> None:
    result = run_cli("check", EXAMPLES)
    assert result.exit_code == 1
    out = result.stdout
    assert "examples/purchase-requests/kaspersky-endpoint.yaml" in out
    assert "what to do:" in out
    assert "FAILED" in out.splitlines()[-1]


def test_drones_from_dji_are_denied_and_foreign_drones_reviewed(run_cli) -> None:
    result = run_cli("check", "--format", "json", "--date", "2026-12-03", PR / "drones-survey.yaml")
    assert result.exit_code == 1
    findings = json_report(result)["findings"]
    assert _rules({"findings": findings}) == {("bans.banned-vendor", "dji"), ("bans.review", None)}
    deny = next(f for f in findings if f["rule"] == "bans.banned-vendor")
    assert set(deny["authorities"]) == {"american-security-drone-act", "fcc-covered-list"}
    assert deny["action"].startswith("Do not buy drones")
    review = next(f for f in findings if f["rule"] == "bans.review")
    assert review["pointer"] == "/items/0" and "made in CN" in review["message"]
    # The day before the drone act's FAR rule took effect, nothing denies it yet.
    early = run_cli("check", "--format", "json", "--date", "2024-11-11", PR / "drones-survey.yaml")
    assert {f["rule"] for f in json_report(early)["findings"]} == {"bans.upcoming"}


def test_ssd_with_ymtc_flash_warns_of_the_2027_chip_ban(run_cli) -> None:
    result = run_cli(
        "check", "--format", "json", "--date", "2026-12-03", PR / "ssd-ymtc-flash.yaml"
    )
    assert result.exit_code == 0
    [finding] = json_report(result)["findings"]
    assert (finding["rule"], finding["entity"]) == ("bans.upcoming", "ymtc")
    assert finding["file"] == "examples/sboms/ssd-nw2000.cdx.json"
    assert "from 2027-12-23" in finding["message"]
    assert "period of performance (ending 2029-12-31)" in finding["message"]
    later = run_cli("check", "--format", "json", "--date", "2027-12-23", PR / "ssd-ymtc-flash.yaml")
    assert later.exit_code == 1
    assert [f["rule"] for f in json_report(later)["findings"]] == [
        "bans.banned-vendor",
        "data.stale",
    ]


def test_acronis_backup_for_an_intelligence_agency(run_cli) -> None:
    ic = run_cli(
        "check",
        "--format",
        "json",
        "--date",
        "2026-12-03",
        "--audience",
        "us-intelligence-community",
        PR / "backup-intelligence.yaml",
    )
    assert ic.exit_code == 1
    [finding] = json_report(ic)["findings"]
    assert (finding["rule"], finding["entity"]) == ("bans.banned-vendor", "acronis")
    assert finding["authorities"] == ["fascsa-orders"]
    civilian = run_cli(
        "check",
        "--format",
        "json",
        "--date",
        "2026-12-03",
        "--audience",
        "us-federal",
        PR / "backup-intelligence.yaml",
    )
    assert civilian.exit_code == 0
    [advice] = json_report(civilian)["findings"]
    assert advice["rule"] == "bans.advisory"
    assert "does not bind your agency" in advice["action"]
