"""trade.gov Consolidated Screening List (consolidated.json) -> ban list.

Fields used (InternationalTradeAdministration/csl-importers shared/output.py): id, source,
entity_number, type, name, alt_names, addresses[].country, ids[] {type, number}, start_date,
programs, source_list_url, source_information_url; for the list's as-of date,
sources_used[].last_imported (else source_last_updated), else search_performed_at. One
authority per `source` string (the 12 lists: "Entity List (EL) - Bureau of Industry and
Security", ...).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson

from procgate.errors import DataError
from procgate.importers.common import (
    Imported,
    ImportOptions,
    add_identifier,
    authority,
    document,
    entity_id,
    iso_date,
    scheme_of,
)

_ORGANIZATION_TYPES = {"entity", "organization", "company", ""}
_DEFAULT_SOURCE = "https://api.trade.gov/static/consolidated_screening_list/consolidated.json"


def import_csl(raw: bytes, options: ImportOptions) -> Imported:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        raise DataError(f"not JSON: {e}", "Pass the consolidated.json file of the CSL.") from e
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise DataError("no `results` list", "Pass the consolidated.json file of the CSL.")
    counts: Counter[str] = Counter()
    lists: dict[str, dict[str, Any]] = {}
    entities = []
    for row in results:
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            counts["rows without a name"] += 1
            continue
        if str(row.get("type") or "").casefold() not in _ORGANIZATION_TYPES:
            counts[f"skipped: {row.get('type')}"] += 1
            continue
        list_name = str(row.get("source") or "Consolidated Screening List")
        url = row.get("source_list_url") or row.get("source_information_url") or _DEFAULT_SOURCE
        since = iso_date(row.get("start_date"))
        held = lists.get(list_name)
        if held is None:
            taken = {a["id"] for a in lists.values()}
            held = lists[list_name] = authority(options, list_name, str(url), since, taken)
        elif since and since < held["audiences"][options.audience]["effective"]:
            held["audiences"][options.audience]["effective"] = since
        entities.append(_entity(row, held["id"], list_name, str(url), since, options, counts))
        counts["entities"] += 1
    return Imported(
        document(
            options,
            "Imported from the trade.gov Consolidated Screening List.",
            list(lists.values()),
            entities,
            _as_of(data),
        ),
        counts,
    )


def _as_of(data: Any) -> str | None:
    """The oldest `last_imported` of the lists the file was made from (the whole file is as
    current as its least current list), else when the search was performed."""
    if not isinstance(data, dict):
        return None
    sources = data.get("sources_used")
    imported = (
        [
            iso_date(s.get("last_imported") or s.get("source_last_updated"))
            for s in sources
            if isinstance(s, dict)
        ]
        if isinstance(sources, list)
        else []
    )
    known = [d for d in imported if d]
    return min(known) if known else iso_date(data.get("search_performed_at"))


def _entity(
    row: dict[str, Any],
    authority_id: str,
    list_name: str,
    url: str,
    since: str | None,
    options: ImportOptions,
    counts: Counter[str],
) -> dict[str, Any]:
    key = str(row.get("id") or row.get("_id") or row.get("entity_number") or row["name"])
    names = []
    for alt in row.get("alt_names") or []:
        if isinstance(alt, str) and alt.strip() and alt.strip() != row["name"].strip():
            names.append({"value": alt.strip(), "via": "alias", "source": url})
    ids: dict[str, list[str]] = {}
    for entry in row.get("ids") or []:
        if isinstance(entry, dict) and (scheme := scheme_of(str(entry.get("type") or ""))):
            add_identifier(ids, scheme, entry.get("number"), counts)
    countries = [a.get("country") for a in row.get("addresses") or [] if isinstance(a, dict)]
    country = next((c for c in countries if isinstance(c, str) and len(c) == 2), None)
    programs = ", ".join(p for p in row.get("programs") or [] if isinstance(p, str))
    listing: dict[str, Any] = {
        "authority": authority_id,
        "scope": "any",
        "entry": f"{list_name}" + (f" ({programs})" if programs else ""),
        "source": url,
    }
    if since:
        listing["since"] = since
    else:  # the list does not say when: reports must not invent a date
        listing["since_unknown"] = True
    entity: dict[str, Any] = {
        "id": entity_id(options.name, key),
        "name": row["name"].strip(),
        "name_source": url,
        "names": names,
        "identifiers": ids,
        "listings": [listing],
    }
    if country and country.isupper():
        entity["country"] = country
    return entity
