"""A document that could not be read is never waived, a waiver in the checked tree cannot
widen its scope, and waivers have a maximum duration (issue 17 item 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import EXAMPLES, ROOT, json_report

BAD = ROOT / "tests" / "data" / "bad"

# Exactly the waiver from the issue: a rule waiver over every file, in the checked folder.
PARSE_WAIVER = """\
apiVersion: procgate/v1
kind: Waiver
id: W-2026-666
rule: {rule}
scope: {{files: ['**']}}
reason: Known noisy parser.
approved_by: Somebody
approved_on: 2026-10-01
expires: 2026-12-31
"""

# `vendor:` twice, the first Kaspersky.
DUPLICATE_VENDOR = """\
apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-2026-0666
vendor:
  name: Kaspersky Lab
vendor:
  name: Acme Corp
items:
  - description: Endpoint protection
    quantity: 1
    category: software
"""

MISSPELT_KIND = """\
apiVersion: procgate/v1
kind: PurchaseRequst
id: PR-2026-0667
vendor:
  name: Kaspersky Lab
items:
  - description: Endpoint protection
    quantity: 1
    category: software
"""


def _checked_folder(tmp_path: Path, rule: str) -> Path:
    folder = tmp_path / "checked"
    folder.mkdir()
    (folder / "waiver.yaml").write_text(PARSE_WAIVER.format(rule=rule), encoding="utf-8")
    (folder / "dup.yaml").write_text(DUPLICATE_VENDOR, encoding="utf-8")
    (folder / "kind.yaml").write_text(MISSPELT_KIND, encoding="utf-8")
    laughs = (BAD / "billion-laughs.yaml").read_text(encoding="utf-8")
    (folder / "laughs.yaml").write_text(
        "apiVersion: procgate/v1\nkind: PurchaseRequest\n" + laughs, encoding="utf-8"
    )
    return folder


@pytest.mark.parametrize(
    "rule",
    [
        "parse.error",
        "parse.limit",
        "parse.unknown-kind",
        "schema.invalid",
        "parse.missing-file",
        "parse.reference-outside",
        "parse.reference-cycle",
        "internal.error",
    ],
)
def test_unreadable_documents_are_never_waived(run_cli, tmp_path: Path, rule: str) -> None:
    folder = _checked_folder(tmp_path, rule)
    for args in (
        ["checked"],
        ["checked/dup.yaml", "checked/kind.yaml", "checked/laughs.yaml", "checked/waiver.yaml"],
    ):
        result = run_cli("check", "--format", "json", "--date", "2026-11-28", *args, cwd=tmp_path)
        assert result.exit_code == 1, result.output
        report = json_report(result)
        assert report["summary"]["waived"] == 0
        by_file = {
            f["file"]: (f["rule"], f["severity"])
            for f in report["findings"]
            if f["rule"] != "waiver.rejected"
        }
        for name in ("dup.yaml", "kind.yaml", "laughs.yaml"):
            assert by_file[f"checked/{name}"][1] == "deny", (name, report["findings"])
        [rejected] = [f for f in report["findings"] if f["rule"] == "waiver.rejected"]
        assert rejected["file"] == "checked/waiver.yaml"
        assert rejected["about_waiver"] == "W-2026-666"
        assert "cannot be waived" in rejected["message"]
    assert folder.is_dir()


def test_an_entity_waiver_does_not_cover_a_schema_finding(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pr.yaml").write_text(
        MISSPELT_KIND.replace("PurchaseRequst", "PurchaseRequest").replace("    quantity: 1\n", ""),
        encoding="utf-8",
    )
    (tmp_path / "w.yaml").write_text(
        PARSE_WAIVER.format(rule="bans.banned-vendor")
        .replace("rule: bans.banned-vendor", "entity: kaspersky")
        .replace("scope: {files: ['**']}", "scope: {requests: [PR-2026-0667]}"),
        encoding="utf-8",
    )
    report = json_report(
        run_cli("check", "--format", "json", "--date", "2026-11-28", ".", cwd=tmp_path)
    )
    assert ("schema.invalid", "deny") in {(f["rule"], f["severity"]) for f in report["findings"]}


WIDE = """\
apiVersion: procgate/v1
kind: Waiver
id: W-2026-100
entity: hikvision
rule: bans.review
scope: {{files: [{files}]}}
reason: Warehouse cameras.
approved_by: Dana Lee
approved_on: 2026-10-01
expires: {expires}
"""


def _cameras(tmp_path: Path, waiver_at: str, files: str, expires: str = "2026-12-31") -> None:
    for folder in ("team-a", "team-b"):
        (tmp_path / folder).mkdir(exist_ok=True)
        shutil.copy(
            EXAMPLES / "purchase-requests" / "cameras-warehouse.yaml",
            tmp_path / folder / "cams.yaml",
        )
    where = tmp_path / waiver_at
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text(WIDE.format(files=files, expires=expires), encoding="utf-8")


def _severities(run_cli, tmp_path: Path, *args: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    report = json_report(
        run_cli(
            "check",
            "--format",
            "json",
            "--date",
            "2026-11-28",
            "--fail-on",
            "warn",
            *args,
            cwd=tmp_path,
        )
    )
    return {f["file"] + " " + f["rule"]: f["severity"] for f in report["findings"]}


def test_a_waiver_in_the_tree_covers_only_files_under_its_own_folder(
    run_cli, tmp_path: Path
) -> None:
    _cameras(tmp_path, "team-a/waiver.yaml", "'*.yaml'")
    found = _severities(run_cli, tmp_path, ".")
    assert found["team-a/cams.yaml bans.review"] == "waived"
    assert found["team-b/cams.yaml bans.review"] == "warn"


@pytest.mark.parametrize(
    "files", ["'../team-b/*.yaml'", "'/team-b/*.yaml'", "'sub/../../team-b/cams.yaml'"]
)
def test_a_waiver_in_the_tree_cannot_reach_out_of_its_folder(
    run_cli, tmp_path: Path, files: str
) -> None:
    _cameras(tmp_path, "team-a/waiver.yaml", files)
    found = _severities(run_cli, tmp_path, ".")
    assert found["team-b/cams.yaml bans.review"] == "warn"
    assert found["team-a/waiver.yaml waiver.rejected"] == "deny"


def test_double_star_over_everything_needs_the_config_switch(run_cli, tmp_path: Path) -> None:
    _cameras(tmp_path, "waivers/w.yaml", "'**'")
    (tmp_path / "procgate.yaml").write_text("paths: [team-a, team-b]\nwaivers: [waivers]\n")
    found = _severities(run_cli, tmp_path)
    assert found["team-a/cams.yaml bans.review"] == "warn"
    assert found["waivers/w.yaml waiver.rejected"] == "deny"
    (tmp_path / "procgate.yaml").write_text(
        "paths: [team-a, team-b]\nwaivers: [waivers]\nwaivers-may-cover-all-files: true\n"
    )
    found = _severities(run_cli, tmp_path)
    assert found["team-a/cams.yaml bans.review"] == "waived"
    assert found["team-b/cams.yaml bans.review"] == "waived"


def test_a_configured_waiver_keeps_globs_from_the_config_folder(run_cli, tmp_path: Path) -> None:
    _cameras(tmp_path, "waivers/w.yaml", "'team-b/*.yaml'")
    (tmp_path / "procgate.yaml").write_text("paths: [team-a, team-b]\nwaivers: [waivers]\n")
    found = _severities(run_cli, tmp_path)
    assert found["team-a/cams.yaml bans.review"] == "warn"
    assert found["team-b/cams.yaml bans.review"] == "waived"


@pytest.mark.parametrize(
    ("expires", "config", "severity"),
    [
        ("9999-12-31", "", "warn"),  # accepted silently before
        ("2027-10-02", "", "warn"),  # 366 days after approval: the default longest
        ("2027-10-01", "", "waived"),
        ("2027-01-01", "waiver-max-days: 90\n", "warn"),
        ("2026-12-30", "waiver-max-days: 90\n", "waived"),
    ],
)
def test_waivers_have_a_maximum_duration(
    run_cli, tmp_path: Path, expires: str, config: str, severity: str
) -> None:
    _cameras(tmp_path, "waivers/w.yaml", "'team-a/*.yaml'", expires=expires)
    (tmp_path / "procgate.yaml").write_text("paths: [team-a]\nwaivers: [waivers]\n" + config)
    found = _severities(run_cli, tmp_path)
    assert found["team-a/cams.yaml bans.review"] == severity
    if severity == "warn":
        assert found["waivers/w.yaml waiver.rejected"] == "deny"
