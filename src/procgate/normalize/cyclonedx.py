"""CycloneDX 1.2–1.7 (JSON shape; XML arrives converted) → Subjects.

Walked: ``components`` (nested ``components`` at any depth), ``metadata.component`` and
its nested components, each component's ``pedigree.ancestors`` (a white-label or
rebuilt product names its upstream there), and ``services`` (nested too).

Where the schemas let an organization be named, and whether it is read, is the table
``ORGANIZATION_FIELDS`` below (definition.property, as in the official schemas of every
version 1.2–1.7); tests/unit/normalize/test_normalize_schema_fields.py walks those
schemas and fails when a field that can hold an organization or a contact is in neither
list. In short, per component: supplier / manufacturer (1.6) objects (name, url[] and
contact e-mails as domains), publisher, author (1.2–1.5 free text), authors[] (1.6),
the licensor of a commercial licence (1.5+), group, purl (namespace), cpe (vendor),
name (product-name, except for ``file`` components).

Person-typed fields (``authors[]``, contacts) are read with party ``unknown``, not
``person``: the SBOM's author chooses the field, so "AO Kaspersky Lab" written as an
author is matched when it is evidently an organization (a legal form, or exactly a
listed name or alias) while "Dahua Lin" still is not. A contact's e-mail stays in the
value (``Eugene <eugene@kaspersky.com>``): an address at a listed domain is a review.

``metadata.manufacturer`` (1.6) and ``metadata.authors`` name who made or wrote the
*BOM*, not necessarily the product; but a product's maker usually writes its own BOM,
so they are read with an owner of category ``sbom-author``, which the Rego decision
reports as a review, never a deny (policies/bans.rego ``sbom_writer``).
"""

from __future__ import annotations

from typing import Any

from procgate.model import Document, Owner
from procgate.normalize._emit import owner as make_owner
from procgate.normalize.parse import (
    cpe_vendor,
    domain_from_email,
    domain_from_url,
    purl_namespace,
)
from procgate.normalize.table import Row, SubjectTable

# component.type → Owner.category; types not listed (data, machine-learning-model,
# cryptographic-asset, …) say nothing about hardware vs software and stay "".
CATEGORIES = {
    "device": "hardware",
    "firmware": "hardware",
    "platform": "hardware",
    "application": "software",
    "library": "software",
    "framework": "software",
    "container": "software",
    "operating-system": "software",
    "device-driver": "software",
    "file": "software",
}

DOCUMENT_OWNER = Owner("", "the SBOM", "")
# Who made or wrote the BOM itself (metadata.manufacturer / metadata.authors).
SBOM_AUTHOR = Owner("/metadata", "the SBOM's author (metadata)", "sbom-author")
_DOCUMENT, _SBOM_AUTHOR = 0, 1  # their indexes in every table's owners

