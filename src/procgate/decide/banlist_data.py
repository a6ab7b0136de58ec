"""BanData -> what the Rego policies read as data.banlist (decide/rego.py, `procgate test`,
the bundle's data.json)."""

from __future__ import annotations

from typing import Any

from procgate.model import BanData


def ban_data_as_json(data: BanData) -> dict[str, Any]:
    """Only the fields the decision reads: names and identifiers stay out (matching is done
    in Python), so the engine loads it fast."""
    return {
        "authorities": {
            a.id: {
                "title": a.title,
                "citation": a.citation,
                "source": a.source,
                "waivable": a.waivable,
                "action": a.action,
                "audiences": {
                    aud: {
                        **a.terms.get(aud, {}),
                        "effective": eff.isoformat(),
                        "severity": a.severity[aud],
                    }
                    for aud, eff in a.audiences.items()
                },
            }
            for a in data.authorities.values()
        },
        "entities": {
            e.id: {
                "name": e.name,
                "listings": [
                    {
                        "authority": li.authority,
                        "since": li.since.isoformat() if li.since else None,
                        "since_unknown": li.since_unknown,
                        "scope": li.scope,
                        "entry": li.entry,
                        "excludes": list(li.excludes),
                        "use_condition": list(li.use_condition),
                        "action": li.action,
                    }
                    for li in e.listings
                ],
            }
            for e in data.entities.values()
        },
        "audiences": {aud: list(included) for aud, included in data.audiences.items()},
        "categories": [dict(c) for c in data.categories],
    }
