"""JSON input end to end: what a repeated key or deep nesting hid is a blocking finding with
its line (exit 1), never a silent pass or an internal error (issue 10)."""

from __future__ import annotations

from pathlib import Path

from cli_support import json_report

ROOT = Path(__file__).resolve().parents[1]


def _request_with_manufacturer(manufacturer: str) -> str:
    return (
        '{\n  "apiVersion": "procgate/v1",\n  "kind": "PurchaseRequest",\n'
        '  "id": "PR-2026-0300",\n  "title": "Lobby cameras",\n  "date": "2026-11-02",\n'
        '  "requester": {"name": "Jordan Lee", "email": "jordan.lee@example.gov",'
        ' "department": "Ops"},\n'
        '  "vendor": {"name": "Summit IT Supply LLC", "country": "US"},\n'
        '  "items": [\n    {"description": "IP camera", "quantity": 4,'
        ' "category": "hardware",\n'
        f'     "manufacturer": {manufacturer},\n'
        '     "product": "P3265-LVE"}\n  ],\n  "use": ["general"]\n}\n'
    )


def test_duplicate_manufacturer_name_blocks(run_cli, tmp_path: Path) -> None:
    request = tmp_path / "pr.json"
    request.write_text(
        _request_with_manufacturer(
            '{"name": "Hangzhou Hikvision Digital Technology Co., Ltd.",\n'
            '                      "name": "Axis Communications AB"}'
        )
    )
    result = run_cli("check", "--format", "json", request)
    assert result.exit_code == 1, result.stdout
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "parse.error"
    assert (finding["line"], finding["column"]) == (12, 23)
    assert "duplicate key 'name' (first at line 11)" in finding["message"]


def test_same_request_without_the_repeat_passes(run_cli, tmp_path: Path) -> None:
    request = tmp_path / "pr.json"
    request.write_text(_request_with_manufacturer('{"name": "Axis Communications AB"}'))
    result = run_cli("check", "--format", "json", request)
    assert result.exit_code == 0, result.stdout


def test_second_empty_components_list_blocks(run_cli, tmp_path: Path) -> None:
    sbom = tmp_path / "bom.cdx.json"
    sbom.write_text(
        '{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,\n'
        '"components": [{"type": "application", "name": "kes",'
        ' "supplier": {"name": "AO Kaspersky Lab"}}],\n'
        '"components": []}\n'
    )
    result = run_cli("check", "--format", "json", sbom)
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "parse.error" and finding["line"] == 3
    assert "duplicate key 'components' (first at line 2)" in finding["message"]


def test_deep_nesting_is_a_limit_finding_not_an_internal_error(run_cli, tmp_path: Path) -> None:
    request = tmp_path / "deep.json"
    request.write_text(
        '{"apiVersion": "procgate/v1", "kind": "PurchaseRequest",\n "x": '
        + '{"n": ' * 350
        + "1"
        + "}" * 350
        + "}\n"
    )
    result = run_cli("check", "--format", "json", request)
    assert result.exit_code == 1, result.stderr
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "parse.limit" and finding["line"] == 2
