"""--format github: GitHub Actions workflow commands, shown as annotations on the pull request."""

from __future__ import annotations

from procgate.model import Finding, Severity, Verdict
from procgate.report.text import explain_match, waiver_lines

_COMMANDS = {Severity.DENY: "error", Severity.WARN: "warning", Severity.WAIVED: "notice"}


def escape_data(s: str) -> str:
    """The message part, as GitHub's runner unescapes it (toolkit `escapeData`). Escaping the
    newlines also means no text from a document can start a workflow command of its own."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """A property value (file, title): also ':' and ',' which separate properties."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _message(f: Finding) -> str:
    parts = [f.message]
    if f.matched is not None and f.listed_name:
        parts.append(explain_match(f))
    if f.authorities:
        parts.append("authorities: " + ", ".join(f.authorities))
    if f.waived_by is not None:
        parts += waiver_lines(f.waived_by)
    if f.action:
        parts.append(f"what to do: {f.action}")
    return "\n".join(parts)


def annotation(f: Finding) -> str:
    # GitHub wants repository-relative paths with forward slashes.
    file = f.position.file.replace("\\", "/").removeprefix("./")
    props = [f"file={escape_property(file)}"]
    if f.position.line > 0:  # line 0 is unknown: annotate the file as a whole
        props.append(f"line={f.position.line}")
        if f.position.column > 0:
            props.append(f"col={f.position.column}")
    props.append(f"title={escape_property(f.rule)}")
    return f"::{_COMMANDS[f.severity]} {','.join(props)}::{escape_data(_message(f))}"


def render_github(verdict: Verdict, fail_on: str) -> str:
    s = verdict.summary(fail_on)
    status = "PASSED" if s["passed"] else "FAILED"
    noun = "file" if s["files"] == 1 else "files"
    summary = (
        f"procgate: {s['files']} {noun} checked: {s['deny']} deny, {s['warn']} warn, "
        f"{s['waived']} waived. {status} (fail-on: {fail_on})"
    )
    return "\n".join([*(annotation(f) for f in verdict.findings), summary])
