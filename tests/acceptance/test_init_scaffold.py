"""`procgate init`: a scaffolded repository where check and test work at once."""

from __future__ import annotations

from pathlib import Path

import yaml
from cli_support import json_report


def test_init_then_check_and_test_work(run_cli, tmp_path: Path) -> None:
    created = run_cli("init", "--org", "Acme Retail", cwd=tmp_path)
    assert created.exit_code == 0, created.output
    for rel in (
        "procgate.yaml",
        "bans/acme-retail.yaml",
        "requests/example-request.yaml",
        "waivers/example-waiver.yaml",
        "policies/acme_retail.rego",
        "policies/acme_retail_test.rego",
        ".pre-commit-config.yaml",
    ):
        assert (tmp_path / rel).is_file(), rel
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert [h["id"] for h in hooks["repos"][0]["hooks"]] == ["procgate", "procgate-policies"]

    check = run_cli("check", "--format", "json", cwd=tmp_path)
    assert check.exit_code == 0, check.output
    report = json_report(check)
    [finding] = report["findings"]
    assert (finding["rule"], finding["severity"], finding["waiver"]) == (
        "bans.review",
        "waived",
        "ACME-RETAIL-W-0001",
    )
    assert run_cli("check", "--fail-on", "warn", cwd=tmp_path).exit_code == 0

    tests = run_cli("test", "--coverage", cwd=tmp_path)
    assert tests.exit_code == 0, tests.output
    assert "3 passed, 0 failed" in tests.output
    assert "policies/acme_retail.rego: 100.0%" in tests.output


def test_the_organisations_own_ban_applies(run_cli, tmp_path: Path) -> None:
    run_cli("init", "--org", "acme", cwd=tmp_path)
    request = tmp_path / "requests" / "av.yaml"
    request.write_text(
        (tmp_path / "requests" / "example-request.yaml")
        .read_text()
        .replace("Hangzhou Hikvision Digital Technology Co., Ltd.", "Kaspersky Lab")
        .replace("video-surveillance-equipment", "software")
        .replace("ACME-PR-0001", "ACME-PR-0002")
    )
    result = run_cli("check", "--format", "json", "requests/av.yaml", cwd=tmp_path)
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert "acme-no-kaspersky" in finding["authorities"]


def test_init_keeps_existing_files(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    result = run_cli("init", "--org", "acme", cwd=tmp_path)
    assert "kept        .pre-commit-config.yaml" in result.output
    assert "add these hooks to it" in result.output and "id: procgate" in result.output
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    again = run_cli("init", "--org", "acme", cwd=tmp_path)
    assert "created" not in again.output
