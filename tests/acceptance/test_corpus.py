"""The 56 real SBOMs in ../shared/corpus: none names a banned vendor, so the whole gate
(validate, normalize, match, decide) must give no bans finding on any of them, and the
schema-invalid ones must give schema findings with line numbers. None may crash."""

from __future__ import annotations

import csv

import pytest
from cli_support import CORPUS, json_report

ROWS = list(csv.DictReader((CORPUS / "MANIFEST.csv").open(encoding="utf-8")))


def test_corpus_is_there() -> None:
    assert len(ROWS) >= 50


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["file"])
def test_no_ban_findings_on_real_sboms(run_cli, row: dict[str, str]) -> None:
    result = run_cli("check", "--format", "json", "--fail-on", "warn", CORPUS / row["file"])
    assert result.exit_code in (0, 1), result.output
    report = json_report(result)
    bans = [f for f in report["findings"] if not f["rule"].startswith(("schema.", "parse."))]
    assert bans == [], bans
    for f in report["findings"]:
        assert f["line"] > 0 or f["pointer"] == "", f


def test_whole_corpus_in_one_run_has_zero_deny_and_warn_from_bans(run_cli) -> None:
    report = json_report(run_cli("check", "--format", "json", CORPUS))
    assert report["summary"]["files"] == len(ROWS)
    assert not [f for f in report["findings"] if f["rule"].startswith("bans.")]


@pytest.mark.parametrize(
    "name",
    [r["file"] for r in ROWS if r["file"].split("/")[-1].startswith("INVALID_")],
)
def test_invalid_sboms_give_schema_findings_with_lines(run_cli, name: str) -> None:
    report = json_report(run_cli("check", "--format", "json", CORPUS / name))
    schema = [f for f in report["findings"] if f["rule"].startswith("schema.")]
    assert schema, report["findings"]
    assert all(f["line"] > 0 for f in schema if f["pointer"])  # "… and N more" has none
