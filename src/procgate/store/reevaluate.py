"""`inventory reevaluate --data NEW`: what a ban-list change does to what the store already
knows, decided again from each file's stored vendor-naming values (values.py) without reading
any file: which items are newly covered, no longer covered, or change severity.

Only the decision is made again (matching and the Rego and Python policies, with the new
lists, as of --date, for the audience each file was checked for); nothing is written to the
store: the next `scan --store` records what is true. A waived item stays waived (its waiver
is about the item, not the list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from procgate import rules
from procgate.match import strongest_per_owner
from procgate.model import BanData, Context, Finding
from procgate.pipeline import Checker
from procgate.store.db import orm
from procgate.store.keys import Identity, numbered
from procgate.store.models import File, StoredFinding
from procgate.store.values import Stored, decode


@dataclass(frozen=True)
class Decided:
    file: str  # as the sweep showed it
    entity: str
    rule: str
    severity: str
    authorities: tuple[str, ...]
    item: str


@dataclass
class Outcome:
    newly: list[Decided] = field(default_factory=list)
    no_longer: list[Decided] = field(default_factory=list)
    changed: list[tuple[Decided, str]] = field(default_factory=list)  # (now, severity before)
    files: int = 0  # files decided again
    skipped: int = 0  # files whose values the store does not hold (never read whole)
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        def d(x: Decided) -> dict[str, Any]:
            return {**x.__dict__, "authorities": list(x.authorities)}

        return {
            "files": self.files,
            "skipped": self.skipped,
            "unchanged": self.unchanged,
            "newly_covered": [d(x) for x in self.newly],
            "no_longer_covered": [d(x) for x in self.no_longer],
            "severity_changed": [{**d(x), "before": b} for x, b in self.changed],
        }


def reevaluate(conn: Connection, checker: Checker, today: date, audience: str | None) -> Outcome:
    """Every file the store holds values for, decided again with `checker`'s data."""
    stored: dict[int, dict[str, StoredFinding]] = defaultdict(dict)
    for f in (
        orm(conn)
        .execute(select(StoredFinding).where(StoredFinding.resolved_at.is_(None)))
        .scalars()
    ):
        stored[f.file_id][f.key] = f
    out = Outcome()
    files = conn.execute(
        select(File.id, File.path, File.display, File.vendor_values).where(File.gone_at.is_(None))
    )
    for fid, key, display, blob in files:
        before = stored.pop(fid, {})
        if not blob:
            out.skipped += bool(before)
            continue
        now = _decide(checker, decode(display, blob), key, today, audience)
        if not now and not before:
            continue
        out.files += 1
        _compare(out, display, before, now)
    for before in stored.values():  # findings whose file the store holds no values for
        out.skipped += bool(before)
    return out


def _decide(
    checker: Checker, s: Stored, file_key: str, today: date, audience: str | None
) -> dict[str, tuple[Finding, str, tuple[str, str, int]]]:
    """key -> (finding, item label, (entity, location, occurrence)) of the ban findings for
    one stored file."""
    matches = strongest_per_owner(checker.matcher.match(s.subjects))
    if not matches:
        return {}
    ctx = Context(audience or s.audience, today, s.use)
    found = [
        f
        for engine in checker.engines
        for f in engine.evaluate(s.doc, s.subjects, matches, ctx)
        if f.entity and f.rule != rules.LISTED_NOT_BANNED and f.about_waiver is None
    ]
    labels = {sub.owner.pointer: sub.owner.label for sub in s.subjects}
    owners = sorted(s.locations, key=len, reverse=True)
    located = [(f, _owner(f.pointer, owners)) for f in found]
    identities: list[Identity] = [
        (f.rule, f.entity or "", file_key, s.locations.get(o, f.pointer)) for f, o in located
    ]
    return {
        key: (f, labels.get(o, o), (ident[1], ident[3], n))
        for (f, o), (ident, n, key) in zip(located, numbered(identities), strict=True)
    }


