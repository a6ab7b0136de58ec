"""Ban-list files -> BanData: each read (load/banlist.py), validated (validate/, as every
format is), then merged (merge.py); a screening-list-sized result is kept in procgate's disk
cache (procgate/cache.py) as PackedEntities (packed.py), the shipped list too.

    load_ban_data(paths) -> BanData     raises DataError (exit 2) naming file, field and line
    default_ban_files() -> [Path]       the lists procgate ships (policies/data/*.yaml)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from procgate import cache, gcpause
from procgate.errors import DataError
from procgate.lists.merge import merge
from procgate.lists.packed import CACHED_TYPES, PackedEntities
from procgate.load.banlist import HINT, located, read_ban_list, read_bytes
from procgate.model import BanData, Document
from procgate.resources import data_dir
from procgate.validate import validate

_MAX_REPORTED = 8  # schema errors spelled out in one DataError


def default_ban_files() -> list[Path]:
    """The ban lists shipped with procgate (policies/data/*.yaml), in name order."""
    return sorted(data_dir().glob("*.yaml"))


def load_ban_data(paths: Sequence[Path]) -> BanData:
    """Read, validate and merge ban-list files. Raises DataError naming file, field and line.

    A list is read back from procgate's disk cache (procgate/cache.py) when these very bytes
    were loaded before: parsing, validating and making the model objects (100k+ for a
    screening list) is then skipped, and each entity is made only when something looks it
    up. For the shipped list that is 2-3 ms instead of ~15 on every pre-commit run."""
    raws = [(Path(p), read_bytes(Path(p))) for p in paths]
    digest = _digest(raws)
    # The same files (name and bytes) in the same order give the same data, wherever they
    # are (a bundle unpacks to a new folder every run); only the source paths differ, and
    # are mapped file by file. (The digest alone ignores order: not enough here.)
    key = "".join(f"{p.name}\0{hashlib.sha256(raw).hexdigest()}\0" for p, raw in raws)
    sources = tuple(str(p) for p, _ in raws)
    held = cache.read("ban-data", key, CACHED_TYPES)
    if (
        isinstance(held, tuple)
        and len(held) == 2
        and isinstance(held[1], BanData)
        and isinstance(held[1].entities, PackedEntities)
    ):
        return _moved(held[1], dict(zip(held[0], sources, strict=True)))
    docs = [read_ban_list(path, raw) for path, raw in raws]
    for doc in docs:
        _valid(doc)
    with gcpause.paused():  # a screening-list-sized file makes 100k+ model objects
        data = merge(docs, digest)
        if cache.on_disk(data):
            kept = replace(data, entities=PackedEntities(data.entities))
            cache.write("ban-data", key, (sources, kept), CACHED_TYPES)
        return data


def _valid(doc: Document) -> None:
    """The schema's findings for one file, as one DataError: the first few, in line order."""
    findings = validate(doc)
    if not findings:
        return
    problems = [f for f in findings if not f.message.startswith(_MORE)]
    shown = sorted(
        dict.fromkeys((f.position.line, f.position.column, f.pointer, f.message) for f in problems)
    )
    # validate() stops listing after MAX_FINDINGS and counts the rest in one last finding
    counted = len(shown) + sum(_count(f.message) for f in findings if f.message.startswith(_MORE))
    lines = [located(doc, pointer, message) for _, _, pointer, message in shown[:_MAX_REPORTED]]
    if counted > _MAX_REPORTED:
        lines.append(f"... and {counted - _MAX_REPORTED} more")
    if len(lines) > 1:
        lines.insert(0, f"{doc.path}: {counted} schema errors")
    raise DataError("\n  ".join(lines), HINT)


_MORE = "… and "  # validate()'s "… and N more schema errors in this file"


def _count(message: str) -> int:
    """N of "… and N more" or "… and more than N more"."""
    return next((int(word) for word in message.split() if word.isdigit()), 0)


def _moved(data: BanData, paths: dict[str, str]) -> BanData:
    """Cached ban data with each recorded source path replaced by where the file is now."""
    paths = {old: new for old, new in paths.items() if old != new}
    if not paths:
        return data
    if isinstance(data.entities, PackedEntities):  # as written by load_ban_data
        data.entities.moved = paths
    authorities = {
        aid: replace(a, source_file=paths.get(a.source_file, a.source_file))
        for aid, a in data.authorities.items()
    }
    return replace(data, authorities=authorities)


def _digest(raws: list[tuple[Path, bytes]]) -> str:
    """sha256 over the files' names and bytes, in name order: the same data gives the same
    digest on every machine, whatever the checkout path or the order of --data flags."""
    h = hashlib.sha256()
    for path, raw in sorted(raws, key=lambda pr: (pr[0].name, str(pr[0]))):
        h.update(path.name.encode() + b"\0" + str(len(raw)).encode() + b"\0")
        h.update(raw)
    return "sha256:" + h.hexdigest()
