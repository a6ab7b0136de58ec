"""waive: findings + waivers -> findings, after decide and before report.

    parse_waiver(doc)                                   a `kind: Waiver` document -> Waiver
    load_waiver_files(paths)                            `waivers:` in the config -> Waivers
    apply_waivers(findings, waivers, today, ...)        -> the findings, some now `waived`

A finding covered by an active waiver keeps its rule and message, gets severity `waived` and
the waiver itself (`waived_by`: id, approver, reason, ticket), and no longer fails the run.
Findings about a waiver (`waiver.*` rules) name it in `about_waiver`: they were not waived.
Waivers are judged on `today` (an argument, as everywhere): before `approved_on` and after
`expires` they do not apply and are reported; within 30 days of expiry they apply and warn;
an active waiver that covers nothing is reported as unused. Authorities decide what may be
waived: a waiver granted under one with `waivable: false` (FY2018 NDAA §1634, BOD 17-01, the
BIS Kaspersky determination: no waiver mechanism is known for them) is rejected, and no
waiver covers a finding that such an authority reaches. A file that could not be read or
fails its schema was never matched: its findings (rules.UNWAIVABLE) are never waived, and a
waiver naming them is rejected. So is one lasting longer than the configured maximum (a year
by default), one found among the checked files whose `files` globs leave its own folder
(they are relative to it), and one whose globs cover every file unless the configuration
allows that. Waivers live outside the engines on purpose, so a policy cannot waive itself
and every engine (embedded, OPA server, Python) is waived the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from procgate import rules
from procgate.errors import DataError
from procgate.model import Authority, Document, Finding, Kind, Severity, Waiver, WaiverScope
from procgate.validate import validate

EXPIRING_DAYS = 30  # a waiver expiring within this many days (inclusive) warns
_WAIVABLE = {Severity.DENY, Severity.WARN}


@dataclass(frozen=True)
class Limits:
    """What the configuration allows a waiver (procgate.yaml)."""

    max_days: int | None = None  # longest approved_on..expires; None: one calendar year
    all_files: bool = False  # may a waiver's `files` cover every file (`**`)?


@dataclass(frozen=True)
class Target:
    """What a waiver's scope is compared with, for one checked file."""

    path: str  # relative to the project root, with forward slashes
    request: str | None = None  # the purchase request id (an SBOM inherits its request's)


def parse_waiver(doc: Document) -> Waiver | None:
    """The waiver in a `kind: Waiver` document; None when the document fails its schema
    (validate reports why, and a malformed waiver must not waive anything)."""
    if doc.kind is not Kind.WAIVER or validate(doc):
        return None
    d = doc.data
    scope = d["scope"]
    keys = ("id", "entity", "rule", "scope", "expires", "approved_on", "authority")
    return Waiver(
        id=d["id"],
        rule=d.get("rule"),
        entity=d.get("entity"),
        scope=WaiverScope(
            files=tuple(scope.get("files", ())),
            requests=tuple(scope.get("requests", ())),
            components=tuple(scope.get("components", ())),
        ),
        approver=d["approved_by"],
        reason=d["reason"],
        ticket=d.get("ticket", ""),
        expires=date.fromisoformat(d["expires"]),
        approved_on=date.fromisoformat(d["approved_on"]),
        authority=d.get("authority"),
        positions={k: doc.position(f"/{k}") for k in keys if k in d},
    )


def load_waiver_files(paths: Sequence[Path], display: Callable[[Path], str]) -> list[Waiver]:
    """The waivers in files and folders named by the config. Like a ban list, a configured
    waiver file that cannot be read or fails its schema stops the run (DataError, exit 2):
    the run depends on it."""
    from procgate.load import discover, load

    for path in paths:
        if not path.exists():
            raise DataError(f"no such waiver file or folder: {path}", "check `waivers:`")
    waivers: list[Waiver] = []
    for path, explicit in discover(list(paths)):
        doc = load(path, display(path), explicit=explicit)
        if doc is None or (
            isinstance(doc, Document) and doc.kind is not Kind.WAIVER and not explicit
        ):
            continue  # another kind of file in a waivers folder
        if isinstance(doc, Finding):
            raise DataError(f"{doc.position.file}:{doc.position.line}: {doc.message}")
        if doc.kind is not Kind.WAIVER:
            raise DataError(f"{doc.path}: not a waiver (kind: Waiver)", "check `waivers:`")
        problems = validate(doc)
        if problems:
            lines = [f"{f.position.file}:{f.position.line}: {f.message}" for f in problems]
            raise DataError("\n  ".join(lines), "a waiver must match schemas/waiver.schema.json")
        waiver = parse_waiver(doc)
        if waiver is not None:
            waivers.append(waiver)
    return waivers


