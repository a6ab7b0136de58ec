"""The precomputed input every Rego engine (embedded or a remote OPA) receives.

Rego gets the matched subjects and the document's small facts, never the 100k components:
matching is Python's job, the decision is Rego's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from procgate.model import BanData, Context, Document, Kind, Match

# Policies may read a purchase request whole; an SBOM is summarised (it can be 40 MB).
_WHOLE_KINDS = {Kind.PURCHASE_REQUEST, Kind.WAIVER}
# Without a period of performance, bans.upcoming looks this many months ahead.
UPCOMING_MONTHS = 24


def rego_input(
    doc: Document, matches: Sequence[Match], ctx: Context, ban_data: BanData, certain: float
) -> dict[str, Any]:
    return {
        "document": _document(doc),
        "context": {
            "audience": ctx.audience,
            "audiences": list(ban_data.audiences.get(ctx.audience, (ctx.audience,))),
            "date": ctx.today.isoformat(),
            "use": list(ctx.use),
            "certain_score": certain,
            "horizon": horizon(doc, ctx.today),
        },
        "matches": [_match(i, m) for i, m in enumerate(matches)],
    }


def horizon(doc: Document, today: date) -> dict[str, str]:
    """How far ahead bans.upcoming looks: to the end of the request's period of performance
    (`performance: {start, end}`; an SBOM checked with a request takes the request's), else
    24 months from the check date."""
    end = performance_end(doc)
    if end is not None:
        return {
            "until": end.isoformat(),
            "words": f"the period of performance (ending {end.isoformat()})",
        }
    return {
        "until": add_months(today, UPCOMING_MONTHS).isoformat(),
        "words": f"the next {UPCOMING_MONTHS} months",
    }


def performance_end(doc: Document) -> date | None:
    for d in (doc, doc.parent):
        if d is None or d.kind is not Kind.PURCHASE_REQUEST or not isinstance(d.data, dict):
            continue
        period = d.data.get("performance")
        end = period.get("end") if isinstance(period, dict) else None
        try:
            return date.fromisoformat(str(end)) if end is not None else None
        except ValueError:  # the schema reports it; look the usual 24 months ahead
            return None
    return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _document(doc: Document) -> dict[str, Any]:
    data = doc.data if isinstance(doc.data, dict) else {}
    summary: dict[str, Any] = {
        "path": doc.path,
        "kind": str(doc.kind),
        "spec_version": doc.spec_version,
        "parent": doc.parent.path if doc.parent else None,
    }
    if doc.kind in _WHOLE_KINDS:
        summary["id"] = data.get("id")
        summary["data"] = data
    return summary


def _match(i: int, m: Match) -> dict[str, Any]:
    s, o = m.subject, m.subject.owner
    return {
        "id": i,
        "entity": m.entity_id,
        "role": s.role,
        "value": s.value,
        "party": s.party,
        "pointer": s.pointer,
        "matched": m.matched_name,
        "via": m.via,
        "score": m.score,
        "since": m.since.isoformat() if m.since else None,
        "until": m.until.isoformat() if m.until else None,
        "owner": {
            "pointer": o.pointer,
            "label": o.label,
            "category": o.category,
            "name": o.name,
            "text": o.text,
            "purl": o.purl,
        },
    }
