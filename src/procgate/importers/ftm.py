"""OpenSanctions / FollowTheMoney entities (entities.ftm.json: one JSON object a line) ->
ban list.

An entity is {id, schema, properties{...}, datasets, first_seen, ...}
(alephdata/followthemoney). Kept: schemata Company, Organization, LegalEntity and PublicBody;
names from properties name, alias and previousName (weakAlias is left out: the data itself
marks those as too weak to match on); identifiers leiCode, uniqueEntityId, cageCode,
dunsCode; country or jurisdiction. One authority per dataset (us_trade_csl, us_sam_exclusions,
...); the listing starts at first_seen, when OpenSanctions first saw the entity. The list is
current as of the latest last_seen in the file (the day of the export).
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
)

_SCHEMATA = {"Company", "Organization", "LegalEntity", "PublicBody"}
_IDS = {"leiCode": "lei", "uniqueEntityId": "uei", "cageCode": "cage", "dunsCode": "duns"}
_VIA = {"alias": "alias", "previousName": "former-name"}
_SOURCE = "https://www.opensanctions.org/datasets/{}/"


def import_ftm(raw: bytes, options: ImportOptions) -> Imported:
    counts: Counter[str] = Counter()
    lists: dict[str, dict[str, Any]] = {}
    entities = []
    as_of: str | None = None  # the latest last_seen: when OpenSanctions last saw its data
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            raise DataError(f"line {number}: not JSON: {e}", "One entity per line.") from e
        seen = iso_date(row.get("last_seen")) if isinstance(row, dict) else None
        if seen and (as_of is None or seen > as_of):
            as_of = seen
        if not isinstance(row, dict) or row.get("schema") not in _SCHEMATA:
            kind = row.get("schema") if isinstance(row, dict) else "not an object"
            counts[f"skipped: {kind}"] += 1
            continue
        props = row.get("properties") or {}
        names = [n for n in props.get("name") or [] if isinstance(n, str) and n.strip()]
        if not names:
            counts["entities without a name"] += 1
            continue
        since = iso_date(row.get("first_seen"))
        listings = []
        for dataset in row.get("datasets") or ["opensanctions"]:
            held = lists.get(dataset)
            if held is None:
                taken = {a["id"] for a in lists.values()}
                held = lists[dataset] = authority(
                    options, dataset, _SOURCE.format(dataset), since, taken
                )
            listing: dict[str, Any] = {
                "authority": held["id"],
                "scope": "any",
                "entry": f"Listed in {dataset}",
                "source": _SOURCE.format(dataset),
            }
            if since:
                listing["since"] = since
            else:  # the list does not say when: reports must not invent a date
                listing["since_unknown"] = True
            listings.append(listing)
        source = f"https://www.opensanctions.org/entities/{row.get('id')}/"
        others = [
            {"value": n.strip(), "via": via, "source": source}
            for prop, via in _VIA.items()
            for n in props.get(prop) or []
            if isinstance(n, str) and n.strip() and n not in names[:1]
        ]
        others += [{"value": n.strip(), "via": "alias", "source": source} for n in names[1:]]
        ids: dict[str, list[str]] = {}
        for prop, scheme in _IDS.items():
            for value in props.get(prop) or []:
                add_identifier(ids, scheme, value, counts)
        entity: dict[str, Any] = {
            "id": entity_id(options.name, str(row.get("id") or names[0])),
            "name": names[0].strip(),
            "name_source": source,
            "names": others,
            "identifiers": ids,
            "listings": listings,
        }
        country = next(
            (
                c.upper()
                for c in (props.get("country") or props.get("jurisdiction") or [])
                if isinstance(c, str) and len(c) == 2
            ),
            None,
        )
        if country:
            entity["country"] = country
        entities.append(entity)
        counts["entities"] += 1
    return Imported(
        document(
            options,
            "Imported from OpenSanctions (FollowTheMoney).",
            list(lists.values()),
            entities,
            as_of,
        ),
        counts,
    )
