"""Built indexes, kept per ban-list digest: in memory for the process, on disk for big lists.

Building the index of a screening-list-sized ban list (20,000 entities, 100,000 names) takes
about a second; reading it back takes a fraction. So the index of a list of more than
ON_DISK_ENTITIES entities is written to procgate's disk cache (procgate/cache.py) once and
read back on the next run. A smaller list's index (the shipped one: ~8 ms) is built every
run: reading it back costs as much once msgspec's import is counted (measured in executed
instructions, 2% of a pre-commit run more). Any index is also kept in memory, for
`procgate serve`.

On disk an index is data only, in match/index_format.py (imported only when a big list's
index is read or written: msgspec stays off the pre-commit path).
"""

from __future__ import annotations

from procgate import cache, gcpause
from procgate.match.index import BanIndex
from procgate.model import BanData

_IN_MEMORY = 4  # indexes kept per process (procgate serve may switch lists)
_memory: dict[str, BanIndex] = {}
_KIND = "match-index"
ON_DISK_ENTITIES = 1_000  # lists with more entities than this keep their index on disk


def index_for(ban_data: BanData) -> BanIndex:
    """The index of `ban_data`, built or taken from a cache. Ban data without a digest
    (built in code, as tests do) is always built."""
    if not ban_data.digest:
        return BanIndex.build(ban_data)
    held = _memory.get(ban_data.digest)
    if held is not None:
        return held
    on_disk = cache.on_disk(ban_data) and len(ban_data.entities) > ON_DISK_ENTITIES
    index = _read(ban_data.digest) if on_disk else None
    if index is None:
        index = BanIndex.build(ban_data)
        if on_disk:
            _write(ban_data.digest, index)
    if len(_memory) >= _IN_MEMORY:
        _memory.pop(next(iter(_memory)))
    _memory[ban_data.digest] = index
    return index


def _read(digest: str) -> BanIndex | None:
    payload = cache.read_payload(_KIND, digest)
    if payload is None:
        return None
    from procgate.match.index_format import decode

    try:
        with gcpause.paused():  # an index is ~10^6 objects
            return decode(payload)
    except Exception:  # anything a damaged file may cause: build it again
        return None


def _write(digest: str, index: BanIndex) -> None:
    from procgate.match.index_format import encode

    try:
        payload = encode(index)
    except (TypeError, ValueError, OverflowError):
        return
    cache.write_payload(_KIND, digest, payload)
