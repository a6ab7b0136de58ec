"""Bad input gets a clear answer: a finding with file:line, or a message and exit 2."""

from __future__ import annotations

from pathlib import Path

from cli_support import EXAMPLES, json_report

CLEAN = EXAMPLES / "purchase-requests" / "laptops-clean.yaml"


def test_misspelled_kind_in_a_walked_folder_is_a_finding(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pr.yaml").write_text("apiVersion: procgate/v1\nkind: PurchaseRequst\nid: X\n")
    (tmp_path / "ci.yaml").write_text("name: ci\non: push\n")  # not ours: passed over
    result = run_cli("check", "--format", "json", tmp_path)
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "parse.unknown-kind" and finding["file"].endswith("pr.yaml")


def test_missing_path_is_exit_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_unknown_config_key_is_named(run_cli, tmp_path: Path) -> None:
    (tmp_path / "procgate.yaml").write_text("audience: us-federal\nfail_on: warn\n")
    result = run_cli("check", CLEAN, cwd=tmp_path)
    assert result.exit_code == 2
    assert "'fail_on'" in result.stderr and "fail-on" in result.stderr


def test_config_in_pyproject_is_read(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.procgate]\naudience = "martians"\n')
    result = run_cli("check", CLEAN, cwd=tmp_path)
    assert result.exit_code == 2 and "unknown audience 'martians'" in result.stderr


def test_policy_that_does_not_compile_is_exit_2_without_backtrace(run_cli, tmp_path) -> None:
    bad = tmp_path / "bad.rego"
    bad.write_text("package acme\nimport rego.v1\ndeny contains msg if { msg := }\n")
    result = run_cli("check", "--policy", bad, CLEAN)
    assert result.exit_code == 2
    assert "bad.rego:3" in result.stderr and "Stack backtrace" not in result.stderr


def test_missing_referenced_sbom_is_a_finding_at_its_line(run_cli, tmp_path: Path) -> None:
    pr = CLEAN.read_text().replace(
        "    product: Latitude 7450\n", "    product: Latitude 7450\n    sbom: sboms/none.json\n"
    )
    (tmp_path / "pr.yaml").write_text(pr)
    result = run_cli("check", "--format", "json", tmp_path / "pr.yaml")
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "parse.missing-file" and finding["pointer"] == "/items/0/sbom"
    assert finding["line"] > 0


def test_binary_and_empty_files_named_explicitly(run_cli, tmp_path: Path) -> None:
    (tmp_path / "blob.json").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.yaml").write_text("")
    result = run_cli("check", "--format", "json", tmp_path / "blob.json", tmp_path / "empty.yaml")
    assert result.exit_code == 1
    assert {f["rule"] for f in json_report(result)["findings"]} == {"parse.error"}


def test_bad_option_is_exit_2(run_cli) -> None:
    assert run_cli("check", "--fail-on", "sometimes", CLEAN).exit_code == 2
    assert run_cli("check", "--date", "28/11/2026", CLEAN).exit_code == 2
