"""SPDX 3 JSON-LD → Subjects.

Package-like elements of ``@graph`` (``software_Package``, ``ai_AIPackage``,
``dataset_DatasetPackage``; also un-prefixed or full-IRI type names) give:
``suppliedBy`` (supplier) and ``originatedBy`` (originator), references resolved by
``spdxId`` to Organization / Person / Agent elements and read from their ``name`` (and
an Organization's ``email`` external identifier as a domain); ``software_packageUrl``
and ``externalIdentifier`` entries of type packageUrl/purl (namespace) and cpe22/cpe23
(vendor), inline or referenced by ``spdxId``; ``name`` (product-name).

Pointers name the field in the package that states the subject (``suppliedBy``,
``externalIdentifier/0``), not the referenced element: that is where a person fixes
it. A reference that resolves to nothing, or to an agent without a name, gives no
subject: its IRI is an identifier chosen by the SBOM's author (``https://pypi.org/
user/x``), not a vendor name. A Person agent is read with party ``unknown``, as SPDX 2
persons are (see _emit.actor_values). ``CreationInfo.createdBy`` (the agents that
wrote the SBOM; a CreationInfo element of the graph or one inline in an element) is read
as SPDX 2 creators are: role author, owner category ``sbom-author``, a
review in the Rego decision, never a deny; each agent once, at its first reference.
"""

from __future__ import annotations

from typing import Any

from procgate.model import Document, Owner, Subject
from procgate.normalize._emit import owner as make_owner
from procgate.normalize._emit import subject as make_subject
from procgate.normalize.parse import cpe_vendor, domain_from_email, parse_actor, purl_namespace

_PACKAGE_TYPES = frozenset(("Package", "AIPackage", "DatasetPackage"))
_AGENT_PARTIES = {
    "Organization": "organization",
    "Person": "person",
    "Agent": "unknown",
    "SoftwareAgent": "unknown",
}
_HARDWARE_PURPOSES = frozenset(("device", "firmware"))


