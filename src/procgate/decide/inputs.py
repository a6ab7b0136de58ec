"""The precomputed input every Rego engine (embedded or a remote OPA) receives.

Rego gets the matched subjects and the document's small facts, never the 100k components:
matching is Python's job, the decision is Rego's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from procgate.model import BanData, Context, Document, Kind, Match

# Policies may read a purchase request whole; an SBOM is summarised (it can be 40 MB).
_WHOLE_KINDS = {Kind.PURCHASE_REQUEST, Kind.WAIVER}


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
        },
        "matches": [_match(i, m) for i, m in enumerate(matches)],
    }


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
