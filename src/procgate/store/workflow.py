"""The remediation workflow: each finding's status, owner, due date and notes, and the
hash-chained history of every change to them (who, when, why).

Statuses follow a removal: open -> investigating -> removal-planned -> removed; or
accepted-risk (only where every authority naming the finding allows waivers) or
false-positive. The history is one chain over the whole store, made with the audit log's
chaining (audit.link): editing a change, removing or reordering one, or changing a status
behind procgate's back (an UPDATE that adds no change) is found by `verify`.

Due dates come from the authority's clock (deadlines.py): BOD 17-01 ordered removal to begin
90 days after 2017-09-13, so a Kaspersky item is due then, however late it was found; an
entity listed later under a directive with a clock is due that many days after its listing;
an authority without a clock gets BOD 17-01's steps counted from when the item was first seen
(or from the listing's effective date, when that is later). The earliest wins; a due date set
by hand (`inventory set --due`) replaces the clock's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from procgate.audit import GENESIS, canonical, check_link, link
from procgate.deadlines import CLOCKS, Clock
from procgate.explain import banned_since
from procgate.model import BanData
from procgate.store.db import StoreError, orm
from procgate.store.models import Change, StoredFinding

STATUSES = (
    "open",
    "investigating",
    "removal-planned",
    "removed",
    "accepted-risk",
    "false-positive",
)
CLOSED = frozenset({"removed", "accepted-risk", "false-positive"})
FIELDS = ("status", "owner", "due", "notes")
# An authority that sets no clock of its own gets BOD 17-01's, counted from first seen.
_DEFAULT_CLOCK: Clock = CLOCKS["dhs-bod-17-01"]


def due_date(
    entity: str, authorities: Sequence[str], first_seen: date, ban_data: BanData, audience: str
) -> tuple[date, str]:
    """(when removal must begin, why): the earliest over the finding's authorities."""
    options: list[tuple[date, str]] = []
    for authority in authorities or ("",):
        clock = CLOCKS.get(authority)
        step = (clock or _DEFAULT_CLOCK).steps[-1]
        since = banned_since(ban_data, entity, authority, audience) if authority else None
        if clock is not None and (since is None or since <= clock.start):
            start, basis = clock.start, clock.basis
        elif clock is not None and since is not None:
            start, basis = since, f"banned under {authority} since {since.isoformat()}"
        else:
            start = max(first_seen, since) if since else first_seen
            how = "first seen" if start == first_seen else "in force"
            basis = (
                f"{authority or 'the policy'} sets no clock: BOD 17-01's, from {how} "
                f"{start.isoformat()}"
            )
        due = start + timedelta(days=step.days)
        options.append((due, f"{step.what} within {step.days} days; {basis}"))
    return min(options)


def is_open(f: StoredFinding) -> bool:
    """Still to deal with: found in the latest sweep of its file, and not closed."""
    return f.resolved_at is None and f.status not in CLOSED


def overdue(f: StoredFinding, today: date) -> bool:
    return is_open(f) and f.due is not None and f.due < today


@dataclass(frozen=True)
class Edit:
    status: str | None = None
    owner: str | None = None
    due: date | None = None
    note: str | None = None


def apply_edit(
    conn: Connection, ids: Iterable[int], edit: Edit, who: str, why: str, at: datetime
) -> list[dict[str, Any]]:
    """Change the findings `ids` (inside the caller's write transaction): each change is
    checked, applied and chained into the history. Returns the change records."""
    if not who.strip():
        raise StoreError("who made the change is required (--by)")
    if not why.strip():
        raise StoreError("why is required (--why): the history records the reason")
    if edit.status is not None and edit.status not in STATUSES:
        raise StoreError(f"unknown status {edit.status!r}", f"one of {', '.join(STATUSES)}")
    records = []
    for fid in ids:
        finding = orm(conn).execute(select(StoredFinding).where(StoredFinding.id == fid)).first()
        if finding is None:
            raise StoreError(f"no finding {fid} in the store", "`procgate inventory list`")
        f: StoredFinding = finding[0]
        if edit.status == "accepted-risk" and not f.waivable:
            named = ", ".join(f.authorities) or "no authority"
            raise StoreError(
                f"finding {fid}: accepted-risk is not allowed: {named} allow no waiver",
                "only a finding whose every authority allows waivers may be accepted",
            )
        new: dict[str, Any] = {}
        if edit.status is not None and edit.status != f.status:
            new["status"] = edit.status
        if edit.owner is not None and edit.owner != f.owner:
            new["owner"] = edit.owner
        if edit.due is not None and edit.due != f.due:
            new["due"] = edit.due
        if edit.note:
            new["notes"] = f.notes + f"{at.date().isoformat()} {who}: {edit.note.strip()}\n"
        if not new:
            continue
        records.append(record_change(conn, f, new, who, why, at))
    return records


