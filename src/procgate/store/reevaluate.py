"""`inventory reevaluate --data NEW`: what a ban-list change does to what the store already
knows, decided again from each file's stored vendor-naming values (values.py) without reading
any file: which items are newly covered, no longer covered, or change severity.

Only the decision is made again (matching and the Rego and Python policies, with the new
lists, as of --date, for the audience each file was checked for), and only for what the change
can affect: each sweep keeps a digest of each entity's data (digests.py), so the items of
entities whose data did not change (nor cross a date between the sweep and --date) are kept
as they are, and a file that names no changed entity is not even read from the store.
Nothing is written to the store: the next `scan --store` records what is true. A waived item
stays waived (its waiver is about the item, not the list).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from procgate import rules
from procgate.match import strongest_per_owner
from procgate.model import BanData, Context, Finding, Match
from procgate.pipeline import Checker
from procgate.store import digests
from procgate.store.keys import Identity, numbered
from procgate.store.models import File, StoredFinding, Sweep
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
    files: int = 0  # files with items before or after
    decided: int = 0  # files whose items were decided again (the rest: the change cannot
    #                   affect them)
    skipped: int = 0  # files whose values the store does not hold (never read whole)
    unchanged: int = 0

    def as_dict(self) -> dict[str, Any]:
        def d(x: Decided) -> dict[str, Any]:
            return {**x.__dict__, "authorities": list(x.authorities)}

        return {
            "files": self.files,
            "decided": self.decided,
            "skipped": self.skipped,
            "unchanged": self.unchanged,
            "newly_covered": [d(x) for x in self.newly],
            "no_longer_covered": [d(x) for x in self.no_longer],
            "severity_changed": [{**d(x), "before": b} for x, b in self.changed],
        }


def reevaluate(
    conn: Connection,
    checker: Checker,
    today: date,
    audience: str | None,
    *,
    policies: str = "",
    custom_policies: bool = True,
) -> Outcome:
    """Every file the store holds values for, decided again with `checker`'s data.

    Only what the data change can affect is decided again: for each file, the items of the
    entities whose data differ from what the sweep that last read the file decided with
    (digests.affected), found among its stored values with the new matcher. A file without
    such an entity is not even decoded. Everything is decided again when the sweep kept no
    digests (an older store), when `audience` is given, when the policies differ (`policies`:
    capture.policy_digest, compared with the sweep's), or when the date moved and
    `custom_policies` (a policy outside procgate's, which may read the date any way) run."""
    stored: dict[int, dict[str, Any]] = defaultdict(dict)
    for f in conn.execute(select(*_STORED).where(StoredFinding.resolved_at.is_(None))):
        stored[f.file_id][f.key] = f
    scope = _Scope(conn, checker.ban_data, today, audience, policies, custom_policies)
    out = Outcome()
    files = conn.execute(
        select(File.id, File.path, File.display, File.vendor_values, File.last_sweep_id).where(
            File.gone_at.is_(None)
        )
    )
    for fid, key, display, blob, sweep in files:
        before = stored.pop(fid, {})
        if not blob:
            out.skipped += bool(before)
            continue
        entities = scope.of(sweep)
        if entities is not None and not entities:  # nothing it could hold changed
            out.files += bool(before)
            out.unchanged += len(before)
            continue
        s = decode(display, blob)
        matches = strongest_per_owner(checker.matcher.match(s.subjects))
        kept = 0
        if entities is not None:
            matches = [m for m in matches if m.entity_id in entities]
            mine = {k: f for k, f in before.items() if f.entity in entities}
            kept, before = len(before) - len(mine), mine
        now = _decide(checker, s, matches, key, today, audience) if matches else {}
        out.decided += bool(matches)
        out.unchanged += kept
        if not now and not before:
            out.files += kept > 0
            continue
        out.files += 1
        _compare(out, display, before, now)
    for before in stored.values():  # findings whose file the store holds no values for
        out.skipped += bool(before)
    return out


_STORED = (
    StoredFinding.key,
    StoredFinding.file_id,
    StoredFinding.entity,
    StoredFinding.location,
    StoredFinding.occurrence,
    StoredFinding.severity,
    StoredFinding.rule,
    StoredFinding.authorities,
    StoredFinding.item,
)


class _Scope:
    """Per sweep: the entities whose items may be decided differently now (None: all)."""

    def __init__(
        self,
        conn: Connection,
        ban_data: BanData,
        today: date,
        audience: str | None,
        policies: str,
        custom_policies: bool,
    ) -> None:
        self._ban_data = ban_data
        self._today = today
        self._audience = audience
        self._policies = policies
        self._custom = custom_policies
        self._now = digests.entity_digests(ban_data)
        self._sweeps = {
            r.id: r
            for r in conn.execute(
                select(
                    Sweep.id, Sweep.as_of, Sweep.audience, Sweep.policy_digest, Sweep.entity_digests
                )
            )
        }
        self._cache: dict[int, set[str] | None] = {}

    def of(self, sweep_id: int) -> set[str] | None:
        if sweep_id not in self._cache:
            self._cache[sweep_id] = self._entities(sweep_id)
        return self._cache[sweep_id]

    def _entities(self, sweep_id: int) -> set[str] | None:
        sweep = self._sweeps.get(sweep_id)
        if sweep is None or self._audience is not None or sweep.policy_digest != self._policies:
            return None
        if self._custom and sweep.as_of != self._today:
            return None
        before = digests.decode(sweep.entity_digests)
        return digests.affected(before, self._now, self._ban_data, sweep.as_of, self._today)


def _decide(
    checker: Checker,
    s: Stored,
    matches: list[Match],
    file_key: str,
    today: date,
    audience: str | None,
) -> dict[str, tuple[Finding, str, tuple[str, str, int]]]:
    """key -> (finding, item label, (entity, location, occurrence)) of the ban findings for
    one stored file, from `matches` (its strongest matches, or those of some entities)."""
    ctx = Context(audience or s.audience, today, s.use)
    found = [
        f
        for engine in checker.engines
        for f in engine.evaluate(s.doc, s.subjects, matches, ctx)
        if f.entity and f.rule != rules.LISTED_NOT_BANNED and f.about_waiver is None
    ]
    labels = {sub.owner.pointer: sub.owner.label for sub in s.subjects}
    owners = set(s.locations)
    located = [(f, _owner(f.pointer, owners)) for f in found]
    identities: list[Identity] = [
        (f.rule, f.entity or "", file_key, s.locations.get(o, f.pointer)) for f, o in located
    ]
    return {
        key: (f, labels.get(o, o), (ident[1], ident[3], n))
        for (f, o), (ident, n, key) in zip(located, numbered(identities), strict=True)
    }


def _owner(pointer: str, owners: Collection[str]) -> str:
    """The purchase item or component a finding's pointer is about (its longest prefix, at
    a '/', among the owners' pointers; "" when none is)."""
    p = pointer
    while p:
        if p in owners:
            return p
        p = p.rsplit("/", 1)[0] if "/" in p else ""
    return ""


def _compare(
    out: Outcome,
    display: str,
    before: dict[str, Any],  # key -> a stored finding's row (_STORED)
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
    lines = [
        f"Decided again from the store: {out.files} files (no file was read); "
        f"{out.decided} named an entity whose data changed and were decided again."
    ]
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