def _owner(pointer: str, owners: Iterable[str]) -> str:
    """The purchase item or component a finding's pointer is about (longest owner prefix)."""
    for o in owners:
        if pointer == o or pointer.startswith(o + "/") or not o:
            return o
    return ""


def _compare(
    out: Outcome,
    display: str,
    before: dict[str, StoredFinding],
    now: dict[str, tuple[Finding, str, tuple[str, str, int]]],
) -> None:
    # An item whose rule changes (advisory -> banned) is the same item: matched by entity,
    # location and occurrence when its key (which holds the rule) is new.
    same_item = {(f.entity, f.location, f.occurrence): k for k, f in before.items()}
    taken: set[str] = set()
    for key, (f, item, where) in now.items():
        decided = Decided(display, f.entity or "", f.rule, str(f.severity), f.authorities, item)
        if key not in before and (k := same_item.get(where)) is not None and k not in now:
            key = k
        taken.add(key)
        old = before.get(key)
        if old is None:
            out.newly.append(decided)
        elif old.severity != decided.severity and old.severity != "waived":
            out.changed.append((decided, old.severity))
        else:
            out.unchanged += 1
    for key, old in before.items():
        if key not in taken:
            out.no_longer.append(
                Decided(
                    display, old.entity, old.rule, old.severity, tuple(old.authorities), old.item
                )
            )


def summary(out: Outcome, ban_data: BanData) -> list[str]:
    """'12 items in 9 files are newly covered by the FCC Covered List's listing of SZ DJI
    Technology Co., Ltd. (2025-12-22)', one line per entity and authority, then the rest."""
    lines = [f"Decided again from the store: {out.files} files (no file was read)."]
    lines += _grouped(out.newly, ban_data, "newly covered by")
    lines += _grouped(out.no_longer, ban_data, "no longer covered by")
    moved: dict[tuple[str, str, str], list[Decided]] = defaultdict(list)
    for now, was in out.changed:
        moved[(now.entity, was, now.severity)].append(now)
    for (entity, was, severity), group in sorted(moved.items()):
        lines.append(
            f"{_count(group)} {'changes' if len(group) == 1 else 'change'} severity for "
            f"{_name(ban_data, entity)}: "
            f"{_WORDS.get(was, was)} -> {_WORDS.get(severity, severity)}"
        )
    if not (out.newly or out.no_longer or out.changed):
        lines.append("Nothing the store knows changes with these lists.")
    if out.skipped:
        lines.append(
            f"{out.skipped} files with findings have no stored values (recorded unreadable): "
            "not decided again; sweep them with `procgate scan --store`."
        )
    return lines


_WORDS = {"deny": "banned", "warn": "to review", "waived": "waived"}


def _grouped(found: list[Decided], ban_data: BanData, verb: str) -> list[str]:
    groups: dict[tuple[str, str], list[Decided]] = defaultdict(list)
    for d in found:
        for authority in d.authorities or ("",):
            groups[(d.entity, authority)].append(d)
    lines = []
    for (entity, authority), group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        lines.append(
            f"{_count(group)} {'is' if len(group) == 1 else 'are'} {verb} "
            f"{_listing(ban_data, entity, authority)}"
        )
    return lines


def _count(group: list[Decided]) -> str:
    files = len({d.file for d in group})
    items = len(group)
    return f"{items} item{'s' if items != 1 else ''} in {files} file{'s' if files != 1 else ''}"


def _name(ban_data: BanData, entity: str) -> str:
    e = ban_data.entities.get(entity)
    return e.name if e else entity


def _listing(ban_data: BanData, entity: str, authority: str) -> str:
    a = ban_data.authorities.get(authority)
    title = a.title if a else (authority or "a policy")
    e = ban_data.entities.get(entity)
    since = next((li.since for li in e.listings if li.authority == authority), None) if e else None
    when = f" ({since.isoformat()})" if since else ""
    return f"{title}'s listing of {_name(ban_data, entity)}{when}"