def short_name(value: Any) -> str:
    """``software_Package``, ``Package`` and ``https://spdx.org/rdf/3.0.1/terms/Software/
    Package`` all → ``Package`` (also for externalIdentifierType values)."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    if not isinstance(value, str):
        return ""
    text: str = value
    for sep in "/#:":
        cut = text.rfind(sep)
        if cut >= 0:
            text = text[cut + 1 :]
    return text.rsplit("_", 1)[-1]


def _element_type(element: dict[str, Any]) -> str:
    return short_name(element.get("type", element.get("@type")))


def normalize_spdx3(doc: Document) -> list[Subject]:
    """Subjects of the package-like elements of an SPDX 3 JSON-LD graph."""
    data = doc.data
    out: list[Subject] = []
    graph = data.get("@graph") if isinstance(data, dict) else None
    if not isinstance(graph, list):
        return out
    by_id: dict[str, dict[str, Any]] = {}
    for element in graph:
        if isinstance(element, dict):
            ident = element.get("spdxId", element.get("@id"))
            if isinstance(ident, str):
                by_id[ident] = element
    for i, element in enumerate(graph):
        if isinstance(element, dict) and _element_type(element) in _PACKAGE_TYPES:
            _package(element, f"/@graph/{i}", by_id, out)
    _creators(graph, by_id, out)
    return out


def _creators(graph: list[Any], by_id: dict[str, dict[str, Any]], out: list[Subject]) -> None:
    """``createdBy`` of every CreationInfo, in the graph or inline in an element."""
    seen: set[str] = set()
    for i, element in enumerate(graph):
        if not isinstance(element, dict):
            continue
        info: Any
        info, ptr = element, f"/@graph/{i}"
        if _element_type(element) != "CreationInfo":
            info, ptr = element.get("creationInfo"), f"/@graph/{i}/creationInfo"
            if not isinstance(info, dict):
                continue
        created_by = info.get("createdBy")
        own = Owner(ptr, "the SBOM's author (CreationInfo)", "sbom-author")
        single = not isinstance(created_by, list)
        for j, ref in enumerate(_list(created_by)):
            key = ref if isinstance(ref, str) else repr(ref)
            if key not in seen:
                seen.add(key)
                where = f"{ptr}/createdBy" if single else f"{ptr}/createdBy/{j}"
                _agent(ref, "author", where, own, by_id, out)


def _package(
    pkg: dict[str, Any], ptr: str, by_id: dict[str, dict[str, Any]], out: list[Subject]
) -> None:
    emit = out.append
    own = _owner(pkg, ptr, by_id)
    for key, role in (("suppliedBy", "supplier"), ("originatedBy", "originator")):
        value = pkg.get(key)
        if isinstance(value, list):
            for j, ref in enumerate(value):
                _agent(ref, role, f"{ptr}/{key}/{j}", own, by_id, out)
        elif value is not None:
            _agent(value, role, f"{ptr}/{key}", own, by_id, out)
    for key in ("software_packageUrl", "packageUrl"):
        purl = pkg.get(key)
        if isinstance(purl, str):
            ns = purl_namespace(purl)
            if ns:
                emit(make_subject("purl-namespace", ns, f"{ptr}/{key}", own, "identifier"))
    for where, kind, identifier in _identifiers(pkg, ptr, by_id):
        if kind == "purl":
            ns = purl_namespace(identifier)
            if ns:
                emit(make_subject("purl-namespace", ns, where, own, "identifier"))
        else:
            vendor = cpe_vendor(identifier)
            if vendor:
                emit(make_subject("cpe-vendor", vendor, where, own, "identifier"))
    name = pkg.get("name")
    if isinstance(name, str) and name.strip():
        emit(make_subject("product-name", name.strip(), ptr + "/name", own, "unknown"))


def _agent(
    ref: Any,
    role: str,
    ptr: str,
    own: Owner,
    by_id: dict[str, dict[str, Any]],
    out: list[Subject],
) -> None:
    """One suppliedBy/originatedBy value: an spdxId reference or an inline element."""
    agent = by_id.get(ref) if isinstance(ref, str) else ref
    if not isinstance(agent, dict):
        return
    name = agent.get("name")
    if not isinstance(name, str) or not name.strip():
        return
    kind = _element_type(agent)
    if kind == "Tool":
        return
    party = _AGENT_PARTIES.get(kind, "unknown")
    # sbom-tool writes SPDX 2 actor syntax into SPDX 3 names ("Organization: Microsoft").
    actor = parse_actor(name)
    if actor is None or actor.kind == "tool":
        return
    if actor.kind != "unknown":
        name, party = actor.name, actor.kind
    else:
        name = name.strip()
    if party == "person":  # a declared person is matched when evidently an organization
        party = "unknown"
    out.append(make_subject(role, name, ptr, own, party))
    if party == "organization":
        emails = [actor.email] if actor.email else []
        for ident in _list(agent.get("externalIdentifier")):
            if not isinstance(ident, dict) or not isinstance(ident.get("identifier"), str):
                continue
            if short_name(ident.get("externalIdentifierType")) == "email":
                emails.append(ident["identifier"])
        for email in emails:
            host = domain_from_email(email)
            if host:
                out.append(make_subject("domain", host, ptr, own, "identifier"))


def _identifiers(
    pkg: dict[str, Any], ptr: str, by_id: dict[str, dict[str, Any]]
) -> list[tuple[str, str, str]]:
    """(pointer, purl|cpe, identifier) for each usable externalIdentifier entry."""
    found: list[tuple[str, str, str]] = []
    entries = pkg.get("externalIdentifier")
    single = isinstance(entries, (dict, str))
    for j, entry in enumerate(_list(entries)):
        where = f"{ptr}/externalIdentifier" if single else f"{ptr}/externalIdentifier/{j}"
        if isinstance(entry, str):  # sbom-tool: a reference to an ExternalIdentifier
            entry = by_id.get(entry)
        elif isinstance(entry, dict):
            where += "/identifier"
        if not isinstance(entry, dict):
            continue
        identifier = entry.get("identifier")
        if not isinstance(identifier, str):
            continue
        kind = short_name(entry.get("externalIdentifierType")).lower()
        if kind in ("packageurl", "purl"):
            found.append((where, "purl", identifier))
        elif kind in ("cpe22", "cpe23", "cpe22type", "cpe23type"):
            found.append((where, "cpe", identifier))
    return found


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _owner(pkg: dict[str, Any], ptr: str, by_id: dict[str, dict[str, Any]]) -> Owner:
    name = raw if isinstance(raw := pkg.get("name"), str) else ""
    version = pkg.get("software_packageVersion", pkg.get("packageVersion"))
    label = "package " + (name or ptr)
    if name and isinstance(version, str) and version:
        label += "@" + version
    purpose = short_name(pkg.get("software_primaryPurpose", pkg.get("primaryPurpose")))
    if _element_type(pkg) == "DatasetPackage":
        category = ""
    elif purpose.lower() in _HARDWARE_PURPOSES:
        category = "hardware"
    else:
        category = "software"
    purl = pkg.get("software_packageUrl", pkg.get("packageUrl"))
    if not isinstance(purl, str):
        purl = next((i for _, kind, i in _identifiers(pkg, ptr, by_id) if kind == "purl"), "")
    text = pkg.get("description") or pkg.get("summary") or ""
    return make_owner(ptr, label, category, name, text if isinstance(text, str) else "", purl)
