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
    result = run_cli("check", "--format", "json", "--date", "2026-11-28",
                     PR / "kaspersky-endpoint.yaml")
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "bans.banned-vendor"
    assert finding["entity"] == "kaspersky"
    assert finding["pointer"] == "/items/0/manufacturer/name"
    assert finding["line"] == 17 and finding["column"] > 0
    assert {"dhs-bod-17-01", "ndaa-fy2018-1634", "bis-icts-kaspersky-2024",
            "fcc-covered-list"} <= set(finding["authorities"])
    assert finding["matched"] == "Kaspersky Lab ZAO"


def test_kaspersky_before_any_ban_is_listed_not_banned(run_cli) -> None:
    result = run_cli("check", "--format", "json", "--date", "2016-06-01",
                     PR / "kaspersky-endpoint.yaml")
    assert result.exit_code == 0
    assert _rules(json_report(result)) == {("bans.listed-not-banned", "kaspersky")}


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
