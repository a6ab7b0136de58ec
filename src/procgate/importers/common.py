"""What the importers share: the options, the output document, ids and identifiers."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from procgate.identifiers import VALIDATORS, identifier_key

_SLUG = re.compile(r"[^a-z0-9]+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ACRONYM = re.compile(r"\(([A-Za-z][A-Za-z0-9&-]{0,11})\)")  # "Entity List (EL) - ..."


@dataclass(frozen=True)
class ImportOptions:
    name: str  # metadata.name of the written list, and the prefix of its ids
    audience: str = "us-person"
    severity: str = "warn"  # a screening-list hit asks for review unless told otherwise
    today: date = field(default_factory=date.today)


@dataclass
class Imported:
    document: dict[str, Any]
    counts: Counter[str] = field(default_factory=Counter)


def slug(text: str, limit: int = 40) -> str:
    return _SLUG.sub("-", text.casefold()).strip("-")[:limit].strip("-") or "x"


def entity_id(prefix: str, key: str) -> str:
    """Stable, schema-valid id: prefix, a readable part and a short hash of the source key."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{slug(prefix, 12)}-{slug(key, 30)}-{digest}"[:64].strip("-")


def iso_date(value: Any) -> str | None:
    if isinstance(value, str) and _DATE.match(value):
        return value[:10]
    return None


# How lists spell identifier types -> our scheme
_ID_TYPES = (
    ("lei", "lei"),
    ("legal entity", "lei"),
    ("uei", "uei"),
    ("unique entity", "uei"),
    ("cage", "cage"),
    ("duns", "duns"),
    ("d-u-n-s", "duns"),
)


def scheme_of(id_type: str) -> str | None:
    lowered = id_type.casefold()
    return next((scheme for word, scheme in _ID_TYPES if word in lowered), None)


def add_identifier(
    ids: dict[str, list[str]], scheme: str, value: Any, counts: Counter[str]
) -> None:
    """Kept only when well formed for its scheme (an LEI with valid check digits...)."""
    if not isinstance(value, str):
        return
    key = identifier_key(value)
    if VALIDATORS[scheme](key):
        if key not in ids.setdefault(scheme, []):
            ids[scheme].append(key)
    else:
        counts[f"identifiers dropped ({scheme}: bad shape or check digits)"] += 1


def document(
    options: ImportOptions,
    description: str,
    authorities: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    as_of: str | None,
) -> dict[str, Any]:
    """`as_of`: the date the source says its data is current as of (None: it says none,
    and the import day is written). With it the list can go stale (data.stale) like any
    curated list: a screening list downloaded once and never again must not look current."""
    when = (
        f"as of {as_of}, the date the source gives"
        if as_of
        else "as of the import day: the source gives no date"
    )
    return {
        "apiVersion": "procgate/v1",
        "kind": "BanList",
        "metadata": {
            "name": slug(options.name, 64),
            "description": description,
            "updated": options.today.isoformat(),
            "as_of": as_of or options.today.isoformat(),
            "notes": [
                "Imported by `procgate import`; organizations only (people are never matched "
                "by name). Identifiers with a bad shape or check digits were dropped.",
                f"Current {when}; import the list again to refresh it.",
            ],
        },
        "audiences": {options.audience: []},  # so the file also loads on its own
        "authorities": authorities,
        "entities": entities,
    }


def authority_id(prefix: str, list_name: str, taken: Collection[str]) -> str:
    """Short and readable: the list's own acronym ("csl-el" for "Entity List (EL) - Bureau of
    Industry and Security"), else its name ("ftm-us-trade-csl"); -2, -3... if taken."""
    acronym = _ACRONYM.search(list_name)
    base = f"{slug(prefix, 12)}-{slug(acronym[1] if acronym else list_name, 24)}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def authority(
    options: ImportOptions,
    list_name: str,
    source: str,
    effective: str | None,
    taken: Collection[str],
) -> dict[str, Any]:
    return {
        "id": authority_id(options.name, list_name, taken),
        "title": list_name,
        "citation": list_name,
        # A list without any date is in force from the start of time; its listings say
        # since_unknown, so no report shows this date.
        "audiences": {
            options.audience: {"effective": effective or "1970-01-01", "severity": options.severity}
        },
        "waivable": True,
        "waiver_note": "Imported screening list: the organisation decides on exceptions.",
        "summary": f"Entities on {list_name}, imported from a public screening list.",
        "action": "Check the match against the list entry before buying from this party.",
        "source": source,
    }
