"""Sweep results -> the inventory: affected items grouped by vendor, then by authority."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from procgate.deadlines import Deadline, deadlines
from procgate.explain import audience_words, banned_since
from procgate.model import Authority, BanData, Entity, blocking_severities
from procgate.scan.sweep import FileResult, Hit, Problem

_SEVERITY_ORDER = {"deny": 0, "warn": 1, "waived": 2}


@dataclass(frozen=True, slots=True)
class AuthorityGroup:
    authority: Authority | None  # None: a policy named no authority
    since: date | None  # when the ban reached this buyer
    clock: tuple[Deadline, ...]
    hits: tuple[Hit, ...]

    @property
    def id(self) -> str:
        return self.authority.id if self.authority else ""

    @property
    def title(self) -> str:
        return self.authority.title if self.authority else "(no authority named by the policy)"

    @property
    def counts(self) -> str:
        """ "2 banned, 1 to review": a review item is not counted as banned."""
        return severity_counts(self.hits)


_SEVERITY_WORDS = {"deny": "banned", "warn": "to review", "waived": "waived"}


def severity_counts(hits: Sequence[Hit]) -> str:
    found = {s: sum(1 for h in hits if h.severity == s) for s in _SEVERITY_WORDS}
    return ", ".join(f"{n} {_SEVERITY_WORDS[s]}" for s, n in found.items() if n)


@dataclass(frozen=True, slots=True)
class VendorGroup:
    entity: Entity
    authorities: tuple[AuthorityGroup, ...]
    hits: tuple[Hit, ...]  # each affected item once

    @property
    def files(self) -> int:
        return len({h.file for h in self.hits})


@dataclass(frozen=True)
class Inventory:
    today: date
    audience: str
    fail_on: str
    files_seen: int  # files the walk found
    files_checked: int  # of a known kind, referenced SBOMs included
    vendors: tuple[VendorGroup, ...]
    problems: tuple[Problem, ...]
    listed: int  # matches of listed vendors that no ban reaches for this buyer on this date

    @property
    def hits(self) -> list[Hit]:
        return [h for v in self.vendors for h in v.hits]

    def count(self, severity: str) -> int:
        return sum(1 for h in self.hits if h.severity == severity)

    def exit_code(self) -> int:
        """As `check`: 1 when anything is at or above --fail-on (unreadable files too)."""
        blocking = {str(s) for s in blocking_severities(self.fail_on)}
        found = {h.severity for h in self.hits} | {p.severity for p in self.problems}
        return 1 if found & blocking else 0

    def summary(self) -> dict[str, Any]:
        return {
            "files": self.files_seen,
            "checked": self.files_checked,
            "affected_items": len(self.hits),
            "affected_files": len({h.file for h in self.hits}),
            "vendors": len(self.vendors),
            "deny": self.count("deny"),
            "warn": self.count("warn"),
            "waived": self.count("waived"),
            "problems": len(self.problems),
            "listed_not_banned": self.listed,
            "passed": self.exit_code() == 0,
        }

    @property
    def audience_words(self) -> str:
        return audience_words(self.audience)


def build_inventory(
    results: Sequence[FileResult],
    files_seen: int,
    ban_data: BanData,
    today: date,
    audience: str,
    fail_on: str,
) -> Inventory:
    by_vendor: dict[str, list[Hit]] = defaultdict(list)
    problems = [p for r in results for p in r.problems]
    for hit in (h for r in results for h in r.hits):
        if hit.entity in ban_data.entities:
            by_vendor[hit.entity].append(hit)
        else:  # a custom policy named an entity no ban list defines: say so, do not drop it
            problems.append(
                Problem(
                    hit.file,
                    hit.line,
                    hit.column,
                    hit.rule,
                    hit.severity,
                    f"{hit.message} (entity {hit.entity!r} is on no ban list)",
                )
            )
    vendors = [_vendor(ban_data, eid, hits, audience) for eid, hits in by_vendor.items()]
    vendors.sort(key=lambda v: (-len(v.hits), v.entity.name))
    checked = sum(1 + len(r.refs) for r in results if r.known)
    problems.sort(key=lambda p: (p.file, p.line, p.column, p.rule))
    return Inventory(
        today,
        audience,
        fail_on,
        files_seen,
        checked,
        tuple(vendors),
        tuple(problems),
        sum(r.listed for r in results),
    )


def _vendor(ban_data: BanData, entity_id: str, hits: list[Hit], audience: str) -> VendorGroup:
    hits.sort(key=lambda h: (_SEVERITY_ORDER.get(h.severity, 3), h.file, h.line, h.column))
    by_authority: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        for authority in hit.authorities or ("",):
            by_authority[authority].append(hit)
    groups = [
        AuthorityGroup(
            ban_data.authorities.get(aid),
            _since(ban_data, entity_id, aid, audience),
            deadlines(aid),
            tuple(group),
        )
        for aid, group in by_authority.items()
    ]
    groups.sort(key=lambda g: (g.since or date.max, g.id))
    return VendorGroup(ban_data.entities[entity_id], tuple(groups), tuple(hits))


def _since(ban_data: BanData, entity_id: str, authority_id: str, audience: str) -> date | None:
    """When the ban reached this buyer; None when no authority is named or the list gives no
    date of listing (imported screening lists): shown as "–", never as an invented date."""
    listing = next(
        (li for li in ban_data.entities[entity_id].listings if li.authority == authority_id), None
    )
    if not authority_id or (listing is not None and listing.since_unknown):
        return None
    return banned_since(ban_data, entity_id, authority_id, audience)
