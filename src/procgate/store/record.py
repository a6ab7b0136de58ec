"""One sweep into the store, in one transaction under the writers' lock (db.writing): a
sweep that dies before its commit leaves the store as it was, and the next one records
everything again.

Files are upserted by absolute path; findings by key (keys.py): a finding seen again keeps
its first-seen time and gets this sweep's last-seen time; one resolved earlier and found
again is reopened; an open finding is resolved (no longer found) only when its file was read
this time without it, or the file is gone from a swept folder. A file that could not be read
this time resolves nothing: making a file unreadable must not make its findings disappear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from procgate import __version__
from procgate.model import BanData
from procgate.scan.sweep import FileResult, Hit, SweptFile
from procgate.store import digests
from procgate.store.capture import UNREAD
from procgate.store.db import orm, writing
from procgate.store.keys import Identity, file_key, numbered
from procgate.store.models import File, StoredFinding, Sweep, SweepFile
from procgate.store.workflow import due_date, record_change


@dataclass(frozen=True)
class SweepFacts:
    started_at: datetime
    as_of: date
    audience: str
    ban_data: BanData
    data_version: str
    policy_digest: str
    paths: tuple[str, ...]  # as given
    files_seen: int
    files_checked: int
    problems: int


@dataclass(frozen=True)
class Recorded:
    sweep: int
    new: int
    seen_again: int
    reopened: int
    resolved: int
    open: int  # open findings in the store after this sweep


def record_sweep(engine: Engine, facts: SweepFacts, results: Sequence[FileResult]) -> Recorded:
    with writing(engine) as conn:
        return _record(conn, facts, results)


def _record(conn: Connection, facts: SweepFacts, results: Sequence[FileResult]) -> Recorded:
    now = datetime.now(UTC)
    hits = [h for r in results for h in r.hits]
    sweep_id = conn.execute(
        insert(Sweep)
        .values(
            started_at=facts.started_at,
            recorded_at=now,
            as_of=facts.as_of,
            audience=facts.audience,
            data_version=facts.data_version,
            data_digest=facts.ban_data.digest,
            policy_digest=facts.policy_digest,
            procgate_version=__version__,
            paths=list(facts.paths),
            files_seen=facts.files_seen,
            files_checked=facts.files_checked,
            findings=len(hits),
            problems=facts.problems,
            entity_digests=digests.encode(digests.entity_digests(facts.ban_data)),
        )
        .returning(Sweep.id)
    ).scalar_one()
    swept: dict[str, SweptFile] = {}
    for r in results:
        for s in r.swept:
            swept[file_key(s.path)] = s
    discovered = {file_key(p) for r in results for p in (r.path, *r.refs)}
    roots = tuple(file_key(p) for p in facts.paths)
    ids = _files(conn, sweep_id, now, swept, roots, discovered)
    read = {k for k, s in swept.items() if s.kind != UNREAD}

    def resolvable(key: str) -> bool:
        if key in read:
            return True
        return key not in discovered and any(in_folder(key, root) for root in roots)

    return _findings(conn, sweep_id, now, hits, ids, facts, resolvable)


def _files(
    conn: Connection,
    sweep_id: int,
    now: datetime,
    swept: dict[str, SweptFile],
    roots: tuple[str, ...],
    discovered: set[str],
) -> dict[str, int]:
    ids: dict[str, int] = dict(conn.execute(select(File.path, File.id)).all())
    fresh = [
        {
            "path": key,
            "display": s.path,
            "kind": s.kind,
            "content_hash": s.digest,
            "first_seen": now,
            "last_seen": now,
            "last_sweep_id": sweep_id,
            "vendor_values": s.values or None,
        }
        for key, s in swept.items()
        if key not in ids
    ]
    if fresh:
        conn.execute(insert(File), fresh)
    # Seen again: one UPDATE for the files read this time (their kind and values as read
    # now, and this sweep as the one their values come from: reevaluate compares its data
    # with the new), one for those that could not be read (their values are kept).
    seen: dict[str, Any] = {
        "display": bindparam("display"),
        "content_hash": bindparam("hash"),
        "last_seen": bindparam("now"),
        "gone_at": None,
    }
    read_again = [
        {"fid": ids[key], "display": s.path, "hash": s.digest, "now": now}
        | {"sweep": sweep_id, "kind": s.kind, "vals": s.values or None}
        for key, s in swept.items()
        if key in ids and s.kind != UNREAD
    ]
    if read_again:
        conn.execute(
            update(File)
            .where(File.id == bindparam("fid"))
            .values(
                **seen,
                last_sweep_id=bindparam("sweep"),
                kind=bindparam("kind"),
                vendor_values=bindparam("vals"),
            ),
            read_again,
        )
    unread_again = [
        {"fid": ids[key], "display": s.path, "hash": s.digest, "now": now}
        for key, s in swept.items()
        if key in ids and s.kind == UNREAD
    ]
    if unread_again:
        conn.execute(update(File).where(File.id == bindparam("fid")).values(**seen), unread_again)
    if fresh:
        ids = dict(conn.execute(select(File.path, File.id)).all())
    gone = [
        {"fid": fid}
        for key, fid in ids.items()
        if key not in discovered and any(in_folder(key, root) for root in roots)
    ]
    if gone:
        conn.execute(
            update(File)
            .where(File.id == bindparam("fid"), File.gone_at.is_(None))
            .values(gone_at=now),
            gone,
        )
    if swept:
        conn.execute(
            insert(SweepFile),
            [
                {"sweep_id": sweep_id, "file_id": ids[key], "content_hash": s.digest}
                for key, s in swept.items()
            ],
        )
    return ids


class _Known(NamedTuple):
    """A finding already in the store, as a sweep needs it."""

    fid: int
    resolved: datetime | None
    file_key: str
    status: str
    first_seen: datetime
    due_by_hand: bool


@dataclass
class _Plan:
    """What one sweep writes about findings."""

    fresh: list[dict[str, Any]] = field(default_factory=list)  # first seen now
    again: list[dict[str, Any]] = field(default_factory=list)  # seen again
    clocks: list[dict[str, Any]] = field(default_factory=list)  # due dates from the clock
    removed_again: list[int] = field(default_factory=list)  # marked removed, yet found
    seen: set[str] = field(default_factory=set)  # keys found this time
    reopened: int = 0  # resolved before, found again


def _findings(
    conn: Connection,
    sweep_id: int,
    now: datetime,
    hits: list[Hit],
    ids: dict[str, int],
    facts: SweepFacts,
    resolvable: Any,
) -> Recorded:
    existing = {
        key: _Known(fid, resolved, fkey, status, first, by_hand)
        for key, fid, resolved, fkey, status, first, by_hand in conn.execute(
            select(
                StoredFinding.key,
                StoredFinding.id,
                StoredFinding.resolved_at,
                StoredFinding.file_key,
                StoredFinding.status,
                StoredFinding.first_seen,
                StoredFinding.due_by_hand,
            )
        )
    }
    plan = _plan(conn, sweep_id, now, hits, ids, facts, existing)
    _write(conn, plan)
    for fid in plan.removed_again:  # marked removed, yet found: open again, in the history
        f = orm(conn).execute(select(StoredFinding).where(StoredFinding.id == fid)).scalar_one()
        record_change(
            conn, f, {"status": "open"}, "procgate scan", f"found again in sweep {sweep_id}", now
        )
    resolved = [
        {"fid": known.fid}
        for key, known in existing.items()
        if key not in plan.seen and known.resolved is None and resolvable(known.file_key)
    ]
    if resolved:
        conn.execute(
            update(StoredFinding)
            .where(StoredFinding.id == bindparam("fid"))
            .values(resolved_at=now),
            resolved,
        )
    still_open = sum(1 for known in existing.values() if known.resolved is None)
    still_open += len(plan.fresh) + plan.reopened - len(resolved)
    return Recorded(
        sweep_id, len(plan.fresh), len(plan.again), plan.reopened, len(resolved), still_open
    )


def _plan(
    conn: Connection,
    sweep_id: int,
    now: datetime,
    hits: list[Hit],
    ids: dict[str, int],
    facts: SweepFacts,
    existing: dict[str, _Known],
) -> _Plan:
    """Each hit: a new finding, or one seen again (its due date from the clock again,
    unless set by hand)."""
    ban_data, audience = facts.ban_data, facts.audience
    plan = _Plan()
    identities: list[Identity] = [(h.rule, h.entity, file_key(h.file), h.location) for h in hits]
    for hit, (identity, occurrence, key) in zip(hits, numbered(identities), strict=True):
        plan.seen.add(key)
        row = _row(hit, ids.get(identity[2]), ban_data)
        if row["file_id"] is None:  # a hit in a file the sweep did not hand over
            row["file_id"] = _file_of(conn, identity[2], hit.file, sweep_id, now, ids)
        known = existing.get(key)
        if known is not None:
            plan.again.append({**row, "fid": known.fid, "now": now, "sweep": sweep_id})
            plan.reopened += known.resolved is not None
            if known.status == "removed":
                plan.removed_again.append(known.fid)
            if not known.due_by_hand:
                due, basis = due_date(
                    identity[1], hit.authorities, known.first_seen.date(), ban_data, audience
                )
                plan.clocks.append({"fid": known.fid, "due": due, "basis": basis})
            continue
        due, basis = due_date(identity[1], hit.authorities, now.date(), ban_data, audience)
        plan.fresh.append(
            {
                **row,
                "key": key,
                "rule": identity[0],
                "entity": identity[1],
                "file_key": identity[2],
                "location": identity[3],
                "occurrence": occurrence,
                "first_seen": now,
                "last_seen": now,
                "resolved_at": None,
                "first_sweep_id": sweep_id,
                "last_sweep_id": sweep_id,
                "due": due,
                "due_basis": basis,
            }
        )
    return plan


def _write(conn: Connection, plan: _Plan) -> None:
    if plan.fresh:
        conn.execute(insert(StoredFinding), plan.fresh)
    if plan.again:
        conn.execute(
            update(StoredFinding)
            .where(StoredFinding.id == bindparam("fid"))
            .values(
                **{c: bindparam(c) for c in _ROW_COLUMNS},
                last_seen=bindparam("now"),
                last_sweep_id=bindparam("sweep"),
                resolved_at=None,
            ),
            plan.again,
        )
    if plan.clocks:
        conn.execute(
            update(StoredFinding)
            .where(StoredFinding.id == bindparam("fid"))
            .values(due=bindparam("due"), due_basis=bindparam("basis")),
            plan.clocks,
        )


_ROW_COLUMNS = (
    "file_id",
    "item",
    "pointer",
    "line",
    "matched",
    "listed_name",
    "via",
    "severity",
    "authorities",
    "waivable",
    "message",
)


def _row(hit: Hit, file_id: int | None, ban_data: BanData) -> dict[str, Any]:
    return {
        "file_id": file_id,
        "item": hit.item,
        "pointer": hit.pointer,
        "line": hit.line,
        "matched": hit.matched,
        "listed_name": hit.listed_name,
        "via": hit.via,
        "severity": hit.severity,
        "authorities": list(hit.authorities),
        "waivable": waivable(hit.authorities, ban_data),
        "message": hit.message,
    }


def waivable(authorities: Sequence[str], ban_data: BanData) -> bool:
    """Whether accepted-risk may be chosen: every authority named allows waivers (one that is
    not on the lists, a custom policy's, does not)."""
    found = [ban_data.authorities.get(a) for a in authorities]
    return bool(found) and all(a is not None and a.waivable for a in found)


def _file_of(
    conn: Connection, key: str, display: str, sweep_id: int, now: datetime, ids: dict[str, int]
) -> int:
    fid = conn.execute(
        insert(File)
        .values(
            path=key,
            display=display,
            kind=UNREAD,
            content_hash=None,
            first_seen=now,
            last_seen=now,
            last_sweep_id=sweep_id,
        )
        .returning(File.id)
    ).scalar_one()
    ids[key] = fid
    return fid


def in_folder(key: str, root: str) -> bool:
    """Whether the file `key` is `root` or lies under it (both absolute POSIX paths)."""
    return key == root or key.startswith(root.rstrip("/") + "/")
