"""Rego inputs that walk the decision table of the shipped ban lists, built with procgate's own
`rego_input` from model objects (as the pipeline builds them), for the differential tests.

Two tables, each a product, sized so both engines get through them in about a minute:

    in force   every entity x every day before/of/after each date that can change its
               outcome (its authorities' effective, supply, contents and sunset dates for any
               audience, its listings' dates, the product categories' dates)
               x every audience x every use condition; the item's shape rotates
    coverage   every entity x every shape of item or component (a request's vendor, items of
               each category and wording, SBOM hardware/software components, the SBOM's
               author, an approximate match, a name held only for a while)
               x every audience x every use condition, on dates before and after the
               last effective date and after the Drone Act's sunset

Matches are grouped into one input per (date, audience, use, document kind), as a document
with many matches gets them. A purchase request's input also carries items that name the
FCC Covered List's product categories (drones, routers, inverters), with and without
`made_in`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from procgate.decide.banlist_data import ban_data_as_json
from procgate.decide.inputs import rego_input
from procgate.model import BanData, Context, Document, Kind, Match, Owner, Subject

USES: tuple[tuple[str, ...], ...] = (
    (),  # the document says nothing: doubts
    ("federal-contract",),
    ("no-federal-contract",),
    ("public-safety", "information-security"),
    ("federal-contract", "critical-infrastructure"),
)
CERTAIN = 0.9
PER_INPUT = 12  # matches per input (OPA's cost grows with the square of their number)


@dataclass(frozen=True)
class Shape:
    """How a matched name sits in a document."""

    kind: Kind
    role: str
    category: str
    text: str
    score: float = 1.0
    window: bool = False  # the matched name held only from 30 days before to the date


REQUEST_SHAPES = (
    Shape(Kind.PURCHASE_REQUEST, "vendor", "", ""),
    Shape(Kind.PURCHASE_REQUEST, "manufacturer", "software", "endpoint security suite"),
    Shape(Kind.PURCHASE_REQUEST, "manufacturer", "hardware", "survey drone battery pack"),
    Shape(Kind.PURCHASE_REQUEST, "manufacturer", "service", "managed network service"),
    Shape(Kind.PURCHASE_REQUEST, "manufacturer", "software", "threat intelligence feed"),
    Shape(Kind.PURCHASE_REQUEST, "brand", "software", "TikTok for Business app"),
    Shape(Kind.PURCHASE_REQUEST, "manufacturer", "video-surveillance-equipment", "camera"),
    Shape(Kind.PURCHASE_REQUEST, "manufacturer", "", "office chairs"),
    Shape(Kind.PURCHASE_REQUEST, "manufacturer", "hardware", "switch", score=0.85),
    Shape(Kind.PURCHASE_REQUEST, "brand", "cloud-service", "hosting", window=True),
)
SBOM_SHAPES = (
    Shape(Kind.CYCLONEDX, "supplier", "hardware", "baseband firmware module"),
    Shape(Kind.CYCLONEDX, "supplier", "software", "json parser library"),
    Shape(Kind.CYCLONEDX, "publisher", "telecom-equipment", "lte cell modem"),
    Shape(Kind.CYCLONEDX, "author", "sbom-author", ""),
    Shape(Kind.CYCLONEDX, "purl-namespace", "software", "tiktok sdk"),
)
SHAPES = REQUEST_SHAPES + SBOM_SHAPES

# FCC Covered List product categories: items that name them, produced abroad, at home, or
# nobody says.
CATEGORY_ITEMS = (
    {"description": "Survey drone", "quantity": 1},
    {"description": "Home Wi-Fi router", "quantity": 3, "made_in": "CN"},
    {"description": "Consumer router", "quantity": 1, "made_in": "US"},
    {"description": "Solar power inverter", "quantity": 2, "made_in": "DE"},
)


def _dates(ban_data: BanData) -> tuple[dict[str, set[date]], set[date]]:
    """Dates that can change an entity's outcome (per entity), and the categories' dates, read
    from the data Rego gets."""
    data = ban_data_as_json(ban_data)
    per_authority: dict[str, set[date]] = {}
    for aid, authority in data["authorities"].items():
        found = per_authority.setdefault(aid, set())
        for entry in authority["audiences"].values():
            for key in ("effective", "supply_effective", "contents_effective", "until"):
                if entry.get(key):
                    found.add(date.fromisoformat(entry[key]))
    entities: dict[str, set[date]] = {}
    for eid, entity in data["entities"].items():
        found = entities.setdefault(eid, set())
        for listing in entity["listings"]:
            found |= per_authority.get(listing["authority"], set())
            if listing.get("since"):
                found.add(date.fromisoformat(listing["since"]))
    categories: set[date] = set()
    for c in data["categories"]:
        categories |= {date.fromisoformat(c["since"]), *per_authority.get(c["authority"], ())}
    return entities, categories


def around(days: set[date]) -> set[date]:
    return {d + timedelta(k) for d in days for k in (-1, 0, 1)}


Key = tuple[date, str, tuple[str, ...], Kind]


def cases(ban_data: BanData) -> list[tuple[str, dict[str, Any]]]:
    """(label, input) for both tables."""
    entity_dates, category_dates = _dates(ban_data)
    audiences = sorted(ban_data.audiences)
    groups: dict[Key, list[tuple[str, Shape]]] = {}
    rotation = itertools.count()
    for eid in sorted(ban_data.entities):  # in force: one shape at a time, rotating
        for day in sorted(around(entity_dates[eid])):
            for audience, use in itertools.product(audiences, USES):
                shape = SHAPES[next(rotation) % len(SHAPES)]
                groups.setdefault((day, audience, use, shape.kind), []).append((eid, shape))
    last = max(d for ds in entity_dates.values() for d in ds)
    coverage_days = (date(2026, 12, 3), last + timedelta(1), date(2028, 12, 23))
    for n, (eid, shape) in enumerate(itertools.product(sorted(ban_data.entities), SHAPES)):
        # coverage: every audience (one use) and every use (one audience) on the first day,
        # one audience and use on the later ones; which ones rotates
        one_use, one_audience = USES[n % len(USES)], audiences[n % len(audiences)]
        combos = {(a, one_use) for a in audiences} | {(one_audience, u) for u in USES}
        for i, day in enumerate(coverage_days):
            for audience, use in sorted(combos) if i == 0 else [(one_audience, one_use)]:
                groups.setdefault((day, audience, use, shape.kind), []).append((eid, shape))
    for day, audience, use in itertools.product(sorted(around(category_dates)), audiences, USES):
        groups.setdefault((day, audience, use, Kind.PURCHASE_REQUEST), [])
    out = []
    for (day, audience, use, kind), entries in sorted(groups.items(), key=_order):
        for start in range(0, max(len(entries), 1), PER_INPUT):
            chunk = entries[start : start + PER_INPUT]
            label = f"{day} {audience} use={list(use)} {kind} matches {start}-{start + len(chunk)}"
            out.append((label, _input(ban_data, day, audience, use, kind, chunk)))
    return out


def _order(item: tuple[Key, Any]) -> tuple[str, str, tuple[str, ...], str]:
    day, audience, use, kind = item[0]
    return day.isoformat(), audience, use, str(kind)


def _input(
    ban_data: BanData,
    day: date,
    audience: str,
    use: tuple[str, ...],
    kind: Kind,
    entries: list[tuple[str, Shape]],
) -> dict[str, Any]:
    matches: list[Match] = []
    items: list[dict[str, Any]] = []
    for eid, shape in entries:
        name = ban_data.entities[eid].name
        if kind is Kind.PURCHASE_REQUEST and shape.role == "vendor":
            owner = Owner("", "the vendor", "")
            pointer = "/vendor/name"
        elif kind is Kind.PURCHASE_REQUEST:
            owner = Owner(
                f"/items/{len(items)}",
                f"item {len(items) + 1} ({shape.text})",
                shape.category,
                shape.text,
                shape.text,
            )
            pointer = f"{owner.pointer}/manufacturer/name"
            items.append(
                {"description": shape.text, "quantity": 1, "category": shape.category or None}
            )
        else:
            owner = Owner(
                f"/components/{len(matches)}",
                f"component {shape.text or 'metadata'}",
                shape.category,
                shape.text,
                shape.text,
                f"pkg:generic/{eid}/{shape.text.replace(' ', '-')}",
            )
            pointer = f"{owner.pointer}/{shape.role}/name"
        since, until = (day - timedelta(30), day) if shape.window else (None, None)
        matches.append(
            Match(
                Subject(shape.role, name, pointer, owner),
                eid,
                name,
                shape.score,
                "brand" if shape.window else "legal-name",
                since,
                until,
            )
        )
    if kind is Kind.PURCHASE_REQUEST:
        data: dict[str, Any] = {
            "apiVersion": "procgate/v1",
            "kind": "PurchaseRequest",
            "id": "PR-GENERATED",
            "use": list(use),
            "items": [*items, *CATEGORY_ITEMS],
        }
        if day.toordinal() % 2:  # half of them with a period of performance (the horizon)
            data["performance"] = {
                "start": day.isoformat(),
                "end": (day + timedelta(400)).isoformat(),
            }
        doc = Document("generated/request.yaml", kind, data, "yaml", spec_version="procgate/v1")
    else:
        doc = Document("generated/bom.cdx.json", kind, {}, "json", spec_version="1.6")
    return rego_input(doc, matches, Context(audience, day, use), ban_data, CERTAIN)


def count_matches(generated: list[tuple[str, dict[str, Any]]]) -> int:
    return sum(len(i["matches"]) for _, i in generated)


def iter_inputs(generated: list[tuple[str, dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    for _, i in generated:
        yield i