# definition.property -> how it is read, for every schema field that can hold an
# organizationalEntity, an organizationalContact, or a free-text maker.
ORGANIZATION_FIELDS_READ = {
    "component.supplier": "supplier (organization; url and contact e-mails as domains)",
    "component.manufacturer": "manufacturer (1.6; organization; url, contact e-mails)",
    "component.publisher": "publisher (free text, party unknown)",
    "component.author": "author (free text, party unknown)",
    "component.authors": "author (contacts, party unknown; e-mail kept in the value)",
    "metadata.supplier": "supplier of what the SBOM describes",
    "metadata.manufacture": "manufacturer of what the SBOM describes (deprecated 1.2-1.5)",
    "metadata.manufacturer": "manufacturer with owner sbom-author: a review, not a deny",
    "metadata.authors": "author with owner sbom-author: a review, not a deny",
    "service.provider": "supplier of the service",
    "organizationalEntity.contact": "e-mail domains only (the contact is a person at it)",
    "license.licensing.licensor": "publisher (who grants a commercial licence: its vendor)",
    "licensing.licensor": "publisher (1.7 form of the same)",
}
ORGANIZATION_FIELDS_NOT_READ = {
    "license.licensing.licensee": "who receives the licence: the buyer, not a vendor",
    "license.licensing.purchaser": "who bought the licence: the buyer, not a vendor",
    "licensing.licensee": "who receives the licence: the buyer, not a vendor",
    "licensing.purchaser": "who bought the licence: the buyer, not a vendor",
    "tool.vendor": "metadata.tools (1.2-1.4): the maker of the tool that wrote the BOM; a "
    "banned vendor's scanner does not put its code in the product",
    "annotations.annotator": "who wrote a comment about the BOM, not what it lists",
    "commit.author": "a person who made a commit in a component's pedigree",
    "commit.committer": "a person who made a commit in a component's pedigree",
    "vulnerability.credits": "researchers credited with finding a vulnerability",
    "dataGovernanceResponsibleParty": "custodians, stewards and owners of a data set's "
    "governance, not its supplier",
    "energyProvider.organization": "who supplies the energy a model was trained with",
    "bom.declarations": "attestation parties (assessors, signatories, evidence authors and "
    "reviewers, targets): conformance claims, not suppliers",
    "patent.patentAssignee": "(1.7) the owner of a patent the BOM cites",
    "standard.owner": "(1.6) the owner of a standard a declaration refers to",
}


def normalize_cyclonedx(doc: Document) -> SubjectTable:
    """Subjects of a CycloneDX document (see the module docstring for what is read)."""
    data = doc.data
    rows: list[Row] = []
    owners: list[Owner | tuple[Any, ...]] = [DOCUMENT_OWNER, SBOM_AUTHOR]
    table = SubjectTable(rows, owners, _component_owner)
    if not isinstance(data, dict):
        return table
    meta = data.get("metadata")
    if isinstance(meta, dict):
        main = meta.get("component")
        bom_owner = _DOCUMENT
        if isinstance(main, dict):
            bom_owner = _walk(
                [main], "/metadata/component", rows, owners, " (what the SBOM describes)"
            )
        # metadata.supplier supplies the thing the BOM describes: owned by it.
        _organization(meta.get("supplier"), "/metadata/supplier", "supplier", bom_owner, rows)
        _organization(
            meta.get("manufacture"), "/metadata/manufacture", "manufacturer", bom_owner, rows
        )
        # Who made or wrote the BOM: a review (see the module docstring).
        _organization(
            meta.get("manufacturer"), "/metadata/manufacturer", "manufacturer", _SBOM_AUTHOR, rows
        )
        authors = meta.get("authors")
        if isinstance(authors, list):
            _contacts(authors, "/metadata/authors", "author", _SBOM_AUTHOR, rows)
    components = data.get("components")
    if isinstance(components, list) and components:
        _walk(components, "/components/", rows, owners)
    services = data.get("services")
    if isinstance(services, list) and services:
        _services(services, "/services", rows, owners)
    return table


def _component_owner(ptr: str, c: dict[str, Any], suffix: str) -> Owner:
    """The Owner of component `c` at `ptr` (made when one of its subjects is read)."""
    name = c.get("name")
    if type(name) is not str:
        name = ""
    purl = c.get("purl")
    if type(purl) is not str:
        purl = ""
    ctype = c.get("type")
    description = c.get("description")
    label = _label(c, ptr, name, purl)
    return make_owner(
        ptr,
        label + suffix if suffix else label,
        CATEGORIES.get(ctype, "") if type(ctype) is str else "",
        name,
        description if type(description) is str else "",
        purl,
    )


def _label(c: dict[str, Any], ptr: str, name: str, purl: str) -> str:
    if name:
        version = c.get("version")
        if type(version) is str and version:
            return f"component {name}@{version}"
        return "component " + name
    return purl or "component at " + ptr


