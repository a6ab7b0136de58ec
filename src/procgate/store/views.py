"""What the inventory commands and the web page show, read from the store: items, their
groups by vendor and authority, overdue ones, and open items over time (the burn-down)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from procgate.store.db import orm
from procgate.store.models import Change, File, StoredFinding, Sweep
from procgate.store.workflow import CLOSED, is_open, overdue


@dataclass(frozen=True)
class Item:
    finding: StoredFinding
    file: str  # as the sweep showed it
    overdue: bool

    @property
    def open(self) -> bool:
        return is_open(self.finding)

    def as_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "id": f.id,
            "status": f.status,
            "found": "resolved" if f.resolved_at else "found",
            "overdue": self.overdue,
            "due": f.due.isoformat() if f.due else None,
            "due_basis": f.due_basis,
            "owner": f.owner,
            "entity": f.entity,
            "rule": f.rule,
            "severity": f.severity,
            "authorities": list(f.authorities),
            "file": self.file,
            "line": f.line,
            "item": f.item,
            "matched": f.matched,
            "first_seen": f.first_seen.isoformat(),
            "last_seen": f.last_seen.isoformat(),
            "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None,
            "notes": f.notes,
        }


def items(conn: Connection, today: date, *, everything: bool = False) -> list[Item]:
    """Open items (overdue first, then by due date), or every item with `everything`."""
    rows = orm(conn).execute(
        select(StoredFinding, File.display).join(File, File.id == StoredFinding.file_id)
    )
    found = [Item(f, display, overdue(f, today)) for f, display in rows]
    if not everything:
        found = [i for i in found if i.open]
    found.sort(key=lambda i: (not i.overdue, not i.open, i.finding.due or date.max, i.finding.id))
    return found


def item(conn: Connection, finding_id: int, today: date) -> Item | None:
    """One item, open or not; None when the store has no finding `finding_id`."""
    row = (
        orm(conn)
        .execute(
            select(StoredFinding, File.display)
            .join(File, File.id == StoredFinding.file_id)
            .where(StoredFinding.id == finding_id)
        )
        .first()
    )
    if row is None:
        return None
    f, display = row
    return Item(f, display, overdue(f, today))


def by_vendor_and_authority(found: Sequence[Item]) -> dict[str, Counter[str]]:
    """entity -> authority -> open items (an item under two authorities counts under each)."""
    groups: dict[str, Counter[str]] = {}
    for i in found:
        counter = groups.setdefault(i.finding.entity, Counter())
        for authority in i.finding.authorities or ["(none)"]:
            counter[authority] += 1
    return dict(sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))


def burn_down(conn: Connection, now: datetime) -> list[tuple[datetime, int]]:
    """(time, open items) at each sweep and at `now`: an item counts from first seen until it
    is resolved (no longer found) or closed (removed, accepted-risk, false-positive)."""
    closed_at: dict[int, datetime] = {}
    for fid, record_at, record in conn.execute(
        select(Change.finding_id, Change.at, Change.record).order_by(Change.seq)
    ):
        status = _new_status(record)
        if status is None:
            continue
        if status in CLOSED:
            closed_at[fid] = record_at
        else:
            closed_at.pop(fid, None)
    spans = [
        (
            f.first_seen,
            min(t for t in (f.resolved_at, closed_at.get(f.id)) if t is not None)
            if f.resolved_at or f.id in closed_at
            else None,
        )
        for f in orm(conn).execute(select(StoredFinding)).scalars()
    ]
    times = [t for (t,) in conn.execute(select(Sweep.recorded_at).order_by(Sweep.recorded_at))]
    points = []
    for t in [*times, now]:
        t = _aware(t)
        count = sum(
            1 for start, end in spans if _aware(start) <= t and (end is None or _aware(end) > t)
        )
        points.append((t, count))
    return points


def _new_status(record: str) -> str | None:
    import json

    try:
        change = json.loads(record).get("changes", {}).get("status")
    except (ValueError, AttributeError):
        return None
    return change[1] if isinstance(change, list) and len(change) == 2 else None


def _aware(t: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC); PostgreSQL aware ones."""
    from datetime import UTC

    return t if t.tzinfo else t.replace(tzinfo=UTC)
