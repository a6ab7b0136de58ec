"""What a sweep decided with, entity by entity, so that `inventory reevaluate` decides again
only what a ban-data change can affect.

Each entity gets two short digests: of what can match (its name, names, identifiers, CPE
vendors, purl namespaces, domains: lists.compare.MATCHING) and of everything a decision
about it reads (the entity whole and each authority it is listed under). The key "" holds
the digest of the rest (the audience tree and the product categories), which every decision
may read. Kept with each sweep (sweeps.entity_digests, zlib'd JSON); 16 hex digits each.

affected(before, now, ...) -> the entities whose items may be decided differently now, or
None when anything may be (the rest changed, no digests were kept, or the date moved over a
date in the rest).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import orjson

from procgate.model import BanData, Entity

REST = ""
_DATE = re.compile(rb'"(\d{4}-\d{2}-\d{2})')

Digests = dict[str, tuple[str, str]]


def entity_digests(ban_data: BanData) -> Digests:
    out: Digests = {REST: (_digest(_rest(ban_data)), "")}
    for eid, entity in ban_data.entities.items():
        out[eid] = (_digest(_matching(entity)), _digest(_deciding(entity, ban_data)))
    return out


def encode(digests: Digests) -> bytes:
    return zlib.compress(orjson.dumps(digests), 6)


def decode(blob: bytes | None) -> Digests | None:
    if not blob:
        return None
    try:
        raw = orjson.loads(zlib.decompress(blob))
    except (zlib.error, orjson.JSONDecodeError):
        return None
    return {k: (v[0], v[1]) for k, v in raw.items()} if isinstance(raw, dict) else None


def affected(
    before: Digests | None, now: Digests, ban_data: BanData, then: date, today: date
) -> set[str] | None:
    """Entities whose items may be decided differently with `ban_data` on `today` than with
    the data of `before` on `then`; None: all may."""
    if before is None or before.get(REST) != now[REST]:
        return None
    changed = {e for e in before.keys() ^ now.keys()}
    changed |= {e for e in before.keys() & now.keys() if before[e] != now[e]}
    changed.discard(REST)
    if today != then:
        lo, hi = sorted((then, today))
        if _dated_between(_json(_rest(ban_data)), lo, hi):
            return None
        for eid, entity in ban_data.entities.items():
            if eid not in changed and _dated_between(_json(_deciding(entity, ban_data)), lo, hi):
                changed.add(eid)
    return changed


def matching_changed(before: Digests | None, now: Digests) -> set[str]:
    """Entities added, removed, or whose names, identifiers... changed: what can match
    differently."""
    if before is None:
        return set(now) - {REST}
    out = {e for e in before.keys() ^ now.keys()}
    out |= {e for e in before.keys() & now.keys() if before[e][0] != now[e][0]}
    out.discard(REST)
    return out


def _matching(entity: Entity) -> Any:
    return [
        entity.name,
        entity.names,
        entity.identifiers,
        entity.cpe_vendors,
        entity.purl_namespaces,
        entity.domains,
    ]


def _deciding(entity: Entity, ban_data: BanData) -> Any:
    authorities = sorted({li.authority for li in entity.listings})
    return [
        replace(entity, source_file=""),
        [
            replace(a, source_file="") if (a := ban_data.authorities.get(x)) else x
            for x in authorities
        ],
    ]


def _rest(ban_data: BanData) -> Any:
    return [ban_data.audiences, ban_data.categories]


def _json(value: Any) -> bytes:
    return orjson.dumps(value, default=_plain, option=orjson.OPT_SORT_KEYS)


def _digest(value: Any) -> str:
    return hashlib.sha256(_json(value)).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(type(value).__name__)


def _dated_between(text: bytes, lo: date, hi: date) -> bool:
    """Whether `text` names a date within a day of [lo, hi]: a term that starts or ends
    between the two days (a ban in force from d, a name used until d; a day's margin either
    way, whatever a term's own reading of its last day)."""
    low = (lo - timedelta(days=1)).isoformat().encode()
    high = (hi + timedelta(days=1)).isoformat().encode()
    return any(low <= d <= high for d in _DATE.findall(text))