def apply_waivers(
    findings: Iterable[Finding],
    waivers: Sequence[Waiver],
    today: date,
    *,
    authorities: Mapping[str, Authority],
    targets: Mapping[str, Target] | None = None,
    quiet_unused: Collection[str] = (),
    limits: Limits | None = None,
) -> list[Finding]:
    """The findings with covered ones waived, followed by findings about the waivers.

    `quiet_unused`: ids of waivers not to report as unused (configured waivers when only
    some files are checked: they may well cover files this run did not see)."""
    targets = targets or {}
    out: list[Finding] = []
    active, notes = _judge(
        sorted(waivers, key=lambda w: w.id), today, authorities, limits or Limits()
    )
    used: set[str] = set()
    blocked: dict[str, list[Finding]] = {}
    for f in findings:
        target = targets.get(f.position.file) or Target(f.position.file)
        candidates = [w for w in active if _eligible(f) and _covers(w, f, target)]
        waiver = next((w for w in candidates if _may_waive(w, f, authorities)), None)
        if waiver is not None:
            used.add(waiver.id)
            out.append(replace(f, severity=Severity.WAIVED, waived_by=waiver))
            continue
        for w in candidates:
            blocked.setdefault(w.id, []).append(f)
        out.append(f)
    for w in active:
        if w.id in blocked:
            notes.append(_not_applicable(w, blocked[w.id], authorities))
        elif w.id not in used and w.id not in quiet_unused:
            notes.append(
                _note(
                    w,
                    rules.WAIVER_UNUSED,
                    "scope",
                    f"waiver {w.id} matches no finding ({_describe(w)})",
                )
            )
    return out + notes


# ---------------------------------------------------------------- is the waiver usable?


def _judge(
    waivers: Sequence[Waiver],
    today: date,
    authorities: Mapping[str, Authority],
    limits: Limits,
) -> tuple[list[Waiver], list[Finding]]:
    """(active waivers, findings about the others and about those expiring soon)."""
    active: list[Waiver] = []
    notes: list[Finding] = []
    first: dict[str, Waiver] = {}
    for w in waivers:
        problem = _rejection(w, first, authorities) or _beyond(w, limits)
        first.setdefault(w.id, w)
        if problem:
            key, message = problem
            notes.append(_note(w, rules.WAIVER_REJECTED, key, message, Severity.DENY))
        elif today < w.approved_on:
            notes.append(
                _note(
                    w,
                    rules.WAIVER_NOT_YET_ACTIVE,
                    "approved_on",
                    f"waiver {w.id} is approved from {w.approved_on}; it does not apply on {today}",
                )
            )
        elif today > w.expires:
            days = (today - w.expires).days
            notes.append(
                _note(
                    w,
                    rules.WAIVER_EXPIRED,
                    "expires",
                    f"waiver {w.id} expired on {w.expires} ({_days(days)} ago); the "
                    "findings it covered count again",
                )
            )
        else:
            active.append(w)
            left = (w.expires - today).days
            if left <= EXPIRING_DAYS:
                when = "today" if left == 0 else f"in {_days(left)}"
                notes.append(
                    _note(
                        w,
                        rules.WAIVER_EXPIRING,
                        "expires",
                        f"waiver {w.id} expires on {w.expires}, {when}",
                    )
                )
    return active, notes


def _rejection(
    w: Waiver, first: Mapping[str, Waiver], authorities: Mapping[str, Authority]
) -> tuple[str, str] | None:
    if w.id in first:
        other = first[w.id].position("id")
        return "id", f"waiver id {w.id} is already used in {other.file}:{other.line}"
    if w.expires < w.approved_on:
        return "expires", f"waiver {w.id} expires ({w.expires}) before approval ({w.approved_on})"
    if w.authority is None:
        return None
    auth = authorities.get(w.authority)
    if auth is None:
        known = ", ".join(sorted(a for a in authorities if authorities[a].waivable))
        return "authority", (
            f"waiver {w.id} is granted under {w.authority!r}, which no loaded "
            f"ban list defines (waivable authorities: {known or 'none'})"
        )
    if not auth.waivable:
        return "authority", (
            f"waiver {w.id} is granted under {auth.title} ({auth.id}), which "
            "allows no waivers: no waiver mechanism is known for it"
        )
    return None


def _beyond(w: Waiver, limits: Limits) -> tuple[str, str] | None:
    """What a waiver may not do whatever its authority: waive a file that could not be read,
    last longer than the longest duration, reach out of its own folder, or cover everything."""
    if w.rule in rules.UNWAIVABLE:
        return "rule", (
            f"waiver {w.id} names {w.rule}: a file that could not be read or does "
            "not match its schema cannot be waived; fix the file"
        )
    last = _last_allowed(w.approved_on, limits.max_days)
    if w.expires > last:
        longest = f"{limits.max_days} days" if limits.max_days else "one year"
        return "expires", (
            f"waiver {w.id} runs until {w.expires}, longer than {longest} after "
            f"its approval ({w.approved_on}); the latest allowed is {last}"
        )
    s = w.scope
    if w.folder is not None:
        for p in s.files:
            if p.startswith("/") or ".." in p.replace("\\", "/").split("/"):
                return "scope", (
                    f"waiver {w.id} reaches out of its folder ({p!r}): a waiver among "
                    "the checked files covers only files in its own folder and below"
                )
    at_root = w.folder in (None, "", ".")
    if (
        at_root
        and not limits.all_files
        and not s.requests
        and not s.components
        and any(_everything(p) for p in s.files)
    ):
        return "scope", (
            f"waiver {w.id} covers every file ({', '.join(s.files)}); name the files, "
            "requests or components it is for, or set `waivers-may-cover-all-files: "
            "true` in procgate.yaml"
        )
    return None


