"""Items' `sbom:` references: where they point, and whether that is inside the repository.

A reference resolves relative to the request that makes it, and only inside its *root*: the
git top level above the request, else the folder given on the command line that holds it,
else the current folder when it holds it, else the request's own folder. In `serve`, the
root is the set of uploaded files. Absolute paths, `..` past the root and symbolic links
pointing out of it are outside: such a file is never opened (rule parse.reference-outside).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from procgate.model import Document, Kind


def sbom_refs(doc: Document) -> list[tuple[str, str]]:
    """(pointer, display path) of each item's `sbom:`, relative to the request file."""
    if doc.kind is not Kind.PURCHASE_REQUEST or not isinstance(doc.data, dict):
        return []
    items = doc.data.get("items")
    refs = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        ref = item.get("sbom") if isinstance(item, dict) else None
        if isinstance(ref, str) and ref.strip():
            joined = posixpath.join(posixpath.dirname(doc.path), ref.strip())
            refs.append((f"/items/{i}/sbom", posixpath.normpath(joined)))
    return refs


def written(doc: Document, pointer: str) -> str:
    """The reference as the request writes it."""
    items = doc.data.get("items") if isinstance(doc.data, dict) else None
    index = int(pointer.split("/")[2])
    item = items[index] if isinstance(items, list) and index < len(items) else {}
    value = item.get("sbom") if isinstance(item, dict) else None
    return value.strip() if isinstance(value, str) else ""


class Scope(Protocol):
    def inside(self, doc: Document, pointer: str, ref: str) -> bool:
        """Whether `doc`'s reference at `pointer` (resolved to display path `ref`) may be
        opened."""
        ...


class DiskScope:
    """Files on disk (or in the git index, by the same display paths). `folders` are the
    folders given on the command line."""

    def __init__(self, folders: Sequence[Path] = ()) -> None:
        self._folders = [_real(f) for f in folders if f.is_dir()]

    def inside(self, doc: Document, pointer: str, ref: str) -> bool:
        if os.path.isabs(written(doc, pointer)):
            return False
        root = self.root(_real(Path(doc.path)).parent)
        return _within(_real(Path(ref)), root)

    def root(self, folder: Path) -> Path:
        top = git_top(folder)
        if top is not None:
            return top
        holding = [f for f in self._folders if _within(folder, f)]
        if holding:
            return max(holding, key=lambda f: len(f.parts))
        cwd = _real(Path.cwd())
        return cwd if _within(folder, cwd) else folder


class UploadScope:
    """`serve`: the uploaded files, by the names the references resolve to. Nothing on the
    server's disk is ever opened: an absolute path is outside; any other name that was not
    uploaded is missing (a browser sends bare file names, so `../sboms/x.json` from a
    request is the usual way to name an SBOM uploaded beside it)."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = frozenset(names)

    def inside(self, doc: Document, pointer: str, ref: str) -> bool:
        if ref in self._names:
            return True
        return not (os.path.isabs(written(doc, pointer)) or posixpath.isabs(ref))


def link_out_of_repository(path: Path) -> bool:
    """Whether a file found by walking a folder is a symbolic link whose target lies
    outside the root that holds the link (as for references: the git top level, else the
    current folder when it holds the link). A pull request can add `x.json -> ~/.secret`;
    the CI job that walks the checkout must not read it. A named file is the user's
    choice and is read."""
    if not os.path.islink(path):
        return False
    return not _within(_real(path), DiskScope().root(_real(path.parent)))


@lru_cache(maxsize=1024)
def git_top(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder` (a `.git` folder or file above it).
    A look at the file system, not a git call: a plain check must stay fast."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _within(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)