def _walk(
    roots: list[Any],
    prefix: str,
    rows: list[Row],
    owners: list[Owner | tuple[Any, ...]],
    suffix: str = "",
) -> int:
    """Emit the rows of the components in `roots` and of everything nested in them.

    Component i of a list is at ``prefix + str(i)``; a prefix without a trailing "/"
    is the pointer of a single root (metadata.component). Depth-first with an explicit
    stack, so deep npm trees cannot hit the recursion limit. This is the hot loop of a
    100k-component SBOM: locals are bound once, the common fields are inlined, and each
    value costs one tuple (its Owner is made only if one of its subjects is read).
    Returns the owner index of the first root.
    """
    emit = rows.append
    add_owner = owners.append
    first = _DOCUMENT
    stack: list[tuple[list[Any], str, str]] = [(roots, prefix, suffix)]
    while stack:
        batch, prefix, suffix = stack.pop()
        single = prefix[-1] != "/"
        for i, c in enumerate(batch):
            if type(c) is not dict:
                continue
            ptr = prefix if single else prefix + str(i)
            own = len(owners)
            add_owner((ptr, c, suffix))
            if first == _DOCUMENT:
                first = own

            v = c.get("supplier")
            if type(v) is dict:
                n = v.get("name")
                if type(n) is str:
                    n = n.strip()
                    if n:
                        emit(("supplier", n, "organization", own, ptr, "/supplier/name"))
                if "url" in v or "contact" in v:
                    _domains(v, ptr + "/supplier", own, rows)
            v = c.get("manufacturer")
            if v is not None:
                _organization(v, ptr + "/manufacturer", "manufacturer", own, rows)
            # publisher and author are free text naming "person(s) or organization(s)":
            # kept whole (an e-mail in them stays part of the value), party unknown.
            v = c.get("publisher")
            if type(v) is str:
                v = v.strip()
                if v:
                    emit(("publisher", v, "unknown", own, ptr, "/publisher"))
            v = c.get("author")
            if type(v) is str:
                v = v.strip()
                if v:
                    emit(("author", v, "unknown", own, ptr, "/author"))
            v = c.get("authors")
            if type(v) is list:
                _contacts(v, ptr + "/authors", "author", own, rows)
            v = c.get("licenses")
            if type(v) is list:
                # (1.5+) a commercial licence names its licensor; two dict look-ups per
                # licence entry when there is none.
                for j, lic in enumerate(v):
                    if type(lic) is dict:
                        inner = lic.get("license")
                        if "licensing" in lic or (type(inner) is dict and "licensing" in inner):
                            _licensor(lic, f"{ptr}/licenses/{j}", own, rows)
            v = c.get("group")
            if type(v) is str:
                v = v.strip()
                if v:
                    emit(("group", v, "identifier", own, ptr, "/group"))
            purl = c.get("purl")
            if type(purl) is str and purl:
                v = purl_namespace(purl)
                if v:
                    emit(("purl-namespace", v, "identifier", own, ptr, "/purl"))
            v = c.get("cpe")
            if type(v) is str and v:
                v = cpe_vendor(v)
                if v:
                    emit(("cpe-vendor", v, "identifier", own, ptr, "/cpe"))
            # 2k file names in a gomod SBOM add nothing; their supplier fields still count.
            name = c.get("name")
            if type(name) is str and name and c.get("type") != "file":
                v = name.strip()
                if v:
                    emit(("product-name", v, "unknown", own, ptr, "/name"))

            v = c.get("components")
            if type(v) is list and v:
                stack.append((v, ptr + "/components/", ""))
            v = c.get("pedigree")
            if type(v) is dict:
                v = v.get("ancestors")
                if type(v) is list and v:
                    name = name if type(name) is str else ""
                    label = _label(c, ptr, name, purl if type(purl) is str else "")
                    stack.append((v, ptr + "/pedigree/ancestors/", " (ancestor of " + label + ")"))
    return first


def _organization(value: Any, ptr: str, role: str, own: int, rows: list[Row]) -> None:
    """An organizationalEntity: name → `role`; url[] and contact[].email → domain."""
    if type(value) is not dict:
        return
    name = value.get("name")
    if type(name) is str:
        name = name.strip()
        if name:
            rows.append((role, name, "organization", own, ptr, "/name"))
    _domains(value, ptr, own, rows)


