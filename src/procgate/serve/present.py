"""A verdict in plain words for the page: which vendor, which law or list, since when, what
to do, and the line of the person's own file, highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from procgate import rules
from procgate.deadlines import Deadline, deadlines
from procgate.explain import audience_words, banned_since, owner_labels
from procgate.model import BanData, Finding, Severity, Verdict
from procgate.report.text import VIA_WORDS
from procgate.serve.checking import Checked

_CONTEXT = 2  # lines shown above and below the finding's line
_WIDTH = 160  # longer lines (a minified SBOM) are cut around the column


@dataclass(frozen=True, slots=True)
class Law:
    id: str
    title: str
    citation: str
    since: date | None
    source: str
    clock: tuple[Deadline, ...]


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    text: str
    target: bool


@dataclass(frozen=True, slots=True)
class FindingView:
    id: str  # html id
    severity: str
    tag: str  # "Banned", "Needs review", "Waived", "Listed, not banned", "Problem"
    headline: str
    item: str
    finding: Finding
    vendor: str | None
    laws: tuple[Law, ...]
    match: str | None
    excerpt: tuple[Line, ...]
    help: str


@dataclass(frozen=True, slots=True)
class FileView:
    id: str
    name: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True, slots=True)
class ResultView:
    status: str  # blocked | review | passed
    headline: str
    detail: str
    files: tuple[FileView, ...]
    summary: dict[str, object]


def present(
    checked: Checked, ban_data: BanData, audience: str, today: date, fail_on: str
) -> ResultView:
    verdict = checked.verdict
    views: dict[str, list[FindingView]] = {name: [] for name in verdict.files}
    for n, f in enumerate(verdict.findings, 1):
        views.setdefault(f.position.file, []).append(
            _finding(f"finding-{n}", f, checked, ban_data, audience, today)
        )
    files = tuple(
        FileView(f"file-{i}", name, tuple(found))
        for i, (name, found) in enumerate(views.items(), 1)
    )
    status, headline = _status(verdict, fail_on)
    who = audience_words(audience)
    detail = (
        f"{_count(len(files), 'file')} checked as of {today.isoformat()} for {who}: "
        f"{_count(verdict.count(Severity.DENY), 'blocking finding')}, "
        f"{verdict.count(Severity.WARN)} to review, "
        f"{verdict.count(Severity.WAIVED)} waived."
    )
    return ResultView(status, headline, detail, files, verdict.summary(fail_on))


def _status(verdict: Verdict, fail_on: str) -> tuple[str, str]:
    if verdict.exit_code(fail_on) != 0:
        return "blocked", "Blocked: this purchase must not go ahead as it is"
    if verdict.count(Severity.WARN):
        return "review", "Passed, with findings to review"
    return "passed", "Passed: no vendor ban stops this purchase"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else noun + 's'}"


def _finding(
    html_id: str, f: Finding, checked: Checked, ban_data: BanData, audience: str, today: date
) -> FindingView:
    entity = ban_data.entities.get(f.entity) if f.entity else None
    vendor = entity.name if entity else None
    doc = checked.documents.get(f.position.file)
    item = owner_labels(doc).get(f.pointer, "") if doc is not None else ""
    laws = tuple(
        sorted(
            (
                Law(
                    a.id,
                    a.title,
                    a.citation,
                    banned_since(ban_data, f.entity or "", a.id, audience),
                    a.source,
                    deadlines(a.id),
                )
                for aid in f.authorities
                if (a := ban_data.authorities.get(aid)) is not None
            ),
            key=lambda law: (law.since or date.max, law.id),
        )
    )
    match = None
    if f.matched is not None and f.listed_name:
        via = VIA_WORDS.get(f.via or "", f.via or "name")
        score = f"{f.score:.2f}" if f.score is not None else "?"
        match = f"“{f.matched}” matched {f.listed_name!s} by {via}; score {score} (1.00 is certain)"
    rule = rules.RULES.get(f.rule)
    return FindingView(
        id=html_id,
        severity=str(f.severity),
        tag=_tag(f),
        headline=_headline(f, vendor, audience, today, rule.title if rule else f.rule),
        item=item,
        finding=f,
        vendor=vendor,
        laws=laws,
        match=match,
        excerpt=excerpt(
            checked.contents.get(f.position.file, b""), f.position.line, f.position.column
        ),
        help=rule.help if rule else "",
    )


def _tag(f: Finding) -> str:
    if f.severity is Severity.WAIVED:
        return "Waived"
    if f.rule == rules.LISTED_NOT_BANNED:
        return "Listed, not banned"
    if f.rule == rules.BANNED_VENDOR:
        return "Banned"
    if f.severity is Severity.WARN:
        return "Needs review"
    return "Blocks" if f.severity is Severity.DENY else "Note"


def _headline(f: Finding, vendor: str | None, audience: str, today: date, title: str) -> str:
    who = audience_words(audience)
    if vendor and f.rule == rules.BANNED_VENDOR:
        return f"{vendor} is banned for {who}"
    if vendor and f.rule == rules.POSSIBLE_BAN:
        return f"{vendor} may be banned for {who}: check how the item will be used"
    if vendor and f.rule == rules.LISTED_NOT_BANNED:
        return f"{vendor} is on a ban list, but no ban applies to {who} on {today.isoformat()}"
    return title


def excerpt(content: bytes, line: int, column: int) -> tuple[Line, ...]:
    """The finding's line and its neighbours, from the file as uploaded."""
    if line <= 0 or not content:
        return ()
    text = content.decode("utf-8", "replace").lstrip("\ufeff")
    lines = text.splitlines()
    if line > len(lines):
        return ()
    first, last = max(1, line - _CONTEXT), min(len(lines), line + _CONTEXT)
    return tuple(
        Line(n, _cut(lines[n - 1], column if n == line else 0), n == line)
        for n in range(first, last + 1)
    )


def _cut(text: str, column: int) -> str:
    if len(text) <= _WIDTH:
        return text
    start = max(0, min(column - _WIDTH // 3, len(text) - _WIDTH))
    head = "…" if start > 0 else ""
    tail = "…" if start + _WIDTH < len(text) else ""
    return head + text[start : start + _WIDTH] + tail
