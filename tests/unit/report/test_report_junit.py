"""--format junit: the JUnit XML shape GitLab, Jenkins and Azure DevOps read."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from report_fixtures import CLEAN, DENY, LEGACY, PR42, PR43, REVIEW, SBOM, VERDICT

from procgate.model import Position, Verdict
from procgate.report.junit import render_junit

# What the common JUnit schema (Jenkins junit-10.xsd, which GitLab's parser follows) allows.
SUITE_ATTRS = {
    "name",
    "tests",
    "failures",
    "errors",
    "skipped",
    "time",
    "timestamp",
    "hostname",
    "id",
    "package",
    "disabled",
    "file",
}
CASE_CHILDREN = {"skipped", "error", "failure", "system-out", "system-err"}


def parse(verdict: Verdict, fail_on: str = "deny") -> ET.Element:
    out = render_junit(verdict, fail_on)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out.encode("utf-8"))  # as a CI server reads the file
    check_structure(root)
    return root


def check_structure(root: ET.Element) -> None:
    assert root.tag == "testsuites"
    [suite] = root
    assert suite.tag == "testsuite" and suite.get("name") == "procgate"
    assert set(suite.attrib) <= SUITE_ATTRS
    cases = suite.findall("testcase")
    assert [c.tag for c in suite] == ["properties"] + ["testcase"] * len(cases)
    failures = 0
    for case in cases:
        assert case.get("classname") and case.get("name")
        assert {c.tag for c in case} <= CASE_CHILDREN
        assert len(case.findall("failure")) <= 1  # one failure per test case
        for failure in case.findall("failure"):
            assert failure.get("message") and failure.get("type")
            failures += 1
    counts = {"tests": len(cases), "failures": failures, "errors": 0, "skipped": 0}
    for element in (root, suite):
        assert {k: int(element.get(k, "-1")) for k in counts} == counts


def cases(root: ET.Element) -> dict[str, ET.Element]:
    return {c.get("name", ""): c for c in root.iter("testcase")}


def test_one_test_case_per_file_checked_in_order() -> None:
    root = parse(VERDICT)
    assert list(cases(root)) == [PR42, SBOM, PR43, LEGACY, CLEAN]
    assert all(c.get("classname") == c.get("name") for c in root.iter("testcase"))


def test_deny_fails_warn_and_waived_go_to_system_out() -> None:
    by_file = cases(parse(VERDICT))
    failure = by_file[PR42].find("failure")
    assert failure is not None
    assert failure.get("type") == "bans.banned-vendor"
    assert failure.get("message") == DENY.message
    assert "requests/pr-42.yaml:14:7" in (failure.text or "")
    assert "authorities: dhs-bod-17-01, ndaa-fy2018-1634" in (failure.text or "")
    assert f"what to do: {DENY.action}" in (failure.text or "")
    assert by_file[SBOM].find("failure") is None  # a warning does not fail under fail_on=deny
    assert "bans.review" in (by_file[SBOM].findtext("system-out") or "")
    assert "waived by W-2024-007" in (by_file[PR43].findtext("system-out") or "")
    assert "legacy/export.xml\n" in (by_file[LEGACY].findtext("failure") or "") + "\n"
    assert len(by_file[CLEAN]) == 0  # a clean file is a passing test case


@pytest.mark.parametrize(("fail_on", "failures"), [("deny", 3), ("warn", 4), ("never", 0)])
def test_what_fails_follows_fail_on(fail_on: str, failures: int) -> None:
    root = parse(VERDICT, fail_on)
    assert root.get("failures") == str(failures)
    assert (cases(root)[SBOM].find("failure") is not None) == (fail_on == "warn")
    prop = root.find("testsuite/properties/property[@name='fail-on']")
    assert prop is not None and prop.get("value") == fail_on


def test_several_blocking_findings_in_one_file_make_one_failure() -> None:
    second = replace(REVIEW, position=Position(PR42, 20, 3), rule="bans.review")
    root = parse(Verdict((PR42,), (DENY, second)), "warn")
    [failure] = root.iter("failure")
    assert failure.get("message") == f"{DENY.message} (and 1 more)"
    assert failure.get("type") == "bans.banned-vendor, bans.review"
    assert (failure.text or "").count("requests/pr-42.yaml:") == 2


def test_finding_in_a_file_not_in_files_gets_its_own_test_case() -> None:
    assert list(cases(parse(Verdict((), (DENY,))))) == [PR42]


def test_markup_and_characters_xml_cannot_hold_are_escaped() -> None:
    nasty = replace(
        DENY,
        message='Vendor "<b>A&B</b>" ]]> is banned\x00\x0b\udce9',
        position=Position("a&b <c>.yaml", 1, 1),
        matched="<script>",
    )
    root = parse(Verdict(("a&b <c>.yaml",), (nasty,)))
    [case] = root.iter("testcase")
    assert case.get("name") == "a&b <c>.yaml"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == 'Vendor "<b>A&B</b>" ]]> is banned\ufffd\ufffd\ufffd'
    assert "matched '<script>'" in (failure.text or "")


def test_empty_run_is_one_suite_without_cases() -> None:
    root = parse(Verdict((), ()))
    assert root.get("tests") == "0" and not list(root.iter("testcase"))
