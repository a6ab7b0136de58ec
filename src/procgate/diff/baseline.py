"""New findings against a baseline (`check --diff BASE`): which findings of the checked
version were already there on BASE.

A finding is identified by its rule, its entity, the file's identity and a location key,
never by its line: reformatting a file, moving it (git's rename detection maps the path
back), reordering an SBOM's components or bumping a banned component's version must not turn
an old finding into a new one. Findings are compared as multisets, so a second banned
component that looks exactly like the first one is still one new finding.

No I/O here: the pipeline sets each finding's location (finding_location, from its
document) and hands over the findings and the path map.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from procgate.model import Document, Finding

Key = tuple[str, str, str, str]  # rule, entity, file identity, location key

# The part of a pointer that names what a finding is about: the purchase item, the SBOM
# component (nested ones too), package or graph element. Ban findings key on it alone:
# one finding per (owner, entity) is what the pipeline reports, and its pointer moves
# between supplier, purl and CPE when the strongest evidence changes.
_OWNER = re.compile(
    r"^(?:/metadata/component)?(?:/(?:items|components|services|packages|@graph)/\d+)*"
)
# What identifies a list element, strongest first. A purl or name is the component, whatever
# its position; its version is left out (a version bump keeps the finding). Generated ids
# (bom-ref, SPDXID) come after names: SBOM tools regenerate them on every run.
_PURL_VERSION = re.compile(r"@[^/?#]*(?=[?#]|$)|[?#].*$")


def location_key(pointer: str, data: Any) -> str:
    """The pointer with each array index replaced by the identity of the element it selects
    ("/components/[purl:pkg:maven/com.huawei/x]/supplier/name"): inserting, deleting or
    moving other elements keeps the key."""
    if not pointer:
        return ""
    out: list[str] = []
    node = data
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
            out.append(f"[{identity(node) or token}]")
        elif isinstance(node, dict) and token in node:
            node = node[token]
            out.append(raw)
        else:
            node = None
            out.append(raw)
    return "/" + "/".join(out)


def identity(element: Any) -> str:
    """What an SBOM component, package or purchase item is, without its position."""
    if not isinstance(element, dict):
        return ""

    def text(key: str) -> str:
        value = element.get(key)
        return value.strip() if isinstance(value, str) else ""

    if purl := text("purl"):
        return "purl:" + _PURL_VERSION.sub("", purl)
    if name := text("name"):
        group = text("group")
        return "name:" + (f"{group}/{name}" if group else name)
    if sku := text("sku"):
        return "sku:" + sku
    if product := " ".join(t for t in (text("product"), text("model")) if t):
        return "product:" + product
    for key in ("bom-ref", "SPDXID", "spdxId", "@id"):
        if value := text(key):
            return f"{key}:{value}"
    if description := text("description"):
        return "description:" + description
    return ""


def document_identity(doc: Document) -> str:
    """What a file is, whatever its name and layout: a purchase request's id, an SBOM's
    serial number or namespace. Pairs a file with its BASE self when git's rename detection
    cannot (moved and reformatted: too few lines in common)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    for key in ("id", "serialNumber", "documentNamespace"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return f"{doc.kind}:{key}:{value.strip()}"
    return ""


def finding_location(f: Finding, doc: Document | None) -> str:
    """What `f` is about, position-free. Ban findings: their owner (see _OWNER); other
    findings (schema errors): the field itself, which is what a person fixes."""
    match = _OWNER.match(f.pointer)
    pointer = match.group(0) if f.entity and match else f.pointer
    return location_key(pointer, doc.data if doc is not None else None)


def finding_key(f: Finding, file_id: str) -> Key:
    """`f`'s identity in the file `file_id` (SARIF fingerprints, --diff): its location as
    the pipeline set it, else its pointer."""
    where = f.location if f.location is not None else f.pointer
    return (f.rule, f.entity or "", file_id, where)


def new_findings(
    head: Iterable[Finding], base: Iterable[Finding], base_path: Mapping[str, str]
) -> tuple[list[Finding], int]:
    """(findings of HEAD not on BASE, how many HEAD findings were already there).

    `base_path` maps a HEAD file (as findings show it) to the same file on BASE, from git's
    rename detection; a file not in it kept its path. Files are identified by their BASE
    path, so a moved file's findings meet their old selves."""
    on_base = Counter(finding_key(f, f.position.file) for f in base)
    new: list[Finding] = []
    old = 0
    for f in head:
        key = finding_key(f, base_path.get(f.position.file, f.position.file))
        if on_base[key] > 0:
            on_base[key] -= 1
            old += 1
        else:
            new.append(f)
    return new, old
