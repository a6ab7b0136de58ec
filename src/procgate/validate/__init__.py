"""validate: Document -> schema Findings (rule schema.invalid, with file:line).

    validate(doc)

Which schema checks which kind is the table VALIDATORS; each validator turns its
library's errors into `Problem`s (messages.py) and this module places them in the file.
A document the validator cannot follow (nested past Python's recursion limit) becomes a
finding here; anything else a validator raises is not the document's fault and is not
turned into a finding: a ProcgateError stops the run (exit 2), a bug surfaces as one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable

from procgate import rules
from procgate.model import Document, Finding, Kind, Position, Severity
from procgate.validate.messages import MAX_COUNTED, MAX_FINDINGS, Problem

__all__ = ["MAX_COUNTED", "MAX_FINDINGS", "validate"]


Validator = Callable[[Document], Iterable[Problem]]

# kind -> (module of this package, its function). A module is imported when a file of its
# kind is first validated: a purchase request does not pay for the SBOM schemas' libraries.
VALIDATORS: dict[Kind, tuple[str, str]] = {
    Kind.PURCHASE_REQUEST: ("own", "purchase_request"),
    Kind.WAIVER: ("own", "waiver"),
    Kind.BAN_LIST: ("own", "ban_list"),
    Kind.CYCLONEDX: ("cyclonedx", "validate"),
    Kind.SPDX2: ("spdx2", "validate"),
    Kind.SPDX3: ("spdx3", "validate"),
}


def validator(kind: Kind) -> Validator | None:
    """The function that validates documents of `kind` (None: nothing to validate)."""
    where = VALIDATORS.get(kind)
    if where is None:
        return None
    module, name = where
    check: Validator = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return check


def validate(doc: Document) -> list[Finding]:
    check = validator(doc.kind)
    if check is None:
        return []
    findings: list[Finding] = []
    count = 0
    try:
        for problem in check(doc):
            count += 1
            if count <= MAX_FINDINGS:
                findings.append(_finding(doc, problem))
            elif count > MAX_FINDINGS + MAX_COUNTED:
                break
    except RecursionError:
        findings.append(_finding(doc, Problem("", "the document is nested too deeply to check")))
    if count > MAX_FINDINGS:
        more = count - MAX_FINDINGS
        counted = f"more than {MAX_COUNTED}" if more > MAX_COUNTED else str(more)
        findings.append(
            Finding(
                rules.SCHEMA_ERROR,
                Severity.DENY,
                f"… and {counted} more schema errors in this file",
                Position(doc.path, 0, 0),
            )
        )
    return findings


def _finding(doc: Document, problem: Problem) -> Finding:
    if problem.line > 0:
        position = Position(doc.path, problem.line, problem.column)
    else:
        position = doc.position(problem.pointer)
    return Finding(
        rule=rules.SCHEMA_ERROR,
        severity=Severity.DENY,
        message=problem.message,
        position=position,
        pointer=problem.pointer,
    )
