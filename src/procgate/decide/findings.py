"""Turn a policy's result (Rego object/string or Python Result) into a Finding."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from procgate import rules
from procgate.match.visible import disguised, seen
from procgate.model import BanData, Document, Finding, Match, Severity, Subject
from procgate.normalize.table import SubjectTable

REVIEW_ACTION = (
    "Review whether the ban reaches this item (its use, whether it is equipment, the product "
    "line). If it does, remove it; if it does not, record the reasoning in a waiver."
)
LISTED_ACTION = "No ban applies here; confirm the match and carry on."
UPCOMING_ACTION = (
    "A ban reaches this item from the date shown. Buy from another vendor now, or make sure "
    "nothing of it is bought, delivered or renewed on or after that date."
)


def finding_from_result(
    result: Any,
    severity: Severity,
    package: str,
    doc: Document,
    matches: Sequence[Match],
    ban_data: BanData,
) -> Finding:
    if not isinstance(result, dict):
        result = {"msg": str(result)}
    rule = str(result.get("rule") or f"{package.removeprefix('data.')}.{severity}")
    match = _match(result.get("match"), matches)
    pointer = result_pointer(result, matches)
    authorities = tuple(str(a) for a in result.get("authorities") or ())
    return Finding(
        rule=rule,
        severity=severity,
        message=str(result.get("msg") or result.get("message") or rule),
        position=doc.position(pointer),
        pointer=pointer,
        entity=match.entity_id if match else result.get("entity"),
        authorities=authorities,
        matched=match.subject.value if match else None,
        listed_name=match.matched_name if match else None,
        score=match.score if match else None,
        via=match.via if match else None,
        action=str(result.get("action") or _action(rule, severity, authorities, ban_data)),
        component=(match.subject.owner.purl or None) if match else None,
    )


def result_pointer(result: Any, matches: Sequence[Match]) -> str:
    """Where a result is: its own pointer, else its match's subject's, else the document."""
    if not isinstance(result, dict):
        return ""
    match = _match(result.get("match"), matches)
    return str(result.get("pointer") or (match.subject.pointer if match else ""))


def _match(index: Any, matches: Sequence[Match]) -> Match | None:
    if isinstance(index, int) and 0 <= index < len(matches):
        return matches[index]
    return None


def _action(rule: str, severity: Severity, authorities: Sequence[str], ban_data: BanData) -> str:
    if rule == rules.LISTED_NOT_BANNED:
        return LISTED_ACTION
    if rule == rules.UPCOMING_BAN:
        return UPCOMING_ACTION
    if severity is Severity.DENY or rule == rules.ADVISORY_BAN:  # advisory: the list's own advice
        # The oldest authority's advice: it is the one the buyer has had longest to act on.
        known = [ban_data.authorities[a] for a in authorities if a in ban_data.authorities]
        known.sort(key=lambda auth: min(auth.audiences.values(), default=date.max))
        return next((auth.action for auth in known if auth.action), "")
    return REVIEW_ACTION if rule.startswith("bans.") else ""


def hidden_characters(doc: Document, subjects: Sequence[Subject]) -> list[Finding]:
    """A warning for each vendor-naming value that hides characters or mixes scripts inside
    a word (match.visible), whether or not it matched a listed name."""
    return [
        Finding(
            rule=rules.NAMES_HIDDEN,
            severity=Severity.WARN,
            message=f"The {subject.role} {seen(subject.value)!r} (as displayed) hides "
            f"something: {'; '.join(what)}.",
            position=doc.position(subject.pointer),
            pointer=subject.pointer,
            matched=subject.value,
            action="Ask for the name written plainly; procgate checked it as displayed.",
            component=subject.owner.purl or None,
        )
        for subject, what in disguised(
            # a table's values are tested in C first: the usual value is ASCII
            subjects.not_ascii() if isinstance(subjects, SubjectTable) else subjects
        )
    ]
