"""Checks for the web server: uploads in memory -> Verdict, on the thread that owns the engine.

A regorus engine must stay on the thread that made it, and it holds the GIL while it runs.
So each server process has exactly one checker thread, which builds the Checker and runs
every check and lookup; the event loop awaits it and keeps serving other connections.
Parallel checks come from more processes (`procgate serve --workers N`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import posixpath
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

from procgate.config import Options
from procgate.load import load_bytes
from procgate.load.references import UploadScope, sbom_refs
from procgate.model import BanData, Document, Finding, Position, Verdict
from procgate.pipeline import Checker, build_checker
from procgate.serve.uploads import Upload

T = TypeVar("T")


class CheckerThread:
    def __init__(self, options: Options) -> None:
        self._options = options
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="procgate-checker")
        self._checker: Checker | None = None  # made and used on the pool's one thread only

    def start(self) -> BanData:
        """Build the checker on its thread; raises what build_checker raises. Only its ban
        data comes back: the checker itself must not leave the thread."""
        return self._pool.submit(lambda: self._build().ban_data).result()

    def _build(self) -> Checker:
        self._checker = build_checker(self._options)
        return self._checker

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(checker, *args) on the checker thread."""
        return await asyncio.wrap_future(self._pool.submit(self._call, fn, *args))

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        checker = self._checker or self._build()
        return fn(checker, *args)

    def stop(self) -> None:
        """Free the checker on its own thread too: regorus refuses to be dropped elsewhere."""
        self._pool.submit(self._drop)
        self._pool.shutdown(wait=True)

    def _drop(self) -> None:
        self._checker = None


@dataclasses.dataclass(frozen=True)
class Checked:
    verdict: Verdict
    contents: dict[str, bytes]  # file name as reported -> its bytes, for the line excerpts
    documents: dict[str, Document]


def check_uploads(
    checker: Checker,
    uploads: list[Upload],
    audience: str,
    today: date,
    audience_from: str | None = None,
) -> Checked:
    """Check uploaded files as one set: a purchase request and the SBOMs it names
    (`items[].sbom`) may be uploaded together, even without their folders. `audience_from`:
    where a caller-named audience came from (it then wins over a request's own, as
    --audience does); None keeps the server's."""
    # The engines take audience and date from the Context the checker makes per document;
    # a copy of the checker with other options shares the compiled policies and index.
    options = dataclasses.replace(checker.options, audience=audience, today=today)
    if audience_from is not None:
        options = dataclasses.replace(options, audience_from=audience_from)
    checker = dataclasses.replace(checker, options=options)
    items = [load_bytes(u.content, u.name) for u in uploads]
    loaded = [(u, item) for u, item in zip(uploads, items, strict=True) if item is not None]
    names = _link_references([item for _, item in loaded])
    by_name: dict[str, Document | Finding] = {}
    contents: dict[str, bytes] = {}
    for (upload, item), name in zip(loaded, names, strict=True):
        item = _renamed(item, name)
        by_name[name] = item
        contents[name] = upload.content
    referenced = set(_refs(by_name.values()))
    # A referenced file is checked through its request; one that failed to parse would
    # otherwise be reported twice (the pipeline does not skip Findings it is handed).
    top = [i for n, i in by_name.items() if not (isinstance(i, Finding) and n in referenced)]
    verdict = checker.check(top, by_name.get, scope=UploadScope(by_name))
    documents = {n: i for n, i in by_name.items() if isinstance(i, Document)}
    return Checked(verdict, contents, documents)


def _refs(items: Any) -> list[str]:
    """Names the requests' `items[].sbom` resolve to (relative to the request's name)."""
    return [ref for doc in items if isinstance(doc, Document) for _, ref in sbom_refs(doc)]


def _link_references(items: list[Document | Finding]) -> list[str]:
    """Each upload's name, or the path a request uses for it: a browser sends `x.cdx.json`
    for the request's `sbom: sboms/x.cdx.json`. Matched by file name when only one
    reference has that file name."""
    names = [_name(i) for i in items]
    refs = [r for r in _refs(items) if r not in names]
    by_base: dict[str, list[str]] = {}
    for ref in refs:
        by_base.setdefault(posixpath.basename(ref), []).append(ref)
    out: list[str] = []
    for name in names:
        candidates = by_base.get(posixpath.basename(name), [])
        linked = candidates[0] if len(candidates) == 1 else name
        out.append(linked if linked not in out else name)
    return out


def _name(item: Document | Finding) -> str:
    return item.path if isinstance(item, Document) else item.position.file


def _renamed(item: Document | Finding, name: str) -> Document | Finding:
    if _name(item) == name:
        return item
    if isinstance(item, Document):
        return dataclasses.replace(item, path=name)
    pos = item.position
    return dataclasses.replace(item, position=Position(name, pos.line, pos.column))
