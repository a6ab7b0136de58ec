"""The store's tables as SQLAlchemy 2 models. The schema itself is made by the migrations
(migrations/versions/); these mirror their head, and a test compares the two."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, ForeignKey, Index, LargeBinary, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True), str: Text}


class Sweep(Base):
    """One `scan --store`: what was swept, as of when, for whom, with which data."""

    __tablename__ = "sweeps"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    as_of: Mapped[date]
    audience: Mapped[str]
    data_version: Mapped[str]  # the ban lists and the date each is current as of
    data_digest: Mapped[str]
    policy_digest: Mapped[str]
    procgate_version: Mapped[str]
    paths: Mapped[list[str]] = mapped_column(JSON)
    files_seen: Mapped[int]
    files_checked: Mapped[int]
    findings: Mapped[int]
    problems: Mapped[int]
    # Revision 0003: each entity's data as this sweep decided with it (store/digests.py).
    entity_digests: Mapped[bytes | None] = mapped_column(LargeBinary)


class File(Base):
    """A swept file, by its absolute path: its latest content hash and vendor-naming values."""

    __tablename__ = "files"
    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(unique=True)  # absolute: the file's identity
    display: Mapped[str]  # as the sweep showed it
    kind: Mapped[str]
    content_hash: Mapped[str | None]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    gone_at: Mapped[datetime | None]  # a later sweep of its folder did not find it
    # The latest sweep that read it (its values and kind are from that one); for a file
    # never read, the sweep that first met it.
    last_sweep_id: Mapped[int] = mapped_column(ForeignKey("sweeps.id"))
    vendor_values: Mapped[bytes | None] = mapped_column(LargeBinary)  # store/values.py


class SweepFile(Base):
    __tablename__ = "sweep_files"
    sweep_id: Mapped[int] = mapped_column(ForeignKey("sweeps.id"), primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), primary_key=True)
    content_hash: Mapped[str | None]


class StoredFinding(Base):
    """An affected item, keyed as `check --diff` keys findings (store/keys.py)."""

    __tablename__ = "findings"
    __table_args__ = (
        Index("findings_by_file", "file_id"),
        Index("findings_by_entity", "entity"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    rule: Mapped[str]
    entity: Mapped[str]
    file_key: Mapped[str]  # files.path
    location: Mapped[str]  # position-free: "/components/[purl:pkg:maven/com.huawei/x]"
    occurrence: Mapped[int]  # 1; 2 for a second identical item in the same file
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    item: Mapped[str]
    pointer: Mapped[str]
    line: Mapped[int]
    matched: Mapped[str]
    listed_name: Mapped[str]
    via: Mapped[str]
    severity: Mapped[str]  # deny | warn | waived
    authorities: Mapped[list[str]] = mapped_column(JSON)
    waivable: Mapped[bool]  # every authority allows waivers: accepted-risk is possible
    message: Mapped[str]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    resolved_at: Mapped[datetime | None]  # no longer found; None while it is
    first_sweep_id: Mapped[int] = mapped_column(ForeignKey("sweeps.id"))
    last_sweep_id: Mapped[int] = mapped_column(ForeignKey("sweeps.id"))
    # The workflow (revision 0002): see workflow.py; every change is in `changes`.
    status: Mapped[str] = mapped_column(server_default="open")
    owner: Mapped[str] = mapped_column(server_default="")
    notes: Mapped[str] = mapped_column(server_default="")
    due: Mapped[date | None]
    due_basis: Mapped[str] = mapped_column(server_default="")  # the clock it comes from
    due_by_hand: Mapped[bool] = mapped_column(server_default=false())

    def as_dict(self) -> dict[str, Any]:
        return {c.name: getattr(self, c.name) for c in self.__table__.columns}


class Change(Base):
    """One change of a finding's status, owner, due date or notes: who, when, why. `record`
    is the canonical JSON of the change chained to the one before (audit.link): editing,
    removing or reordering history breaks the chain (workflow.verify)."""

    __tablename__ = "changes"
    __table_args__ = (Index("changes_by_finding", "finding_id"),)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"))
    at: Mapped[datetime]
    who: Mapped[str]
    why: Mapped[str]
    record: Mapped[str]
    hash: Mapped[str]
