"""Purchase request (procgate/v1) → Subjects.

Document level: vendor.name (vendor), vendor.uei/cage/lei/duns, vendor.website (domain).
Per item: manufacturer.name (manufacturer), brand, manufacturer.uei/cage/lei/duns,
product and model (product-name: a model number such as "DS-2CD2143G2" or a product
such as "Kaspersky Endpoint Security" can name the maker on its own).

The request may be schema-invalid (validation reports that separately), so every
field is type-checked and anything unexpected is skipped, never raised on.
"""

from __future__ import annotations

from typing import Any

from procgate.model import Document, Owner, Subject
from procgate.normalize._emit import owner as make_owner
from procgate.normalize._emit import subject as make_subject
from procgate.normalize._emit import text
from procgate.normalize.parse import domain_from_url

IDENTIFIERS = ("uei", "cage", "lei", "duns")


def normalize_purchase(doc: Document) -> list[Subject]:
    """Subjects of a procgate/v1 purchase request: its vendor and each item's maker."""
    data = doc.data
    out: list[Subject] = []
    if not isinstance(data, dict):
        return out
    request_id = text(data.get("id"))
    document = make_owner(
        "", f"purchase request {request_id}" if request_id else "purchase request", "", "", "", ""
    )
    vendor = data.get("vendor")
    if isinstance(vendor, dict):
        name = text(vendor.get("name"))
        if name:
            out.append(make_subject("vendor", name, "/vendor/name", document, "organization"))
        _identifiers(vendor, "/vendor", document, out)
        website = text(vendor.get("website"))
        host = domain_from_url(website) if website else None
        if host:
            out.append(make_subject("domain", host, "/vendor/website", document, "identifier"))
    items = data.get("items")
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                _item(item, i, out)
    return out


def _item(item: dict[str, Any], index: int, out: list[Subject]) -> None:
    ptr = f"/items/{index}"
    own = item_owner(item, index)
    manufacturer = item.get("manufacturer")
    if isinstance(manufacturer, dict):
        name = text(manufacturer.get("name"))
        if name:
            out.append(
                make_subject("manufacturer", name, ptr + "/manufacturer/name", own, "organization")
            )
        _identifiers(manufacturer, ptr + "/manufacturer", own, out)
    elif isinstance(manufacturer, str) and manufacturer.strip():
        # A common slip (`manufacturer: Hikvision`); the schema flags it, we still look.
        out.append(
            make_subject(
                "manufacturer", manufacturer.strip(), ptr + "/manufacturer", own, "organization"
            )
        )
    brand = text(item.get("brand"))
    if brand:
        out.append(make_subject("brand", brand, ptr + "/brand", own, "organization"))
    for key in ("product", "model"):
        value = text(item.get(key))
        if value:
            out.append(make_subject("product-name", value, f"{ptr}/{key}", own, "unknown"))


def item_owner(item: dict[str, Any], index: int) -> Owner:
    """Owner of ``items[index]``: label "item N (<product or description>)"."""
    description = text(item.get("description")) or ""
    product = text(item.get("product")) or ""
    name = product or description
    words = [w for w in (description, product, text(item.get("model")), text(item.get("sku"))) if w]
    category = item.get("category")
    return make_owner(
        f"/items/{index}",
        f"item {index + 1} ({name})" if name else f"item {index + 1}",
        category if isinstance(category, str) else "",
        name,
        " ".join(words),
        "",
    )


def _identifiers(party: dict[str, Any], ptr: str, own: Owner, out: list[Subject]) -> None:
    for key in IDENTIFIERS:
        value = text(party.get(key))
        if value:  # an unquoted all-digit CAGE/DUNS arrives as an int: text() strs it
            out.append(make_subject(key, value, f"{ptr}/{key}", own, "identifier"))
