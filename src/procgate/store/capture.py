"""What a sweep keeps of each file it checked, for the store: taken in the worker that checked
it (scan/sweep.py calls swept_files when `scan --store` records)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from procgate.audit import input_digest
from procgate.config import Options
from procgate.model import BanData, Document, Kind, Subject
from procgate.normalize import subjects
from procgate.pipeline import Checker
from procgate.scan.sweep import SweptFile
from procgate.store import values

UNREAD = ""  # the kind of a file that could not be read this time: its record is kept as it was


def swept_files(
    checker: Checker,
    docs: Mapping[str, Document],
    top: str,
    refs: Sequence[str],
    normalized: Mapping[str, Sequence[Subject]] | None = None,
    digest: Callable[[str], str | None] | None = None,
) -> list[SweptFile]:
    """`top` and the files checked in its context: path, kind, content hash, values.
    `normalized`: the subjects the check made of each document (Checker.normalized), so
    that no file is normalized twice; a document missing there is normalized here.
    `digest`: the content hash of a file by its name (default: audit.input_digest, on disk)."""
    digest = digest or input_digest
    first = docs.get(top)
    audience = checker._audience(first)[0] if first is not None else checker.options.audience
    request = first if first is not None and first.kind is Kind.PURCHASE_REQUEST else None
    out = []
    for path in (top, *refs):
        doc = docs.get(path)
        content = digest(path)
        if doc is None:
            out.append(SweptFile(path, UNREAD, content, b""))
            continue
        parent = request if doc is not first else None
        subs = (normalized or {}).get(path)
        out.append(SweptFile(path, str(doc.kind), content, _values(doc, audience, parent, subs)))
    return out


def _values(
    doc: Document, audience: str, parent: Document | None, subs: Sequence[Subject] | None
) -> bytes:
    request = doc if doc.kind is Kind.PURCHASE_REQUEST else parent
    data = request.data if request is not None and isinstance(request.data, dict) else {}
    use = data.get("use")
    used = tuple(u for u in use if isinstance(u, str)) if isinstance(use, list) else ()
    if subs is None:
        try:
            subs = subjects(doc)
        except (RecursionError, ValueError):  # too deep to normalize: the check said so
            subs = []
    return values.encode(doc, subs, audience, used, parent)


def policy_digest(options: Options) -> str:
    """sha256 over the policy files the run used (shipped and --policy), by name and bytes."""
    from procgate.decide.python import python_files
    from procgate.decide.rego import rego_files
    from procgate.resources import policies_dir

    folders = [*([policies_dir()] if options.shipped_policies else []), *options.policy_dirs]
    h = hashlib.sha256()
    for f in sorted({*rego_files(folders), *python_files(folders)}):
        try:
            data = f.read_bytes()
        except OSError:
            data = b""
        h.update(f"{f.name}\0{len(data)}\0".encode())
        h.update(data)
    return "sha256:" + h.hexdigest()


def data_version(ban_data: BanData) -> str:
    """'bans.yaml (as of 2026-11-01); org.yaml (as of 2026-10-02)'."""
    return "; ".join(f"{Path(i.path).name} (as of {i.as_of.isoformat()})" for i in ban_data.lists)
