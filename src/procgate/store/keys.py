"""A finding's identity in the store: the key `check --diff` compares (baseline.finding_key:
rule, entity, file identity, position-free location), with the file identified by its
absolute path, and an occurrence number for a second identical item in one file (--diff
compares multisets: two look-alike banned components are two findings)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from procgate.scan import remote

Identity = tuple[str, str, str, str]  # rule, entity, file key, location


def file_key(display: str) -> str:
    """A swept file's identity: its absolute path (as a POSIX string), without resolving
    links (the path the records live under is what people look for); a file at a URL
    (`s3://bucket/x.json`, scan/remote.py), its canonical URL."""
    if remote.is_url(display):
        return remote.canonical(display)
    return Path(os.path.abspath(display)).as_posix()


def store_key(identity: Identity, occurrence: int) -> str:
    text = json.dumps([*identity, occurrence], ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def numbered(identities: Iterable[Identity]) -> Iterator[tuple[Identity, int, str]]:
    """(identity, occurrence, key) in order: the n-th equal identity gets occurrence n."""
    seen: dict[Identity, int] = {}
    for identity in identities:
        n = seen[identity] = seen.get(identity, 0) + 1
        yield identity, n, store_key(identity, n)
