"""CycloneDX 1.2–1.7 (JSON shape; XML arrives converted) → Subjects.

Walked: ``components`` (nested ``components`` at any depth), ``metadata.component`` and
its nested components, each component's ``pedigree.ancestors`` (a white-label or
rebuilt product names its upstream there), and ``services`` (nested too).

Read per component: supplier / manufacturer (1.6) objects (name, url[] and contact
e-mails as domains), publisher, author (1.2–1.5 free text), authors[] (1.6), group,
purl (namespace), cpe (vendor), name (product-name, except for ``file`` components).

Deliberately not read:
- ``metadata.manufacturer`` (1.6): the organization that made the *BOM*, not the
  product (the deprecated ``metadata.manufacture`` did mean the product's maker, and is
  read, owned by ``metadata.component``).
- ``metadata.authors`` and ``metadata.tools``: who wrote the BOM and with which tool. A
  banned vendor's scanner producing an SBOM does not put its code in the product.
- ``swid``: ``tagId`` holds product ids or GUIDs (``rhel``, ``debian``,
  ``swidgen-<uuid>``), never the vendor; the creator's regid is only inside the
  base64 ``swid.text`` tag. ``pkg:swid/`` purls carry the creator as their namespace,
  and those are read.
- ``pedigree.descendants``/``variants``: other builds, not what ships.
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
        _organization(meta.get("manufacture"), "/metadata/manufacture", "manufacturer",
                      bom_owner, out)
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
                for j, a in enumerate(v):
                    if type(a) is dict:
                        n = a.get("name")
                        if type(n) is str and n.strip():
                            emit(subject("author", n.strip(), f"{ptr}/authors/{j}/name", own,
                                         "person"))
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
                        emit(make_subject("domain", host, f"{ptr}/contact/{j}/email", own,
                                          "identifier"))


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
            name = s.get("name") if type(s.get("name")) is str else ""
            version = s.get("version")
            label = "service " + (name or ptr)
            if name and type(version) is str and version:
                label += "@" + version
            description = s.get("description")
            own = make_owner(ptr, label, "service", name,
                             description if type(description) is str else "", "")
            _organization(s.get("provider"), ptr + "/provider", "supplier", own, out)
            group = s.get("group")
            if type(group) is str and group.strip():
                emit(make_subject("group", group.strip(), ptr + "/group", own, "identifier"))
            if name.strip():
                emit(make_subject("product-name", name.strip(), ptr + "/name", own, "unknown"))
            nested = s.get("services")
            if type(nested) is list and nested:
                stack.append((nested, ptr + "/services"))
