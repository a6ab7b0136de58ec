"""SPDX 2.x (JSON shape; tag-value, YAML and RDF arrive converted) → Subjects.

Per package: ``supplier`` and ``originator`` actors, ``externalRefs`` purls (namespace)
and CPEs (vendor), and ``name`` (product-name).

``creationInfo.creators`` (who wrote the SBOM): ``Organization:`` and ``Person:``
creators are read with the owner SBOM_AUTHOR (category ``sbom-author``), which the Rego
decision turns into a review, never a deny: a product's maker usually writes its own
SBOM, but a consultant or a tool vendor may write it too. ``Tool:`` creators are not
read (a banned vendor's scanner does not put its code in the product).

Where SPDX 2.3 can name an organization, and whether it is read: ``SPDX_FIELDS_READ`` and
``SPDX_FIELDS_NOT_READ`` (checked against the official SPDX 2.3 JSON schema by
tests/unit/normalize/test_normalize_schema_fields.py). Files and snippets carry no
supplier fields.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from procgate.model import Document, Owner
from procgate.normalize._emit import actor_values
from procgate.normalize._emit import owner as make_owner
from procgate.normalize.parse import cpe_vendor, purl_namespace
from procgate.normalize.table import Row, SubjectTable

_HARDWARE_PURPOSES = frozenset(("DEVICE", "FIRMWARE"))
SBOM_AUTHOR = Owner("/creationInfo", "the SBOM's author (creationInfo)", "sbom-author")
_SBOM_AUTHOR = 0  # its index in every table's owners

SPDX_FIELDS_READ = {
    "packages.supplier": "supplier (actor; an organization's e-mail as a domain)",
    "packages.originator": "originator (actor; a person's e-mail kept for review)",
    "creationInfo.creators": "author with owner sbom-author: a review, not a deny",
}
SPDX_FIELDS_NOT_READ = {
    "annotations.annotator": "who commented on an element, not a supplier",
    "revieweds.reviewer": "(deprecated) who reviewed the document",
    "files.fileContributors": "people and organizations who wrote a file's code; files "
    "have no supplier, and contributors are not the vendor",
}


def normalize_spdx2(doc: Document) -> SubjectTable:
    """Subjects of an SPDX 2.x document's packages (rows: see normalize/table.py)."""
    data = doc.data
    rows: list[Row] = []
    owners: list[Owner | tuple[Any, ...]] = [SBOM_AUTHOR]
    table = SubjectTable(rows, owners, _owner)
    if not isinstance(data, dict):
        return table
    packages = data.get("packages")
    if not isinstance(packages, list):
        packages = []
    for i, pkg in enumerate(packages):
        if isinstance(pkg, dict):
            _package(pkg, f"/packages/{i}", rows, owners)
    info = data.get("creationInfo")
    creators = info.get("creators") if isinstance(info, dict) else None
    if isinstance(creators, list):
        for j, creator in enumerate(creators):
            if isinstance(creator, str):
                where = f"/creationInfo/creators/{j}"
                for role, value, party in actor_values(creator, "author"):
                    rows.append((role, value, party, _SBOM_AUTHOR, where, ""))
    return table


def _package(
    pkg: dict[str, Any], ptr: str, rows: list[Row], owners: list[Owner | tuple[Any, ...]]
) -> None:
    emit = rows.append
    refs = pkg.get("externalRefs")
    refs = refs if isinstance(refs, list) else []
    own = len(owners)
    owners.append((pkg, ptr))  # made by _owner when one of its subjects is read
    for role, tail in _ACTOR_FIELDS:
        value = pkg.get(role)
        if isinstance(value, str):
            for r, v, party in actor_values(value, role):
                emit((r, v, party, own, ptr, tail))
    for j, ref in enumerate(refs):
        if not isinstance(ref, dict):
            continue
        locator = ref.get("referenceLocator")
        if not isinstance(locator, str):
            continue
        kind = _ref_kind(ref.get("referenceType"), locator)
        if kind == "purl":
            ns = purl_namespace(locator)
            if ns:
                emit(("purl-namespace", ns, "identifier", own, ptr, _locator(j)))
        elif kind == "cpe":
            vendor = cpe_vendor(locator)
            if vendor:
                emit(("cpe-vendor", vendor, "identifier", own, ptr, _locator(j)))
    name = pkg.get("name")
    if isinstance(name, str) and name.strip():
        emit(("product-name", name.strip(), "unknown", own, ptr, "/name"))


_ACTOR_FIELDS = (("supplier", "/supplier"), ("originator", "/originator"))
_LOCATORS = tuple(f"/externalRefs/{j}/referenceLocator" for j in range(16))


def _locator(j: int) -> str:
    """The pointer tail of externalRefs[j].referenceLocator (the usual ones made once)."""
    return _LOCATORS[j] if j < 16 else f"/externalRefs/{j}/referenceLocator"


def _ref_kind(ref_type: Any, locator: str) -> str:
    """purl | cpe | "" from referenceType, tolerant of case and of ``cpe23Type`` vs
    ``cpe23``; the category is not consulted, so the 2.2 ``PACKAGE_MANAGER`` and 2.3
    ``PACKAGE-MANAGER`` spellings (and any casing) are all accepted. A locator that
    plainly is a purl or CPE counts even under an odd type (``OTHER``)."""
    return _kind(ref_type if isinstance(ref_type, str) else "", locator[:4].lower())


@lru_cache(maxsize=256)  # one or two reference types and heads per SBOM
def _kind(ref_type: str, head: str) -> str:
    t = ref_type.lower().replace("-", "").replace("_", "")
    if t in ("purl", "packageurl"):
        return "purl"
    if t in ("cpe22type", "cpe23type", "cpe22", "cpe23", "cpe"):
        return "cpe"
    if head == "pkg:":
        return "purl"
    if head == "cpe:":
        return "cpe"
    return ""


def _owner(pkg: dict[str, Any], ptr: str) -> Owner:
    refs = pkg.get("externalRefs")
    refs = refs if isinstance(refs, list) else []
    name = raw if isinstance(raw := pkg.get("name"), str) else ""
    version = pkg.get("versionInfo")
    label = "package " + (name or ptr)
    if name and isinstance(version, str) and version:
        label += "@" + version
    purpose = pkg.get("primaryPackagePurpose")
    if isinstance(purpose, str) and purpose:
        purpose = purpose.upper().replace("_", "-")
        category = "hardware" if purpose in _HARDWARE_PURPOSES else "software"
    else:
        category = ""
    purl = ""
    for ref in refs:
        if isinstance(ref, dict):
            locator = ref.get("referenceLocator")
            if isinstance(locator, str) and _ref_kind(ref.get("referenceType"), locator) == "purl":
                purl = locator
                break
    text = pkg.get("description") or pkg.get("summary") or ""
    return make_owner(ptr, label, category, name, text if isinstance(text, str) else "", purl)
