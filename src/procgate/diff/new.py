"""--diff BASE: the findings that are new against BASE (see baseline.py for what makes two
findings the same)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from procgate.diff.baseline import document_identity, new_findings
from procgate.diff.select import Selection, Snapshot, candidates
from procgate.load import sbom_refs
from procgate.model import Document, Finding, Verdict
from procgate.pipeline import Checker


def check_new(
    checker: Checker,
    head: Selection,
    base: Snapshot,
    base_path: dict[str, str],
    deleted: Sequence[str] = (),
) -> tuple[Verdict, int]:
    """--diff BASE: the findings of `head` that were not there on BASE, and how many were.

    BASE's findings come from BASE's versions of the same files (`base_path` maps each
    file that git saw renamed or copied to its old path; a file git saw added is paired
    with a `deleted` one that is the same document, see document_identity), checked with
    the same ban data, policies and date, so that only the change itself can make a
    finding new. Only files with findings are checked twice."""
    base_path = dict(base_path)
    verdict = checker.check(head.items, head.open_ref)
    if not verdict.findings:
        return verdict, 0
    with_findings = {f.position.file for f in verdict.findings}
    wanted: list[tuple[Document | Finding, str, str | None]] = []  # item, path, path on BASE
    for item in head.items:
        path = item.path if isinstance(item, Document) else item.position.file
        refs = {ref for _, ref in sbom_refs(item)} if isinstance(item, Document) else set()
        if path in with_findings or refs & with_findings:
            wanted.append((item, path, base.repo.repo_path(Path(base_path.get(path, path)))))
    base.preload([old for _, _, old in wanted if old is not None])
    base_items: list[Document | Finding] = []
    unpaired: list[Document] = []
    for item, path, old in wanted:
        if old is None or base.blob(old) is None:  # added since BASE, or moved beyond
            if isinstance(item, Document):  # what git calls a rename
                unpaired.append(item)
            continue
        loaded = base.load(old, explicit=head.explicit.get(path, True))
        if loaded is not None:
            base_items.append(loaded)
    if unpaired and deleted:
        base_items += _pair_moved(unpaired, base, deleted, base_path)
    before = checker.check(base_items, base.opener())
    new, old_count = new_findings(verdict.findings, before.findings, base_path)
    return replace(verdict, findings=tuple(new)), old_count


def _pair_moved(
    unpaired: list[Document], base: Snapshot, deleted: Sequence[str], base_path: dict[str, str]
) -> list[Document]:
    """BASE's deleted files that are the same documents as files that look added."""
    wanted = {document_identity(d): d.path for d in unpaired}
    wanted.pop("", None)  # no identity: nothing to pair on
    if not wanted:
        return []
    paired: list[Document] = []
    gone = {rp: d for d in deleted if (rp := base.repo.repo_path(Path(d))) is not None}
    base.preload(candidates(gone))
    for repo_path in candidates(gone):
        display = gone[repo_path]
        old = base.load(repo_path, explicit=False)
        if isinstance(old, Document) and document_identity(old) in wanted:
            base_path[wanted.pop(document_identity(old))] = display
            paired.append(old)
    return paired
