"""--format github: workflow commands as the Actions runner parses them."""

from __future__ import annotations

import re
from dataclasses import replace

from report_fixtures import DENY, NO_LINE, REVIEW, VERDICT, WAIVED

from procgate.model import Position, Verdict
from procgate.report.github import annotation, escape_data, escape_property, render_github

# The runner's grammar: ::command key=value,key=value::message
COMMAND = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def unescape_data(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(s: str) -> str:
    return unescape_data(s.replace("%3A", ":").replace("%2C", ","))


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Split a command line the way the runner does, undoing its escapes."""
    match = COMMAND.match(line)
    assert match, line
    command, props, message = match.groups()
    pairs = (p.split("=", 1) for p in (props or "").split(","))
    return command, {k: unescape_property(v) for k, v in pairs}, unescape_data(message)


def test_one_line_per_finding_then_a_summary() -> None:
    lines = render_github(VERDICT, "deny").split("\n")
    assert len(lines) == len(VERDICT.findings) + 1
    assert [parse(line)[0] for line in lines[:-1]] == [
        "error",
        "warning",
        "notice",
        "error",
        "error",
    ]
    assert lines[-1] == (
        "procgate: 5 files checked: 3 deny, 1 warn, 1 waived. FAILED (fail-on: deny)"
    )


def test_properties_and_message_round_trip() -> None:
    command, props, message = parse(annotation(REVIEW))
    assert command == "warning"
    assert props == {"file": REVIEW.position.file, "line": "30", "col": "9", "title": "bans.review"}
    assert message.startswith(REVIEW.message)  # its newline, '%' and '|' come back intact
    assert "authorities: ndaa-fy2019-889" in message
    assert f"what to do: {REVIEW.action}" in message
    assert "waived by W-2024-007" in parse(annotation(WAIVED))[2]


def test_line_zero_annotates_the_whole_file() -> None:
    _, props, _ = parse(annotation(NO_LINE))
    assert props == {"file": "legacy/export.xml", "title": "parse.error"}
    _, props, _ = parse(annotation(replace(DENY, position=Position("a.yaml", 4, 0))))
    assert props == {"file": "a.yaml", "line": "4", "title": "bans.banned-vendor"}


def test_text_from_a_document_cannot_inject_commands_or_properties() -> None:
    hostile = replace(
        DENY,
        position=Position(".\\odd,name::x\r\ny%0A.yaml", 2, 1),
        message="ok\n::error file=fake.yaml::forged\r\n::add-mask::x",
    )
    out = render_github(Verdict((hostile.position.file,), (hostile,)), "deny")
    lines = out.split("\n")
    assert len(lines) == 2  # the annotation and the summary: nothing else starts a line
    _, props, message = parse(lines[0])
    assert props["file"] == "odd,name::x\r\ny%0A.yaml"
    assert message.startswith(hostile.message)


def test_escapes() -> None:
    assert escape_data("100%\r\n:,") == "100%25%0D%0A:,"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
