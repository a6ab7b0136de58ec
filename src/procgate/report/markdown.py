"""--format markdown: a summary for pull-request comments and $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import re

from procgate.model import Finding, Severity, Verdict

# GitHub rejects a comment body over 65,536 characters; keep a margin for whatever a workflow
# wraps around the report (a marker comment, a link to the run).
MAX_CHARS = 64_000
MAX_CELL = 1_000  # one huge message must not push every other row out of the table

_ORDER = {Severity.DENY: 0, Severity.WARN: 1, Severity.WAIVED: 2}
_BADGES = {Severity.DENY: "⛔ deny", Severity.WARN: "⚠️ warn", Severity.WAIVED: "🔕 waived"}
# Characters that could start Markdown or HTML structure inside a cell: the text comes from
# the checked documents, and a vendor name must not become a link, a heading or a tag.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
_HEADER = (
    "| Severity | Where | Vendor | Authorities | Message | What to do |\n"
    "| --- | --- | --- | --- | --- | --- |"
)


def _clip(s: str, limit: int = MAX_CELL) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def cell(s: str) -> str:
    """Text for one table cell: markup escaped, `|` escaped, line breaks as <br>."""
    s = _MARKUP.sub(r"\\\1", _clip(s))
    return re.sub(r"\r\n|\r|\n", "<br>", s)


def code(s: str) -> str:
    """A code span: GitHub neither links nor @-mentions inside one. Backticks and newlines
    cannot be escaped there, so they are replaced; `|` still needs its table escape."""
    s = _clip(s).replace("`", "'")
    s = re.sub(r"\s", " ", s).replace("|", "\\|")
    return f"`{s}`" if s.strip() else ""


def _where(f: Finding) -> str:
    line = f":{f.position.line}" if f.position.line else ""
    return code(f.position.file + line)


def _vendor(f: Finding) -> str:
    if not f.entity and f.matched is None:
        return "—"
    parts = [code(f.entity)] if f.entity else []
    if f.matched is not None:
        parts.append(f"as {code(f.matched)}")
    return " ".join(parts)


def _todo(f: Finding) -> str:
    if f.severity is Severity.WAIVED:
        w = f.waived_by
        if w is None:
            return "waived"
        return f"waived by {code(w.id)}, " + cell(f"approved by {w.approver} until {w.expires}")
    return cell(f.action) if f.action else "—"


def row(f: Finding) -> str:
    cells = [
        _BADGES[f.severity],
        _where(f),
        _vendor(f),
        ", ".join(code(a) for a in f.authorities) or "—",
        cell(f.message),
        _todo(f),
    ]
    return "| " + " | ".join(cells) + " |"


def render_markdown(verdict: Verdict, fail_on: str, max_chars: int = MAX_CHARS) -> str:
    s = verdict.summary(fail_on)
    heading = "## ✅ procgate: passed" if s["passed"] else "## ❌ procgate: failed"
    noun = "file" if s["files"] == 1 else "files"
    against = f" (only findings new against {verdict.base})" if verdict.base else ""
    counts = (
        f"**{s['files']} {noun} checked**{against}: {s['deny']} deny, {s['warn']} warn, "
        f"{s['waived']} waived (fail on: {fail_on})"
    )
    if not verdict.findings:
        return f"{heading}\n\n{counts}\n\nNo findings."

    head = f"{heading}\n\n{counts}\n\n{_HEADER}"
    # Blocking findings first, so that a truncated table still shows what matters most.
    findings = sorted(verdict.findings, key=lambda f: _ORDER[f.severity])
    rows: list[str] = []
    used = len(head)
    for i, f in enumerate(findings):
        r = row(f)
        rest = len(findings) - i - 1
        # Room for this row, and for the footer in case the rows after it do not fit.
        footer = len(_footer(rest)) + 2 if rest else 0
        if used + 1 + len(r) + footer > max_chars:
            break
        rows.append(r)
        used += 1 + len(r)
    out = "\n".join([head, *rows])
    if len(rows) < len(findings):
        out += "\n\n" + _footer(len(findings) - len(rows))
    return out


def _footer(hidden: int) -> str:
    noun = "finding" if hidden == 1 else "findings"
    return f"… and {hidden} more {noun} not shown (see the full report)"
