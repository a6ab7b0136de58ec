"""Entities of a screening-list-sized ban list, kept encoded in the disk cache.

PackedEntities(entities)    a Mapping[str, Entity] that decodes each entity on first look-up
CACHED_TYPES                what a "ban-data" cache file may hold (cache.read/write)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from procgate import cache
from procgate.model import Authority, BanData, Entity, ListInfo, Listing, Name


class PackedEntities(Mapping[str, Entity]):
    """Entities kept encoded one by one (cache.encode: data only), each decoded on first
    look-up: a check against a cached 20,000-entity list looks up the few that matched, and
    reading the cache file costs milliseconds instead of the 0.3 s that 100k Name objects
    would."""

    def __init__(self, entities: Mapping[str, Entity]) -> None:
        self._packed = {eid: cache.encode(e, _ENTITY_TYPES) for eid, e in entities.items()}
        self._made: dict[str, Entity] = {}
        self.moved: dict[str, str] = {}  # source path when encoded -> where the file is now

    def __getitem__(self, eid: str) -> Entity:
        made = self._made.get(eid)
        if made is None:
            made = cache.decode(self._packed[eid], _ENTITY_TYPES)
            if not isinstance(made, Entity):
                raise KeyError(eid)
            if made.source_file in self.moved:
                made = replace(made, source_file=self.moved[made.source_file])
            self._made[eid] = made
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, eid: object) -> bool:
        return eid in self._packed


_ENTITY_TYPES = (Entity, Name, Listing)
# What a "ban-data" cache file may hold (PackedEntities: _made and moved are empty dicts).
CACHED_TYPES = (BanData, Authority, ListInfo, PackedEntities)
