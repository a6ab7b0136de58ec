"""The match index on disk: data only (procgate/cache.py says why). MessagePack decoded by
msgspec into the exact types of _Packed, nothing else. Each listed name or identifier (a Ref)
is written once, in columns, and every table refers to it by its number, as the index in
memory shares one tuple: generic MessagePack wrote a copy of a Ref wherever it appeared (a
file three times as big, read twice as slowly as the pickle it replaced). Rebuilding the
tables is mostly C: `zip` and `map` over those columns.

Its own module so that msgspec is imported only when a big list's index is read or written
(match/cache.py), never on the pre-commit path of a small list.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import msgspec

from procgate.match.fuzzy import Neighbours
from procgate.match.index import BanIndex, Ref, SequenceTable


# A table (key -> refs) as columns: keys, and for each key the number of its only Ref (any
# number for a key with several); then the positions of the keys with several, and their
# Refs' numbers.
class _Table(msgspec.Struct, array_like=True):
    keys: list[str]
    single: list[int]
    several_at: list[int]
    several: list[list[int]]


class _Sequences(msgspec.Struct, array_like=True):  # a SequenceTable, its keys tuples
    keys: list[tuple[str, ...]]
    single: list[int]
    several_at: list[int]
    several: list[list[int]]
    firsts: list[str]
    longest: int


class _Packed(msgspec.Struct, array_like=True):
    # Refs as columns: (entity id, value, via, since, until); ids and vias by number.
    entity_ids: list[str]
    vias: list[str]
    ref_entity: list[int]
    ref_value: list[str]
    ref_via: list[int]
    ref_since: list[tuple[int, int]]  # (ref, date.toordinal()), only refs that have one
    ref_until: list[tuple[int, int]]
    tables: dict[str, _Table]  # BanIndex field -> table
    sequences: dict[str, _Sequences]  # cores, camel
    string_sets: dict[str, list[str]]  # namespace_stems, package_words, words, words_plus
    mentionable: list[int]  # numbers of cores' keys
    # names: per entity (its number, how many), then (key, written, ref) of all, in order
    names_of: list[tuple[int, int]]
    name_key: list[str]
    name_written: list[str]
    name_ref: list[int]
    ideographic: dict[str, list[tuple[tuple[str, ...], int]]]
    neighbour_starts: list[dict[str, tuple[str, ...]]]
    neighbour_ends: list[dict[str, tuple[str, ...]]]


_TABLES = (
    "exact",
    "literal",
    "identifiers",
    "cpe_vendors",
    "namespaces",
    "domains",
    "ideographic_pairs",
)
_SEQUENCES = ("cores", "camel")
_STRING_SETS = ("namespace_stems", "package_words", "words", "words_plus")
_OTHERS = ("mentionable", "names", "ideographic", "neighbours")
# Only needed while building (empty in a built index).
_BUILDING = ("_plain_keys", "_joined_cores")
_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(_Packed)


def encode(index: BanIndex) -> bytes:
    """`index` as MessagePack (_Packed). TypeError when the index holds a field this module
    does not know (it is then not kept on disk: a new field must be written here too)."""
    for f in dataclasses.fields(BanIndex):
        known = f.name in (*_TABLES, *_SEQUENCES, *_STRING_SETS, *_OTHERS)
        if not known and (f.name not in _BUILDING or getattr(index, f.name)):
            raise TypeError(f"match/cache.py does not write BanIndex.{f.name}")
    numbers: dict[int, int] = {}  # id(ref) -> its number
    refs: list[Ref] = []
    entity_numbers: dict[str, int] = {}
    via_numbers: dict[str, int] = {}

    def number(ref: Ref) -> int:
        n = numbers.get(id(ref))
        if n is None:
            n = numbers[id(ref)] = len(refs)
            refs.append(ref)
        return n

    def columns(
        table: dict[Any, tuple[Ref, ...]],
    ) -> tuple[list[int], list[int], list[list[int]]]:
        single, several_at, several = [], [], []
        for at, value in enumerate(table.values()):
            if len(value) == 1:
                single.append(number(value[0]))
            else:
                single.append(0)
                several_at.append(at)
                several.append([number(ref) for ref in value])
        return single, several_at, several

    tables = {}
    for name in _TABLES:
        table = getattr(index, name)
        tables[name] = _Table(list(table), *columns(table))
    sequences = {}
    for name in _SEQUENCES:
        seq: SequenceTable = getattr(index, name)
        sequences[name] = _Sequences(
            list(seq.refs), *columns(seq.refs), sorted(seq.firsts), seq.longest
        )
    core_numbers = {key: n for n, key in enumerate(index.cores.refs)}
    names_of, name_key, name_written, name_ref = [], [], [], []
    for eid, entries in index.names.items():
        names_of.append((entity_numbers.setdefault(eid, len(entity_numbers)), len(entries)))
        for key, written, ref in entries:
            name_key.append(key)
            name_written.append(written)
            name_ref.append(number(ref))
    ideographic = {
        start: [(sounds, number(ref)) for sounds, ref in entries]
        for start, entries in index.ideographic.items()
    }
    ref_entity = [entity_numbers.setdefault(r[0], len(entity_numbers)) for r in refs]
    ref_via = [via_numbers.setdefault(r[2], len(via_numbers)) for r in refs]
    packed = _Packed(
        entity_ids=list(entity_numbers),
        vias=list(via_numbers),
        ref_entity=ref_entity,
        ref_value=[r[1] for r in refs],
        ref_via=ref_via,
        ref_since=[(n, r[3].toordinal()) for n, r in enumerate(refs) if r[3] is not None],
        ref_until=[(n, r[4].toordinal()) for n, r in enumerate(refs) if r[4] is not None],
        tables=tables,
        sequences=sequences,
        string_sets={name: sorted(getattr(index, name)) for name in _STRING_SETS},
        mentionable=sorted(core_numbers[key] for key in index.mentionable),
        names_of=names_of,
        name_key=name_key,
        name_written=name_written,
        name_ref=name_ref,
        ideographic=ideographic,
        neighbour_starts=index.neighbours._starts,
        neighbour_ends=index.neighbours._ends,
    )
    return _ENCODER.encode(packed)


def decode(payload: bytes | memoryview) -> BanIndex:
    """The index `encode` wrote. msgspec checks every value's type against _Packed (a
    ValidationError otherwise); a number that names no Ref is an IndexError."""
    p = _DECODER.decode(payload)
    entity_ids = p.entity_ids
    since: list[date | None] = [None] * len(p.ref_value)
    until: list[date | None] = [None] * len(p.ref_value)
    for n, day in p.ref_since:
        since[n] = date.fromordinal(day)
    for n, day in p.ref_until:
        until[n] = date.fromordinal(day)
    refs: list[Ref] = list(
        zip(
            map(entity_ids.__getitem__, p.ref_entity),
            p.ref_value,
            map(p.vias.__getitem__, p.ref_via),
            since,
            until,
            strict=True,
        )
    )
    alone = [(ref,) for ref in refs]  # a key's refs when it has one (most keys): shared

    def table(t: _Table | _Sequences) -> dict[Any, tuple[Ref, ...]]:
        values: list[tuple[Ref, ...]] = list(map(alone.__getitem__, t.single))
        for at, numbers in zip(t.several_at, t.several, strict=True):
            values[at] = tuple(map(refs.__getitem__, numbers))
        return dict(zip(t.keys, values, strict=True))

    index = BanIndex()
    for name in _TABLES:
        setattr(index, name, table(p.tables[name]))
    for name in _SEQUENCES:
        s = p.sequences[name]
        setattr(index, name, SequenceTable(table(s), set(s.firsts), s.longest))
    for name in _STRING_SETS:
        setattr(index, name, set(p.string_sets[name]))
    core_keys = list(index.cores.refs)
    index.mentionable = set(map(core_keys.__getitem__, p.mentionable))
    entries = list(zip(p.name_key, p.name_written, map(refs.__getitem__, p.name_ref), strict=True))
    names: dict[str, list[tuple[str, str, Ref]]] = {}
    start = 0
    for n, count in p.names_of:
        names[entity_ids[n]] = entries[start : start + count]
        start += count
    index.names = names
    index.ideographic = {
        key: tuple((sounds, refs[n]) for sounds, n in value) for key, value in p.ideographic.items()
    }
    neighbours = Neighbours(())
    neighbours._starts, neighbours._ends = p.neighbour_starts, p.neighbour_ends
    index.neighbours = neighbours
    return index