def _last_allowed(approved: date, max_days: int | None) -> date:
    if max_days is not None:
        return approved + timedelta(days=max_days)
    try:
        return approved.replace(year=approved.year + 1)
    except ValueError:  # 29 February
        return approved.replace(year=approved.year + 1, day=28)


def _everything(pattern: str) -> bool:
    """`**`, `**/*`, `./**` ...: a glob of wildcards only, crossing folders."""
    bare = pattern.strip().removeprefix("./")
    return "**" in bare and set(bare) <= {"*", "/"}


# ---------------------------------------------------------------- does it cover a finding?


def _eligible(f: Finding) -> bool:
    return (
        f.severity in _WAIVABLE
        and not f.rule.startswith("waiver.")
        and f.rule not in rules.UNWAIVABLE
    )


def _covers(w: Waiver, f: Finding, target: Target) -> bool:
    if w.entity is not None and f.entity != w.entity:
        return False
    if w.rule is not None and f.rule != w.rule:
        return False
    s = w.scope
    if s.files and not any(_glob(_from(w.folder, p)).fullmatch(target.path) for p in s.files):
        return False
    if s.requests and target.request not in s.requests:
        return False
    return not s.components or any(_same_package(p, f.component) for p in s.components)


def _may_waive(w: Waiver, f: Finding, authorities: Mapping[str, Authority]) -> bool:
    """No finding reached by an unwaivable (or unknown) authority is waived; a waiver granted
    under one authority waives only findings of that authority."""
    if _unwaivable(f, authorities):
        return False
    return w.authority is None or not f.authorities or w.authority in f.authorities


def _unwaivable(f: Finding, authorities: Mapping[str, Authority]) -> list[str]:
    return [a for a in f.authorities if a not in authorities or not authorities[a].waivable]


def _from(folder: str | None, pattern: str) -> str:
    """A waiver's glob from the project root (a waiver in the tree: from its own folder)."""
    if folder in (None, "", "."):
        return pattern
    return f"{folder}/{pattern.strip().removeprefix('./')}"


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """`*` stays within a folder, `**` crosses folders, `?` is one character."""
    pattern = pattern.strip().removeprefix("./")
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def _same_package(scope_purl: str, purl: str | None) -> bool:
    """pkg:npm/x@1.2 matches only 1.2; pkg:npm/x matches every version. Qualifiers and
    subpaths are ignored on both sides."""
    if not purl:
        return False
    want, have = _bare(scope_purl), _bare(purl)
    if _has_version(want):
        return want == have
    return want == have.rsplit("@", 1)[0] if _has_version(have) else want == have


def _bare(purl: str) -> str:
    return re.split(r"[?#]", purl.strip(), maxsplit=1)[0].rstrip("/")


def _has_version(purl: str) -> bool:
    return "@" in purl.split("/", 1)[-1]  # an @ in a namespace is written %40


# ---------------------------------------------------------------- findings about waivers


def _note(
    w: Waiver, rule: str, key: str, message: str, severity: Severity = Severity.WARN
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        position=w.position(key),
        pointer=f"/{key}",
        entity=w.entity,
        about_waiver=w.id,
        authorities=(w.authority,) if w.authority else (),
    )


def _not_applicable(
    w: Waiver, blocked: Sequence[Finding], authorities: Mapping[str, Authority]
) -> Finding:
    stops = sorted({a for f in blocked for a in _unwaivable(f, authorities)})
    names = "; ".join(authorities[a].title if a in authorities else a for a in stops)
    where = ", ".join(f"{f.position.file}:{f.position.line}" for f in blocked[:5])
    more = f" and {len(blocked) - 5} more" if len(blocked) > 5 else ""
    if not stops:  # covered only findings of other authorities than the one it is granted under
        message = (
            f"waiver {w.id} matches {where}{more}, but is granted under {w.authority}, "
            "which is not an authority of those findings; they stand"
        )
    else:
        message = (
            f"waiver {w.id} matches {where}{more}, but {names} allow(s) no waivers; "
            "the finding stands"
        )
    return replace(_note(w, rules.WAIVER_NOT_APPLICABLE, "id", message), authorities=tuple(stops))


def _describe(w: Waiver) -> str:
    parts = [f"entity {w.entity}" if w.entity else "", f"rule {w.rule}" if w.rule else ""]
    s = w.scope
    for name, values in (
        ("files", s.files),
        ("requests", s.requests),
        ("components", s.components),
    ):
        if values:
            parts.append(f"{name} {', '.join(values)}")
    return "; ".join(p for p in parts if p)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"
