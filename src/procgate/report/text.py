"""--format text: for people. Grouped by file: where, which vendor, which law, what to do."""

from __future__ import annotations

from itertools import groupby

from procgate.model import Finding, Verdict, Waiver

# How a match was made, in words; shared by every human-facing output.
VIA_WORDS = {
    "legal-name": "legal name",
    "alias": "alias",
    "former-name": "former name",
    "brand": "brand",
    "subsidiary": "subsidiary",
    "affiliate": "affiliate",
    "identifier": "identifier",
    "purl-namespace": "package namespace",
    "cpe-vendor": "CPE vendor",
    "domain": "web domain",
    "fuzzy": "spelling",
    "transliteration": "transliteration",
}


def explain_match(f: Finding) -> str:
    """ "matched 'Huawai Technologies' to Huawei Technologies Co., Ltd. by spelling, score 0.95"."""
    via = VIA_WORDS.get(f.via or "", f.via or "name")
    score = f"{f.score:.2f}" if f.score is not None else "?"
    return f"matched {f.matched!r} to {f.listed_name} by {via}, score {score}"


def waiver_lines(w: Waiver) -> list[str]:
    """Who waived a finding, until when and why: shared by the text, JUnit and GitHub
    reports. Only for a finding that was waived (Finding.waived_by)."""
    ticket = f", ticket {w.ticket}" if w.ticket else ""
    return [
        f"waived by {w.id}: approved by {w.approver} on {w.approved_on}, until {w.expires}{ticket}",
        f"waiver reason: {w.reason}",
    ]


def detail_lines(f: Finding, *, entity: bool = False) -> list[str]:
    """What follows a finding's message in the text and JUnit reports: the match, the entity
    (`entity`), the authorities, who waived it, what to do."""
    lines = []
    if f.matched is not None and f.listed_name:
        lines.append(explain_match(f))
    if entity and f.entity:
        lines.append(f"entity: {f.entity}")
    if f.authorities:
        lines.append(f"authorities: {', '.join(f.authorities)}")
    if f.waived_by is not None:
        lines += waiver_lines(f.waived_by)
    if f.action:
        lines.append(f"what to do: {f.action}")
    return lines


def _finding(f: Finding) -> list[str]:
    pos = f.position
    where = (f"{pos.line}:{pos.column}" if pos.column else f"{pos.line}") if pos.line else "-"
    lines = [f"  {where:>8}  {str(f.severity).upper():<6} {f.rule}"]
    lines += [f"            {line}" for line in [*f.message.splitlines(), *detail_lines(f)]]
    return lines


def render_text(verdict: Verdict, fail_on: str) -> str:
    out: list[str] = []
    ordered = sorted(verdict.findings, key=lambda f: f.position.file)  # stable: keeps line order
    for file, group in groupby(ordered, key=lambda f: f.position.file):
        out.append(file)
        for f in group:
            out += _finding(f)
        out.append("")
    out += verdict.notes
    s = verdict.summary(fail_on)
    status = "PASSED" if s["passed"] else "FAILED"
    noun = "file" if s["files"] == 1 else "files"
    against = f" (only findings new against {verdict.base})" if verdict.base else ""
    out.append(
        f"{s['files']} {noun} checked{against}: {s['deny']} deny, {s['warn']} warn, "
        f"{s['waived']} waived. {status} (fail-on: {fail_on})"
    )
    return "\n".join(out)
