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

from procgate.model import Document, Owner, Subject
from procgate.normalize._emit import owner as make_owner
from procgate.normalize._emit import subject as make_subject
from procgate.normalize.parse import (
    cpe_vendor,
    domain_from_email,
    domain_from_url,
    purl_namespace,
)

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


def normalize_cyclonedx(doc: Document) -> list[Subject]:
    """Subjects of a CycloneDX document (see the module docstring for what is read)."""
    data = doc.data
    out: list[Subject] = []
    if not isinstance(data, dict):
        return out
    meta = data.get("metadata")
    if isinstance(meta, dict):
        main = meta.get("component")
        bom_owner = DOCUMENT_OWNER
        if isinstance(main, dict):
            bom_owner = _walk([main], "/metadata/component", out, " (what the SBOM describes)")
        # metadata.supplier supplies the thing the BOM describes: owned by it.
        _organization(meta.get("supplier"), "/metadata/supplier", "supplier", bom_owner, out)
        _organization(
            meta.get("manufacture"), "/metadata/manufacture", "manufacturer", bom_owner, out
        )
        # Who made or wrote the BOM: a review (see the module docstring).
        _organization(
            meta.get("manufacturer"), "/metadata/manufacturer", "manufacturer", SBOM_AUTHOR, out
        )
        authors = meta.get("authors")
        if isinstance(authors, list):
            _contacts(authors, "/metadata/authors", "author", SBOM_AUTHOR, out)
    components = data.get("components")
    if isinstance(components, list) and components:
        _walk(components, "/components/", out)
    services = data.get("services")
    if isinstance(services, list) and services:
        _services(services, "/services", out)
    return out


def _walk(roots: list[Any], prefix: str, out: list[Subject], suffix: str = "") -> Owner:
    """Emit the subjects of the components in `roots` and of everything nested in them.

    Component i of a list is at ``prefix + str(i)``; a prefix without a trailing "/"
    is the pointer of a single root (metadata.component). Depth-first with an explicit
    stack, so deep npm trees cannot hit the recursion limit. This is the hot loop of a
    100k-component SBOM: locals are bound once and the common fields are inlined.
    Returns the owner of the first root.
    """
    emit = out.append
    subject = make_subject
    new_owner = make_owner
    categories = CATEGORIES
    first: Owner = DOCUMENT_OWNER
    stack: list[tuple[list[Any], str, str]] = [(roots, prefix, suffix)]
    while stack:
        batch, prefix, suffix = stack.pop()
        single = prefix[-1] != "/"
        for i, c in enumerate(batch):
            if type(c) is not dict:
                continue
            ptr = prefix if single else prefix + str(i)
            name = c.get("name")
            if type(name) is not str:
                name = ""
            purl = c.get("purl")
            if type(purl) is not str:
                purl = ""
            ctype = c.get("type")
            if name:
                version = c.get("version")
                if type(version) is str and version:
                    label = f"component {name}@{version}"
                else:
                    label = "component " + name
            else:
                label = purl or "component at " + ptr
            description = c.get("description")
            own = new_owner(
                ptr,
                label + suffix if suffix else label,
                categories.get(ctype, "") if type(ctype) is str else "",
                name,
                description if type(description) is str else "",
                purl,
            )
            if first is DOCUMENT_OWNER:
                first = own

            v = c.get("supplier")
            if type(v) is dict:
                n = v.get("name")
                if type(n) is str:
                    n = n.strip()
                    if n:
                        emit(subject("supplier", n, ptr + "/supplier/name", own, "organization"))
                if "url" in v or "contact" in v:
                    _domains(v, ptr + "/supplier", own, out)
            v = c.get("manufacturer")
            if v is not None:
                _organization(v, ptr + "/manufacturer", "manufacturer", own, out)
            # publisher and author are free text naming "person(s) or organization(s)":
            # kept whole (an e-mail in them stays part of the value), party unknown.
            v = c.get("publisher")
            if type(v) is str:
                v = v.strip()
                if v:
                    emit(subject("publisher", v, ptr + "/publisher", own, "unknown"))
            v = c.get("author")
            if type(v) is str:
                v = v.strip()
                if v:
                    emit(subject("author", v, ptr + "/author", own, "unknown"))
            v = c.get("authors")
            if type(v) is list:
                _contacts(v, ptr + "/authors", "author", own, out)
            v = c.get("licenses")
            if type(v) is list:
                # (1.5+) a commercial licence names its licensor; two dict look-ups per
                # licence entry when there is none.
                for j, lic in enumerate(v):
                    if type(lic) is dict:
                        inner = lic.get("license")
                        if "licensing" in lic or (type(inner) is dict and "licensing" in inner):
                            _licensor(lic, f"{ptr}/licenses/{j}", own, out)
            v = c.get("group")
            if type(v) is str:
                v = v.strip()
                if v:
                    emit(subject("group", v, ptr + "/group", own, "identifier"))
            if purl:
                v = purl_namespace(purl)
                if v:
                    emit(subject("purl-namespace", v, ptr + "/purl", own, "identifier"))
            v = c.get("cpe")
            if type(v) is str and v:
                v = cpe_vendor(v)
                if v:
                    emit(subject("cpe-vendor", v, ptr + "/cpe", own, "identifier"))
            # 2k file names in a gomod SBOM add nothing; their supplier fields still count.
            if name and ctype != "file":
                v = name.strip()
                if v:
                    emit(subject("product-name", v, ptr + "/name", own, "unknown"))

            v = c.get("components")
            if type(v) is list and v:
                stack.append((v, ptr + "/components/", ""))
            v = c.get("pedigree")
            if type(v) is dict:
                v = v.get("ancestors")
                if type(v) is list and v:
                    stack.append((v, ptr + "/pedigree/ancestors/", " (ancestor of " + label + ")"))
    return first


