"""`procgate test` on an organisation's policies: exit codes, file:line, coverage threshold."""

from __future__ import annotations

from pathlib import Path

POLICY = """\
package acme.buying

import rego.v1

deny contains "no justification" if {
	input.document.kind == "purchase-request"
	not input.document.data.justification
}

warn contains "expensive" if {
	input.document.data.total > 10000
}
"""

PASSING = """\
package acme.buying_test

import rego.v1

import data.acme.buying

test_missing_justification_is_denied if {
	request := {"document": {"kind": "purchase-request", "data": {}}}
	buying.deny == {"no justification"} with input as request
}
"""

FAILING = """\
package acme.more_test

import rego.v1

import data.acme.buying

test_expensive_warns if {
	buying.warn == {"expensive"} with input as {"document": {"data": {"total": 5}}}
}
"""


def _policies(tmp_path: Path, *tests: str) -> Path:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "buying.rego").write_text(POLICY)
    for i, text in enumerate(tests):
        (folder / f"t{i}_test.rego").write_text(text)
    return folder


def test_passing_tests_exit_0_and_name_file_and_line(run_cli, tmp_path: Path) -> None:
    _policies(tmp_path, PASSING)
    result = run_cli("test", "policies", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (
        "policies/t0_test.rego:7: PASS  data.acme.buying_test."
        "test_missing_justification_is_denied" in result.output
    )
    assert "1 passed, 0 failed" in result.output


def test_a_failing_test_exits_1_and_names_file_and_line(run_cli, tmp_path: Path) -> None:
    _policies(tmp_path, PASSING, FAILING)
    result = run_cli("test", "policies", cwd=tmp_path)
    assert result.exit_code == 1
    assert (
        "policies/t1_test.rego:7: FAIL  data.acme.more_test.test_expensive_warns" in result.output
    )
    assert "1 passed, 1 failed" in result.output


def test_coverage_below_the_threshold_exits_1(run_cli, tmp_path: Path) -> None:
    _policies(tmp_path, PASSING)
    result = run_cli("test", "policies", "--threshold", "90", cwd=tmp_path)
    assert result.exit_code == 1
    # regorus evaluates a package's rules together: warn's condition (11) was evaluated
    # (and false), so only warn's head (10), which never produced a value, is not covered.
    assert "policies/buying.rego: 80.0% (4/5 lines); not covered: 10" in result.output
    assert "BELOW THRESHOLD 90%" in result.output
    assert run_cli("test", "policies", "--threshold", "80", cwd=tmp_path).exit_code == 0


def test_config_policies_are_the_default(run_cli, tmp_path: Path) -> None:
    _policies(tmp_path, PASSING)
    (tmp_path / "procgate.yaml").write_text("policies: [policies]\n")
    result = run_cli("test", cwd=tmp_path)
    assert result.exit_code == 0 and "buying_test" in result.output
    assert "bans_test" not in result.output  # the shipped tests are procgate's, not yours


def test_run_selects_tests(run_cli, tmp_path: Path) -> None:
    _policies(tmp_path, PASSING, FAILING)
    result = run_cli("test", "policies", "--run", "justification", cwd=tmp_path)
    assert result.exit_code == 0 and "1 passed, 0 failed" in result.output


def test_a_policy_that_does_not_compile_exits_2(run_cli, tmp_path: Path) -> None:
    folder = _policies(tmp_path, PASSING)
    (folder / "broken.rego").write_text("package broken\n\nallow if {\n")
    result = run_cli("test", "policies", cwd=tmp_path)
    assert result.exit_code == 2
    assert "does not compile" in result.stderr and "broken.rego" in result.stderr


def test_no_tests_exits_2(run_cli, tmp_path: Path) -> None:
    _policies(tmp_path)
    result = run_cli("test", "policies", cwd=tmp_path)
    assert result.exit_code == 2 and "no tests found" in result.stderr


def test_tests_may_use_the_real_ban_lists(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "lists_test.rego").write_text(
        "package lists_test\n\nimport rego.v1\n\n"
        "test_kaspersky_is_listed_under_1634 if {\n"
        "\tsome l in data.banlist.entities.kaspersky.listings\n"
        '\tl.authority == "ndaa-fy2018-1634"\n}\n'
    )
    result = run_cli("test", "policies", cwd=tmp_path)
    assert result.exit_code == 0, result.output