def _contacts(items: list[Any], ptr: str, role: str, own: int, rows: list[Row]) -> None:
    """organizationalContacts (authors): the name, with the e-mail kept in the value, party
    unknown (see the module docstring)."""
    for j, contact in enumerate(items):
        if type(contact) is not dict:
            continue
        name = contact.get("name")
        name = name.strip() if type(name) is str else ""
        email = contact.get("email")
        email = email.strip() if type(email) is str else ""
        value = f"{name} <{email}>" if name and email else name or (f"<{email}>" if email else "")
        if value:
            where = f"{ptr}/{j}/name" if name else f"{ptr}/{j}/email"
            rows.append((role, value, "unknown", own, where, ""))


def _licensor(entry: dict[str, Any], ptr: str, own: int, rows: list[Row]) -> None:
    """licenses[j].license.licensing.licensor (1.5, 1.6) or licenses[j].licensing.licensor
    (1.7 expressions): an organization, or an individual read as a contact."""
    licence = entry.get("license")
    if type(licence) is dict and "licensing" in licence:
        ptr, licensing = ptr + "/license/licensing", licence["licensing"]
    else:
        ptr, licensing = ptr + "/licensing", entry.get("licensing")
    licensor = licensing.get("licensor") if type(licensing) is dict else None
    if type(licensor) is not dict:
        return
    _organization(
        licensor.get("organization"), ptr + "/licensor/organization", "publisher", own, rows
    )
    individual = licensor.get("individual")
    if type(individual) is dict:
        _contacts([individual], ptr + "/licensor/individual", "publisher", own, rows)


def _domains(value: dict[str, Any], ptr: str, own: int, rows: list[Row]) -> None:
    """Domains of an organizationalEntity's url[] and contact[].email."""
    emit = rows.append
    urls = value.get("url")
    if type(urls) is str:  # lenient XML conversions may give a single string
        host = domain_from_url(urls)
        if host:
            emit(("domain", host, "identifier", own, ptr, "/url"))
    elif type(urls) is list:
        for j, u in enumerate(urls):
            if type(u) is str:
                host = domain_from_url(u)
                if host:
                    emit(("domain", host, "identifier", own, f"{ptr}/url/{j}", ""))
    contacts = value.get("contact")
    if type(contacts) is list:
        # A contact's e-mail at the organization names its domain; the contact's own
        # name is a person and is not emitted.
        for j, contact in enumerate(contacts):
            if type(contact) is dict:
                email = contact.get("email")
                if type(email) is str:
                    host = domain_from_email(email)
                    if host:
                        emit(("domain", host, "identifier", own, f"{ptr}/contact/{j}/email", ""))


def _services(
    items: list[Any], base: str, rows: list[Row], owners: list[Owner | tuple[Any, ...]]
) -> None:
    """services[] (SaaSBOM), nested services too: provider → supplier."""
    emit = rows.append
    stack: list[tuple[list[Any], str]] = [(items, base)]
    while stack:
        services, base_ptr = stack.pop()
        for i, s in enumerate(services):
            if type(s) is not dict:
                continue
            ptr = base_ptr + "/" + str(i)
            name = raw if type(raw := s.get("name")) is str else ""
            version = s.get("version")
            label = "service " + (name or ptr)
            if name and type(version) is str and version:
                label += "@" + version
            description = s.get("description")
            own = len(owners)
            owners.append(
                make_owner(
                    ptr,
                    label,
                    "service",
                    name,
                    description if type(description) is str else "",
                    "",
                )
            )
            _organization(s.get("provider"), ptr + "/provider", "supplier", own, rows)
            group = s.get("group")
            if type(group) is str and group.strip():
                emit(("group", group.strip(), "identifier", own, ptr, "/group"))
            if name.strip():
                emit(("product-name", name.strip(), "unknown", own, ptr, "/name"))
            nested = s.get("services")
            if type(nested) is list and nested:
                stack.append((nested, ptr + "/services"))
