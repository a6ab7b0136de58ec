"""The shipped policies pass their own tests (`procgate test`) with at least 90% line coverage."""

from __future__ import annotations

import re

from cli_support import ROOT

MIN_COVERAGE = 90.0


def test_shipped_policy_tests_pass_with_coverage(run_cli) -> None:
    result = run_cli("test", "--coverage", "--threshold", str(MIN_COVERAGE), cwd=ROOT)
    assert result.exit_code == 0, result.output
    passed = int(re.search(r"^(\d+) passed, 0 failed, 0 errors", result.output, re.M)[1])
    assert passed >= 20
    total = float(re.search(r"^  total: ([\d.]+)%", result.output, re.M)[1])
    assert total >= MIN_COVERAGE
    assert re.search(r"^  policies/bans\.rego: [\d.]+% ", result.output, re.M)
    # Rego and Python policy tests both ran, each named by file:line.
    assert re.search(
        r"^policies/bans_test\.rego:\d+: PASS  data\.procgate\.bans_test\.test_",
        result.output,
        re.M,
    )
    assert re.search(r"^policies/python/test_identifiers\.py:\d+: PASS  test_", result.output, re.M)
