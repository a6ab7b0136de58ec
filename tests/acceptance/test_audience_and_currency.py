"""Who is buying (a purchase request's `audience`, --audience, procgate.yaml) and how current
the ban lists are (their as-of date, data.stale): real files in tmp_path, the CLI in-process."""

from __future__ import annotations

from pathlib import Path

import yaml
from cli_support import EXAMPLES, json_report

BACKUP = EXAMPLES / "purchase-requests" / "backup-intelligence.yaml"


def with_audience(tmp: Path, audience: str | None) -> Path:
    doc = yaml.safe_load(BACKUP.read_text(encoding="utf-8"))
    if audience is not None:
        doc["audience"] = audience
    path = tmp / "pr.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_the_requests_audience_is_used_and_said(run_cli, tmp_path) -> None:
    path = with_audience(tmp_path, "us-intelligence-community")
    result = run_cli("check", "--date", "2026-12-03", path, cwd=tmp_path)
    assert result.exit_code == 1
    assert "Acronis AG is banned for us-intelligence-community" in result.stdout
    assert "audience: us-intelligence-community (the request's `audience`)" in result.stdout


def test_the_command_line_audience_wins(run_cli, tmp_path) -> None:
    path = with_audience(tmp_path, "us-intelligence-community")
    result = run_cli("check", "--date", "2026-12-03", "--audience", "us-person", path, cwd=tmp_path)
    assert result.exit_code == 0
    assert "audience: us-person (--audience)" in result.stdout
    assert "intelligence" not in result.stdout.split("audience:")[0]


def test_the_request_wins_over_the_config_file(run_cli, tmp_path) -> None:
    (tmp_path / "procgate.yaml").write_text("audience: us-person\n", encoding="utf-8")
    path = with_audience(tmp_path, "us-intelligence-community")
    result = run_cli("check", "--date", "2026-12-03", path, cwd=tmp_path)
    assert "audience: us-intelligence-community (the request's `audience`)" in result.stdout
    plain = with_audience(tmp_path, None)
    result = run_cli("check", "--date", "2026-12-03", plain, cwd=tmp_path)
    assert "audience: us-person (procgate.yaml)" in result.stdout
    assert "bans.advisory" not in result.stdout  # us-person: FASCSA reaches no private buyer


def test_an_unknown_audience_in_a_request_is_a_finding(run_cli, tmp_path) -> None:
    path = with_audience(tmp_path, "martians")
    result = run_cli("check", "--date", "2026-12-03", "--format", "json", path, cwd=tmp_path)
    assert result.exit_code == 1
    bad = [f for f in json_report(result)["findings"] if f["pointer"] == "/audience"]
    assert len(bad) == 1 and "unknown audience 'martians'" in bad[0]["message"]
    assert bad[0]["line"] > 0


def test_the_lists_as_of_date_is_shown(run_cli) -> None:
    result = run_cli("check", "--date", "2026-12-03", BACKUP)
    assert "ban lists: us-government (as of 2026-12-03)" in result.stdout
    assert "audience: us-federal (default)" in result.stdout


def test_a_stale_list_warns_after_data_max_age(run_cli, tmp_path) -> None:
    # The shipped list is current as of 2026-12-03: 180 days later it is still fresh,
    # 181 days later it is stale.
    fresh = run_cli("check", "--format", "json", "--date", "2027-06-01", BACKUP)
    assert "data.stale" not in {f["rule"] for f in json_report(fresh)["findings"]}
    stale = run_cli("check", "--format", "json", "--date", "2027-06-02", BACKUP)
    [warning] = [f for f in json_report(stale)["findings"] if f["rule"] == "data.stale"]
    assert warning["severity"] == "warn"
    assert warning["file"].endswith("us-government.yaml")
    assert "181 days" in warning["message"]
    (tmp_path / "procgate.yaml").write_text("data-max-age: 365\n", encoding="utf-8")
    configured = run_cli("check", "--format", "json", "--date", "2027-06-02", BACKUP, cwd=tmp_path)
    assert "data.stale" not in {f["rule"] for f in json_report(configured)["findings"]}


def test_a_request_cannot_loosen_the_configured_audience(run_cli, tmp_path) -> None:
    # An organisation's procgate.yaml says us-federal; a requester who writes
    # `audience: us-person` into the request must not escape the federal bans.
    (tmp_path / "procgate.yaml").write_text("audience: us-federal\n", encoding="utf-8")
    huawei = EXAMPLES.parent / "tests" / "data" / "purchase-requests" / "huawei.yaml"
    doc = yaml.safe_load(huawei.read_text(encoding="utf-8"))
    doc["audience"] = "us-person"
    path = tmp_path / "pr.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "--date", "2026-12-03", "--format", "json", path, cwd=tmp_path)
    assert result.exit_code == 1
    findings = json_report(result)["findings"]
    assert "bans.banned-vendor" in {f["rule"] for f in findings}
    [ignored] = [f for f in findings if f["rule"] == "audience.not-allowed"]
    assert ignored["pointer"] == "/audience" and "us-federal" in ignored["message"]
    # A stricter audience (one that includes us-federal) is allowed.
    stricter = with_audience(tmp_path, "us-intelligence-community")
    text = run_cli("check", "--date", "2026-12-03", stricter, cwd=tmp_path).stdout
    assert "audience: us-intelligence-community (the request's `audience`)" in text


def test_malformed_new_fields_are_findings_not_errors(run_cli, tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "apiVersion: procgate/v1\nkind: PurchaseRequest\nid: PR-1\ndate: 2026-01-01\n"
        "requester: {name: A}\nvendor: {name: Dell Inc.}\n"
        'items: ["survey drone", 5, {description: {x: 1}, quantity: 1, brand: X, made_in: 7}]\n'
        "audience: [us-person]\nperformance: {start: 2027-01-01, end: not-a-date}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--date", "2026-12-03", "--format", "json", path, cwd=tmp_path)
    assert result.exit_code == 1, result.output
    pointers = {f["pointer"] for f in json_report(result)["findings"]}
    assert {"/audience", "/performance/end", "/items/2/made_in"} <= pointers


def test_the_json_report_records_what_it_was_decided_with(run_cli, tmp_path) -> None:
    """A record kept for an auditor must say which date, audience and list versions gave
    the verdict, per file when requests chose different audiences."""
    intel = with_audience(tmp_path, "us-intelligence-community")
    plain = tmp_path / "plain.yaml"
    plain.write_text(BACKUP.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli(
        "check", "--date", "2026-12-03", "--format", "json", intel.name, plain.name, cwd=tmp_path
    )
    decided = json_report(result)["decided_with"]
    assert decided["date"] == "2026-12-03"
    assert decided["ban_lists"] == [
        {"name": "us-government", "as_of": "2026-12-03", "as_of_declared": True}
    ]
    assert sorted((a["audience"], a["files"][0]) for a in decided["audiences"]) == [
        ("us-federal", "plain.yaml"),
        ("us-intelligence-community", "pr.yaml"),
    ]
    alone = run_cli(
        "check", "--date", "2027-01-05", "--format", "json", "--audience", "us-person", BACKUP
    )
    [audience] = json_report(alone)["decided_with"]["audiences"]
    assert audience == {"audience": "us-person", "from": "--audience", "files": None}
