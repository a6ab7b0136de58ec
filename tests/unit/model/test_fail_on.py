"""One rule for what fails a run: the exit code and the audit log's verdict agree, and an
unknown fail-on is an error in both (it used to read as `warn` in one and `never` in the
other)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from procgate.audit import RunFacts, decision_records
from procgate.model import Finding, Position, Severity, Verdict, blocking_severities


def _verdict(*severities: Severity) -> Verdict:
    findings = tuple(Finding("bans.review", s, "m", Position("a.yaml", 1, 1)) for s in severities)
    return Verdict(("a.yaml",), findings)


def _audit_verdict(verdict: Verdict, fail_on: str) -> str:
    facts = RunFacts(
        datetime(2026, 1, 1, tzinfo=UTC), "0", "sha256:x", "us-federal", date(2026, 1, 1), fail_on
    )
    [record] = decision_records(verdict, facts)
    return record["verdict"]


@pytest.mark.parametrize(
    ("fail_on", "fails"),
    [
        ("deny", {Severity.DENY}),
        ("warn", {Severity.DENY, Severity.WARN}),
        ("never", set()),
    ],
)
def test_exit_code_and_audit_verdict_agree(fail_on: str, fails: set[Severity]) -> None:
    assert blocking_severities(fail_on) == fails
    for severity in Severity:
        verdict = _verdict(severity)
        expected = 1 if severity in fails else 0
        assert verdict.exit_code(fail_on) == expected
        assert _audit_verdict(verdict, fail_on) == ("fail" if expected else "pass")


@pytest.mark.parametrize("fail_on", ["warning", "Deny", "", "none"])
def test_unknown_fail_on_is_an_error_everywhere(fail_on: str) -> None:
    verdict = _verdict(Severity.WARN)
    with pytest.raises(ValueError, match="unknown fail-on"):
        verdict.exit_code(fail_on)
    with pytest.raises(ValueError, match="unknown fail-on"):
        _audit_verdict(verdict, fail_on)
