"""Only a waiver that applied says "waived by"; who approved it, why and under which ticket
reach every report and the audit log (issue 18: `Finding.waiver` meant two things; issue 13
item 5: a rejected waiver was printed as "waived by")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cli_support import EXAMPLES, json_report

PR = EXAMPLES / "purchase-requests"

APPLIED = """\
apiVersion: procgate/v1
kind: Waiver
id: W-2026-001
entity: hikvision
rule: bans.review
authority: ndaa-fy2019-889
scope:
  files: ["requests/*.yaml"]
reason: Warehouse inventory cameras, not public-safety use; reviewed by counsel.
approved_by: Dana Lee (Chief Procurement Officer)
approved_on: 2026-10-01
expires: 2026-12-31
ticket: PROC-77
"""

# Kaspersky is banned under authorities that allow no waiver: this one is rejected.
REJECTED = """\
apiVersion: procgate/v1
kind: Waiver
id: W-2026-009
entity: kaspersky
authority: ndaa-fy2018-1634
scope:
  requests: [PR-2026-0142]
reason: Legacy endpoint agents.
approved_by: Sam Roe (CIO)
approved_on: 2026-10-01
expires: 2026-12-31
ticket: PROC-99
"""


def _tree(tmp_path: Path, waiver: str, *requests: str) -> Path:
    (tmp_path / "requests").mkdir()
    (tmp_path / "waivers").mkdir()
    for name in requests:
        shutil.copy(PR / name, tmp_path / "requests" / name)
    (tmp_path / "waivers" / "w.yaml").write_text(waiver, encoding="utf-8")
    return tmp_path


def test_a_rejected_waiver_is_never_printed_as_waived_by(run_cli, tmp_path: Path) -> None:
    _tree(tmp_path, REJECTED, "kaspersky-endpoint.yaml")
    text = run_cli("check", "--date", "2026-11-28", "requests", "waivers", cwd=tmp_path)
    assert text.exit_code == 1
    assert "waiver.rejected" in text.output
    assert "waived by" not in text.output
    for fmt in ("junit", "github", "markdown", "sarif"):
        out = run_cli(
            "check", "--format", fmt, "--date", "2026-11-28", "requests", "waivers", cwd=tmp_path
        ).output
        assert "waived by" not in out and 'W-2026-009", "status": "accepted' not in out, fmt
    report = json_report(
        run_cli(
            "check", "--format", "json", "--date", "2026-11-28", "requests", "waivers", cwd=tmp_path
        )
    )
    assert [f["waiver"] for f in report["findings"]] == [None] * len(report["findings"])
    [note] = [f for f in report["findings"] if f["rule"] == "waiver.rejected"]
    assert note["about_waiver"] == "W-2026-009"
    assert note["waiver_approval"] is None
    assert report["summary"]["waived"] == 0


def test_an_applied_waiver_carries_approver_reason_and_ticket_everywhere(
    run_cli, tmp_path: Path
) -> None:
    _tree(tmp_path, APPLIED, "cameras-warehouse.yaml")
    (tmp_path / "procgate.yaml").write_text("waivers: [waivers]\n")  # globs from here
    args = ("--date", "2026-11-28", "--fail-on", "warn", "requests", "waivers")
    text = run_cli("check", *args, cwd=tmp_path)
    assert text.exit_code == 0, text.output
    assert (
        "waived by W-2026-001: approved by Dana Lee (Chief Procurement Officer) on "
        "2026-10-01, until 2026-12-31, ticket PROC-77"
    ) in text.output
    assert (
        "waiver reason: Warehouse inventory cameras, not public-safety use; reviewed by counsel."
    ) in text.output
    report = json_report(run_cli("check", "--format", "json", *args, cwd=tmp_path))
    [waived] = report["findings"]
    assert waived["waiver"] == "W-2026-001" and waived["about_waiver"] is None
    assert waived["waiver_approval"] == {
        "approved_by": "Dana Lee (Chief Procurement Officer)",
        "approved_on": "2026-10-01",
        "expires": "2026-12-31",
        "ticket": "PROC-77",
        "reason": "Warehouse inventory cameras, not public-safety use; reviewed by counsel.",
    }
    sarif = json.loads(run_cli("check", "--format", "sarif", *args, cwd=tmp_path).output)
    [result] = sarif["runs"][0]["results"]
    justification = result["suppressions"][0]["justification"]
    assert "W-2026-001" in justification and "Dana Lee" in justification
    assert "PROC-77" in justification and "reviewed by counsel" in justification

    log = tmp_path / "audit" / "log.jsonl"
    assert run_cli("check", "--audit-log", str(log), *args, cwd=tmp_path).exit_code == 0
    records = [json.loads(line) for line in log.read_text().splitlines()]
    [request] = [r for r in records if r["input"]["file"] == "requests/cameras-warehouse.yaml"]
    assert request["waivers"] == ["W-2026-001"]
    assert (
        request["findings"][0]["waiver_approval"]["approved_by"]
        == "Dana Lee (Chief Procurement Officer)"
    )
    assert request["findings"][0]["waiver_approval"]["ticket"] == "PROC-77"


def test_scan_counts_waived_items_not_notes_about_the_waiver(run_cli, tmp_path: Path) -> None:
    """3 requests + 1 expiring waiver: scan said "4 items ... 3 waived"; check says 3 waived
    and 1 warning about the waiver."""
    (tmp_path / "requests").mkdir()
    text = (PR / "cameras-warehouse.yaml").read_text(encoding="utf-8")
    for n in (1, 2, 3):
        (tmp_path / "requests" / f"cam-{n}.yaml").write_text(
            text.replace("PR-2026-0178", f"PR-2026-017{n}"), encoding="utf-8"
        )
    (tmp_path / "waivers").mkdir()
    (tmp_path / "waivers" / "w.yaml").write_text(APPLIED, encoding="utf-8")
    (tmp_path / "procgate.yaml").write_text("paths: [requests]\nwaivers: [waivers]\n")
    checked = json_report(
        run_cli("check", "--format", "json", "--date", "2026-12-15", cwd=tmp_path)
    )
    assert [(f["rule"], f["severity"]) for f in checked["findings"]] == [
        ("bans.review", "waived")
    ] * 3 + [("waiver.expiring", "warn")]

    out = tmp_path / "inv.json"
    result = run_cli(
        "scan",
        "requests",
        "--date",
        "2026-12-15",
        "--jobs",
        "1",
        "--report",
        str(out),
        cwd=tmp_path,
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(out.read_text())["summary"]
    assert (summary["affected_items"], summary["waived"], summary["warn"]) == (3, 3, 0)
    problems = json.loads(out.read_text())["problems"]
    assert [(p["file"], p["rule"]) for p in problems] == [("waivers/w.yaml", "waiver.expiring")]
