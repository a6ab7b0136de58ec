"""--format json: the contract in design.md (version 1)."""

from __future__ import annotations

from typing import Any

from procgate.model import Decided, Finding, Verdict, Waiver
from procgate.report.jsontext import dumps


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": str(f.severity),
        "file": f.position.file,
        "line": f.position.line,
        "column": f.position.column,
        "pointer": f.pointer,
        "message": f.message,
        "entity": f.entity,
        "authorities": list(f.authorities),
        "matched": f.matched,
        "listed_name": f.listed_name,
        "score": f.score,
        "via": f.via,
        "action": f.action,
        "waiver": f.waived_by.id if f.waived_by else None,  # only a waiver that applied
        "waiver_approval": _approval(f.waived_by) if f.waived_by else None,
        "about_waiver": f.about_waiver,  # the waiver a waiver.* finding is about
    }


def _approval(w: Waiver) -> dict[str, Any]:
    return {
        "approved_by": w.approver,
        "approved_on": w.approved_on.isoformat(),
        "expires": w.expires.isoformat(),
        "reason": w.reason,
        "ticket": w.ticket or None,
    }


def decided_dict(decided: Decided) -> dict[str, Any]:
    """What the run was decided with: a record must say which date, audience and lists."""
    return {
        "date": decided.date.isoformat(),
        "audiences": [
            {"audience": audience, "from": source, "files": list(files) or None}
            for audience, source, files in decided.audiences
        ],
        "ban_lists": [
            {"name": i.name, "as_of": i.as_of.isoformat(), "as_of_declared": i.declared}
            for i in decided.lists
        ],
    }


def render_json(verdict: Verdict, fail_on: str) -> str:
    report: dict[str, Any] = {"version": 1, "summary": verdict.summary(fail_on)}
    if verdict.decided is not None:
        report["decided_with"] = decided_dict(verdict.decided)
    report["findings"] = [finding_dict(f) for f in verdict.findings]
    return dumps(report, ensure_ascii=False)