def record_change(
    conn: Connection, f: StoredFinding, new: dict[str, Any], who: str, why: str, at: datetime
) -> dict[str, Any]:
    """Apply `new` (field -> value) to finding `f` and chain the change into the history."""
    changes = {k: [_plain(getattr(f, k)), _plain(v)] for k, v in new.items()}
    values = dict(new)
    if "due" in new:
        values["due_by_hand"] = True
    conn.execute(update(StoredFinding).where(StoredFinding.id == f.id).values(**values))
    last = conn.execute(select(Change.seq, Change.hash).order_by(Change.seq.desc()).limit(1))
    row = last.first()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    body = link(
        {
            "finding": f.id,
            "key": f.key,
            "at": at.isoformat(),
            "who": who,
            "why": why,
            "changes": changes,
        },
        prev,
        seq,
    )
    conn.execute(
        insert(Change).values(
            seq=seq,
            finding_id=f.id,
            at=at,
            who=who,
            why=why,
            record=canonical(body),
            hash=body["hash"],
        )
    )
    return body


def last_change(conn: Connection, finding_id: int) -> int:
    """The sequence number of the latest change to a finding (0: none yet). A form shows
    it and sends it back, so an edit made from a page that is out of date is refused."""
    seq = conn.execute(select(func.max(Change.seq)).where(Change.finding_id == finding_id)).scalar()
    return int(seq or 0)


def history(conn: Connection, finding_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(Change.record).where(Change.finding_id == finding_id).order_by(Change.seq)
    )
    return [json.loads(r[0]) for r in rows]


def verify(conn: Connection) -> tuple[int, list[str]]:
    """(changes checked, problems): the chain, each change against its row, and each
    finding's status, owner, due date and notes against what its history says."""
    problems: list[str] = []
    prev, expected = GENESIS, 1
    state: dict[int, dict[str, Any]] = {}
    count = 0
    for seq, fid, who, why, text, digest in conn.execute(
        select(
            Change.seq, Change.finding_id, Change.who, Change.why, Change.record, Change.hash
        ).order_by(Change.seq)
    ):
        count += 1
        problem = check_link(text, prev, expected)
        record = _loads(text)
        if problem:
            problems.append(f"change {seq}: {problem}")
        elif (
            record.get("finding"),
            record.get("who"),
            record.get("why"),
            record.get("hash"),
            record.get("seq"),
        ) != (fid, who, why, digest, seq):
            problems.append(f"change {seq}: its columns differ from its chained record (edited)")
        prev = str(record.get("hash", digest))
        claimed = record.get("seq")
        expected = (claimed if isinstance(claimed, int) else expected) + 1
        for key, pair in (record.get("changes") or {}).items():
            if isinstance(pair, list) and len(pair) == 2:
                state.setdefault(fid, {})[key] = pair[1]
    for f in orm(conn).execute(select(StoredFinding)).scalars():
        said = state.get(f.id, {})
        for key, default in (("status", "open"), ("owner", ""), ("notes", "")):
            if _plain(getattr(f, key)) != said.get(key, default):
                problems.append(
                    f"finding {f.id}: {key} is {getattr(f, key)!r} but its history says "
                    f"{said.get(key, default)!r} (changed outside procgate)"
                )
        if f.due_by_hand and "due" in said and _plain(f.due) != said["due"]:
            problems.append(f"finding {f.id}: due date differs from its history")
    return count, problems


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _loads(text: str) -> dict[str, Any]:
    try:
        record = json.loads(text)
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}
