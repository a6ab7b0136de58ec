"""Matcher: subjects in, matches out. The one interface the pipeline calls."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from procgate.match.index import ENTITY_ID, BanIndex, rank
from procgate.match.names import is_placeholder
from procgate.match.resolve import RESOLVERS, Scored
from procgate.model import BanData, Match, Subject


class Hit(NamedTuple):
    """A match without its subject, cached per value. Fields in Match's order."""

    entity_id: str
    matched_name: str
    score: float
    via: str
    since: date | None
    until: date | None


class Matcher:
    """Entity resolution of subjects against the ban lists.

    Build once per run: the index is built here. Results are cached per (role, value,
    party), because a real SBOM repeats the same supplier or author thousands of times.
    The cache is emptied when it reaches `max_cached` values, so that a long-lived matcher
    (`procgate serve`) does not grow without bound; 500k covers a 100k-component SBOM.
    """

    def __init__(self, ban_data: BanData, max_cached: int = 500_000) -> None:
        self._index = BanIndex.build(ban_data)
        self._cache: dict[tuple[str, str, str], tuple[Hit, ...]] = {}
        self._max_cached = max_cached

    def match(self, subjects: Sequence[Subject]) -> list[Match]:
        """At most one match per subject and entity (the best), in subject order."""
        matches = []
        cache = self._cache
        for subject in subjects:
            key = (subject.role, subject.value, subject.party)
            hits = cache.get(key)
            if hits is None:
                if len(cache) >= self._max_cached:
                    cache.clear()
                hits = cache[key] = self._resolve(*key)
            for hit in hits:
                matches.append(Match(subject, *hit))
        return matches

    def _resolve(self, role: str, value: str, party: str) -> tuple[Hit, ...]:
        resolver = RESOLVERS.get(role)
        if resolver is None or is_placeholder(value):
            return ()
        found = resolver(self._index, value, party)
        return _best_per_entity(found) if found else ()


def _best_per_entity(found: Iterable[Scored]) -> tuple[Hit, ...]:
    """The highest score per entity; between equal scores, the most telling name."""
    best: dict[str, Scored] = {}
    for score, ref in found:
        held = best.get(ref[ENTITY_ID])
        if held is None or (-score, rank(ref)) < (-held[0], rank(held[1])):
            best[ref[ENTITY_ID]] = (score, ref)
    ordered = sorted(best.values(), key=lambda item: (-item[0], item[1][ENTITY_ID]))
    return tuple(
        Hit(entity_id, value, score, via, since, until)
        for score, (entity_id, value, via, since, until) in ordered
    )
