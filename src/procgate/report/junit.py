"""--format junit: JUnit XML, one test case per file checked (GitLab, Jenkins, Azure DevOps)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from procgate.model import Finding, Verdict
from procgate.report.text import detail_lines

SUITE_NAME = "procgate"

# XML 1.0 cannot carry most control characters or lone surrogates (a file name that was
# not UTF-8), and ElementTree writes them as they are, making the whole report unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(s: str) -> str:
    return _NOT_XML.sub("\ufffd", s)


def blocks(f: Finding, fail_on: str) -> bool:
    """Whether this finding alone fails the run; Verdict.exit_code is the one definition."""
    return Verdict((), (f,)).exit_code(fail_on) == 1


def _where(f: Finding) -> str:
    if not f.position.line:
        return f.position.file
    column = f":{f.position.column}" if f.position.column else ""
    return f"{f.position.file}:{f.position.line}{column}"


def _details(f: Finding) -> str:
    lines = [f"{str(f.severity).upper()} {f.rule} at {_where(f)}"]
    if f.pointer:
        lines.append(f"  pointer: {f.pointer}")
    lines += [f"  {line}" for line in [f.message, *detail_lines(f, entity=True)]]
    return "\n".join(lines)


def _testcase(file: str, findings: list[Finding], fail_on: str) -> tuple[ET.Element, bool]:
    case = ET.Element("testcase", classname=_xml_text(file), name=_xml_text(file))
    failing = [f for f in findings if blocks(f, fail_on)]
    other = [f for f in findings if not blocks(f, fail_on)]
    if failing:
        # One <failure> per test case: the JUnit schema and GitLab's parser expect at most one.
        first = failing[0]
        message = first.message
        if len(failing) > 1:
            message += f" (and {len(failing) - 1} more)"
        rules = list(dict.fromkeys(f.rule for f in failing))
        failure = ET.SubElement(
            case, "failure", message=_xml_text(message), type=_xml_text(", ".join(rules))
        )
        failure.text = _xml_text("\n\n".join(_details(f) for f in failing))
    if other:
        ET.SubElement(case, "system-out").text = _xml_text("\n\n".join(_details(f) for f in other))
    return case, bool(failing)


def render_junit(verdict: Verdict, fail_on: str) -> str:
    """Warnings fail their test case only with fail_on="warn", as they fail the run only then;
    findings that do not fail the run (warnings, waived) go to <system-out>."""
    by_file: dict[str, list[Finding]] = {file: [] for file in verdict.files}
    for f in verdict.findings:
        by_file.setdefault(f.position.file, []).append(f)

    suite = ET.Element("testsuite", name=SUITE_NAME)
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="fail-on", value=fail_on)
    failures = 0
    for file, findings in by_file.items():
        case, failed = _testcase(file, findings, fail_on)
        suite.append(case)
        failures += failed
    counts = {"tests": str(len(by_file)), "failures": str(failures), "errors": "0", "skipped": "0"}
    suite.attrib.update(counts)
    suites = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