def _organization(value: Any, ptr: str, role: str, own: Owner, out: list[Subject]) -> None:
    """An organizationalEntity: name → `role`; url[] and contact[].email → domain."""
    if type(value) is not dict:
        return
    name = value.get("name")
    if type(name) is str:
        name = name.strip()
        if name:
            out.append(make_subject(role, name, ptr + "/name", own, "organization"))
    _domains(value, ptr, own, out)


def _contacts(items: list[Any], ptr: str, role: str, own: Owner, out: list[Subject]) -> None:
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
            out.append(make_subject(role, value, where, own, "unknown"))


def _licensor(entry: dict[str, Any], ptr: str, own: Owner, out: list[Subject]) -> None:
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
        licensor.get("organization"), ptr + "/licensor/organization", "publisher", own, out
    )
    individual = licensor.get("individual")
    if type(individual) is dict:
        _contacts([individual], ptr + "/licensor/individual", "publisher", own, out)


def _domains(value: dict[str, Any], ptr: str, own: Owner, out: list[Subject]) -> None:
    """Domains of an organizationalEntity's url[] and contact[].email."""
    emit = out.append
    urls = value.get("url")
    if type(urls) is str:  # lenient XML conversions may give a single string
        host = domain_from_url(urls)
        if host:
            emit(make_subject("domain", host, ptr + "/url", own, "identifier"))
    elif type(urls) is list:
        for j, u in enumerate(urls):
            if type(u) is str:
                host = domain_from_url(u)
                if host:
                    emit(make_subject("domain", host, f"{ptr}/url/{j}", own, "identifier"))
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
                        emit(
                            make_subject(
                                "domain", host, f"{ptr}/contact/{j}/email", own, "identifier"
                            )
                        )


def _services(items: list[Any], base: str, out: list[Subject]) -> None:
    """services[] (SaaSBOM), nested services too: provider → supplier."""
    emit = out.append
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
            own = make_owner(
                ptr, label, "service", name, description if type(description) is str else "", ""
            )
            _organization(s.get("provider"), ptr + "/provider", "supplier", own, out)
            group = s.get("group")
            if type(group) is str and group.strip():
                emit(make_subject("group", group.strip(), ptr + "/group", own, "identifier"))
            if name.strip():
                emit(make_subject("product-name", name.strip(), ptr + "/name", own, "unknown"))
            nested = s.get("services")
            if type(nested) is list and nested:
                stack.append((nested, ptr + "/services"))
