"""Built indexes, kept per ban-list digest: in memory for the process, on disk for big lists.

Building the index of a screening-list-sized ban list (20,000 entities, 100,000 names) takes
about a second; reading it back (procgate/cache.py: msgpack, data only) takes a fraction.
So the index of a list procgate's disk cache keeps (more than ON_DISK_ENTITIES entities) is
written once and read back on the next run. Any index is also kept in memory, for `procgate serve`.
"""

from __future__ import annotations

from procgate import cache
from procgate.match.fuzzy import Neighbours
from procgate.match.index import BanIndex, SequenceTable
from procgate.model import BanData

_TYPES = (BanIndex, SequenceTable, Neighbours)  # all a cached index is made of
_IN_MEMORY = 4  # indexes kept per process (procgate serve may switch lists)
_memory: dict[str, BanIndex] = {}


def index_for(ban_data: BanData) -> BanIndex:
    """The index of `ban_data`, built or taken from a cache. Ban data without a digest
    (built in code, as tests do) is always built."""
    if not ban_data.digest:
        return BanIndex.build(ban_data)
    held = _memory.get(ban_data.digest)
    if held is not None:
        return held
    on_disk = cache.on_disk(ban_data)
    index = cache.read("match-index", ban_data.digest, _TYPES) if on_disk else None
    if not isinstance(index, BanIndex):
        index = BanIndex.build(ban_data)
        if on_disk:
            cache.write("match-index", ban_data.digest, index, _TYPES)
    if len(_memory) >= _IN_MEMORY:
        _memory.pop(next(iter(_memory)))
    _memory[ban_data.digest] = index
    return index
