"""A file's vendor-naming values, compactly, for `inventory reevaluate`: what the decision
needs to be made again with new ban data without reading the file again.

Kept per file (a referenced SBOM as its own file, with its request's context): the document's
kind and small facts (a purchase request whole: policies may read it; an SBOM not), who it
was checked for (audience, use), each owner (purchase item or component: pointer, its
position-free location, label, category, name, words, purl) and the distinct (role, value,
party) triples with the pointers where each owner names them. JSON, zlib-compressed: a file of
10,000 components that all name the same three suppliers stores those names once.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from procgate.diff.baseline import location_key
from procgate.model import Document, Kind, Owner, Subject

FORMAT = 1


@dataclass(frozen=True)
class Stored:
    """A file as reevaluate sees it: a stand-in document, its subjects, its context."""

    doc: Document
    subjects: list[Subject]
    audience: str
    use: tuple[str, ...]
    locations: dict[str, str]  # owner pointer -> position-free location


def encode(
    doc: Document,
    subjects: Sequence[Subject],
    audience: str,
    use: tuple[str, ...],
    parent: Document | None = None,
) -> bytes:
    """`parent`: the purchase request an SBOM was checked with (its `use` and period of
    performance decide some bans)."""
    values: dict[tuple[str, str, str], int] = {}
    owners: dict[str, list[Any]] = {}
    data = doc.data
    for s in subjects:
        o = s.owner
        row = owners.get(o.pointer)
        if row is None:
            where = location_key(o.pointer, data)
            row = owners[o.pointer] = [o.pointer, where, o.label, o.category, o.name, o.text]
            row += [o.purl, []]
        index = values.setdefault((s.role, s.value, s.party), len(values))
        row[7].append([index, s.pointer])
    record = {
        "format": FORMAT,
        "kind": str(doc.kind),
        "spec": doc.spec_version,
        "request": _whole(doc),
        "parent": {"path": parent.path, "request": _whole(parent)} if parent else None,
        "audience": audience,
        "use": list(use),
        "values": [list(v) for v in values],
        "owners": list(owners.values()),
    }
    try:
        text = orjson.dumps(record, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # a request with an integer beyond 64 bits, and the like: as text
        text = json.dumps(record, default=str, ensure_ascii=False).encode("utf-8", "replace")
    return zlib.compress(text, 1)  # level 6: 2.2x the time for 11% less (100-component SBOMs)


def decode(path: str, blob: bytes) -> Stored:
    record = orjson.loads(zlib.decompress(blob))
    parent = record.get("parent")
    values = [tuple(v) for v in record["values"]]
    subjects: list[Subject] = []
    locations: dict[str, str] = {}
    for pointer, where, label, category, name, text, purl, named in record["owners"]:
        owner = Owner(pointer, label, category, name, text, purl)
        locations[pointer] = where
        for index, at in named:
            role, value, party = values[index]
            subjects.append(Subject(role, value, at, owner, party))
    doc = Document(
        path,
        Kind(record["kind"]),
        record["request"] if record["request"] is not None else {},
        "json",
        spec_version=record["spec"],
        parent=(
            Document(parent["path"], Kind.PURCHASE_REQUEST, parent["request"] or {}, "json")
            if parent
            else None
        ),
    )
    return Stored(doc, subjects, record["audience"], tuple(record["use"]), locations)


def distinct_values(blob: bytes) -> list[tuple[str, str, str]]:
    return [tuple(v) for v in orjson.loads(zlib.decompress(blob))["values"]]


def _whole(doc: Document | None) -> Any:
    """A purchase request as policies read it (they get requests whole, decide/inputs.py)."""
    if doc is None or doc.kind is not Kind.PURCHASE_REQUEST:
        return None
    return doc.data
