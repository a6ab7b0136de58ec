"""Which kind of document JSON-shaped data is, from its content (never its file name)."""

from __future__ import annotations

from typing import Any

from procgate.model import Kind

# procgate's own formats, by their `kind:` field.
_OWN = {
    "PurchaseRequest": Kind.PURCHASE_REQUEST,
    "BanList": Kind.BAN_LIST,
    "Waiver": Kind.WAIVER,
}


def detect(data: Any) -> tuple[Kind, str] | None:
    """(kind, spec version) of a parsed JSON or YAML document; None when it is none of ours."""
    if not isinstance(data, dict):
        return None
    if data.get("bomFormat") == "CycloneDX" or ("bomFormat" in data and "specVersion" in data):
        # A wrong bomFormat ("AnotherFormat", "cyclonedx") is still a CycloneDX document
        # with a mistake: its schema says `bomFormat` must be "CycloneDX", which helps more
        # than "unknown kind", and its components are still checked for vendors.
        return Kind.CYCLONEDX, _text(data.get("specVersion"))
    spdx_version = data.get("spdxVersion")
    if isinstance(spdx_version, str) and spdx_version.upper().startswith("SPDX-2"):
        return Kind.SPDX2, spdx_version
    if "@graph" in data and _spdx3_context(data.get("@context")):
        return Kind.SPDX3, spdx3_version(data)
    own = data.get("kind")
    kind = _OWN.get(own) if isinstance(own, str) else None
    if kind is not None:
        # A request with a wrong or missing apiVersion is still a request: its schema says
        # what is wrong, which helps more than "unknown kind".
        return kind, _text(data.get("apiVersion"))
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _spdx3_context(context: Any) -> bool:
    urls = context if isinstance(context, list) else [context]
    return any(isinstance(u, str) and "spdx.org/rdf/3" in u for u in urls)


def spdx3_version(data: dict[str, Any]) -> str:
    """CreationInfo.specVersion ("3.0.1"); else the version in the @context URL."""
    graph = data.get("@graph")
    for element in graph if isinstance(graph, list) else []:
        if not isinstance(element, dict):
            continue
        if element.get("type", element.get("@type")) == "CreationInfo":
            version = element.get("specVersion")
            if isinstance(version, str) and version:
                return version
    context = data.get("@context")
    for url in context if isinstance(context, list) else [context]:
        if isinstance(url, str) and "spdx.org/rdf/" in url:
            return url.split("spdx.org/rdf/", 1)[1].split("/", 1)[0]
    return ""
