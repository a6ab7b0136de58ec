"""Files where they are kept: `s3://`, `gs://`, `memory://` … paths through fsspec.

A URL is read by whichever process checks it (a Dask worker reads the bucket itself);
credentials come from each filesystem's own environment (AWS_* and ~/.aws for s3fs,
GOOGLE_APPLICATION_CREDENTIALS for gcsfs, …), never from procgate's files. `file://` URLs
are local paths and go the local way (scan_paths), with its checks on what a file is.

Reading keeps the local rules: only regular files, at most MAX_BYTES, a missing file is a
parse.missing-file finding. An item's `sbom:` reference resolves against its request's URL
and must stay inside one of the swept URLs (else parse.reference-outside).

`memory://` lives in one process: a local sweep reads it in this process, and a cluster
sweep sends each worker a copy of the swept memory:// trees once (snapshot/restore).
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from procgate import rules
from procgate.errors import ProcgateError
from procgate.load import Missing, load_bytes
from procgate.load.discover import EXTENSIONS, SKIPPED_DIRS
from procgate.load.references import written
from procgate.load.source import MAX_BYTES, too_large
from procgate.model import Document, Finding, Position, Severity

if TYPE_CHECKING:
    from procgate.scan.sweep import FileResult

# A sbom reference joined with posixpath loses one slash of "s3://": both forms are read.
_URL = re.compile(r"\A([A-Za-z][A-Za-z0-9+.-]+):/+(.*)\Z", re.DOTALL)
_LOCAL = frozenset({"file", "local"})
# Filesystems whose files exist only inside the process that made them.
PROCESS_LOCAL = frozenset({"memory"})


def is_url(name: str) -> bool:
    """An fsspec URL (two letters or more before "://", so `C:/x` stays a path)."""
    return "://" in name and _URL.match(name) is not None


def scan_paths(values: Sequence[str]) -> list[Path | str]:
    """Command-line paths: local Paths (file:// URLs too), other URLs as canonical strings."""
    out: list[Path | str] = []
    for value in values:
        if not is_url(value):
            out.append(Path(value))
        elif _protocol(value) in _LOCAL:
            parts = urlsplit(value)
            if parts.netloc not in ("", "localhost"):
                raise ProcgateError(f"{value}: a file:// URL names a file on this machine")
            out.append(Path(unquote(parts.path)))
        else:
            _filesystem(value)  # an unknown protocol or a missing backend stops here
            out.append(canonical(value))
    return out


def canonical(name: str) -> str:
    """`memory:/a/b` (after posixpath.normpath) and `memory:///a/b` -> `memory://a/b`."""
    m = _URL.match(name)
    if m is None:
        return name
    return f"{m.group(1).lower()}://{posixpath.normpath(m.group(2)).lstrip('/')}"


def inner(name: str) -> str:
    """The name a URL's file goes by while it is checked: `memory:/a/b`, the form that
    posixpath.normpath leaves and that references resolve in (load/references.py)."""
    return posixpath.normpath(canonical(name))


def named(result: FileResult) -> FileResult:
    """A result with its files named by canonical URLs again."""
    result.path = canonical(result.path)
    result.refs = tuple(map(canonical, result.refs))
    result.hits = [replace(h, file=canonical(h.file)) for h in result.hits]
    result.problems = [replace(p, file=canonical(p.file)) for p in result.problems]
    result.swept = [replace(f, path=canonical(f.path)) for f in result.swept]
    return result


def digest(name: str) -> str | None:
    """sha256 of a URL's file, as audit.input_digest gives a local one's (scan --store);
    None when it cannot be read."""
    fs, path = _filesystem(canonical(name))
    h = hashlib.sha256()
    try:
        with fs.open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return "sha256:" + h.hexdigest()


def _protocol(name: str) -> str:
    m = _URL.match(name)
    return m.group(1).lower() if m else ""


def is_process_local(name: str) -> bool:
    return _protocol(name) in PROCESS_LOCAL


def _filesystem(url: str) -> tuple[Any, str]:
    import fsspec  # imported when a URL is swept: plain sweeps do not pay for it

    try:
        return fsspec.core.url_to_fs(canonical(url))  # type: ignore[no-any-return]
    except ImportError as exc:
        raise ProcgateError(
            f"{url}: reading {_protocol(url)}:// needs {exc.name or 'a package'}",
            f"pip install {exc.name}" if exc.name else "see fsspec's list of filesystems",
        ) from exc
    except ValueError as exc:
        raise ProcgateError(f"{url}: {exc}") from exc


def files_at(url: str) -> list[tuple[str, bool]]:
    """(canonical URL, explicit) of every file the sweep looks at under `url`: a file is
    explicit; a folder is walked with the local walk's rules (extensions, hidden folders)."""
    fs, path = _filesystem(url)
    try:
        if not fs.isdir(path):  # first: an http:// folder listing is a file too
            if fs.isfile(path):
                return [(canonical(url), True)]
            raise ProcgateError(f"no such file or folder: {url}")
        found: list[str] = []
        for folder, dirs, names in fs.walk(path, topdown=True):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
            found += [
                posixpath.join(folder, n)
                for n in names
                if not n.startswith(".") and os.path.splitext(n)[1].lower() in EXTENSIONS
            ]
    except OSError as exc:  # permissions, network: the tool cannot see what to sweep
        raise ProcgateError(f"cannot list {url}: {exc}") from exc
    return [(canonical(fs.unstrip_protocol(p)), False) for p in sorted(found)]


def read(name: str, explicit: bool) -> Document | Finding | None:
    """load() for a URL: the same findings for a missing, special or oversized file."""
    url = canonical(name)

    def finding(rule: str, message: str) -> Finding:
        return Finding(rule, Severity.DENY, message, Position(inner(url), 0, 0))

    fs, path = _filesystem(url)
    try:
        info = fs.info(path)
        if info.get("type") != "file":
            what = "a folder" if info.get("type") == "directory" else "not a regular file"
            return finding(
                rules.PARSE_ERROR, f"{what}, not a regular file: procgate reads only files"
            )
        size = info.get("size")
        if isinstance(size, int) and size > MAX_BYTES:
            return finding(rules.PARSE_LIMIT, too_large(size, MAX_BYTES))
        with fs.open(path, "rb") as f:
            content = f.read(MAX_BYTES + 1)  # a file that grew since the listing stops here
    except FileNotFoundError:
        return finding(rules.PARSE_MISSING_FILE, f"no such file: {url}")
    except OSError as exc:
        return finding(rules.PARSE_ERROR, f"cannot read the file: {exc}")
    if len(content) > MAX_BYTES:
        return finding(rules.PARSE_LIMIT, too_large(len(content), MAX_BYTES))
    return load_bytes(content, inner(url), explicit=explicit)


def open_reference(name: str) -> Document | Finding | Missing:
    """A referenced file at a URL (load.open_reference for files on disk)."""
    got = read(name, True)
    if got is None or (isinstance(got, Finding) and got.rule == rules.PARSE_MISSING_FILE):
        return Missing()
    return got


class RemoteScope:
    """References from files at URLs: inside one of the swept URLs, never absolute."""

    def __init__(self, roots: Sequence[str]) -> None:
        self._roots = [canonical(r).rstrip("/") for r in roots]

    def inside(self, doc: Document, pointer: str, ref: str) -> bool:
        said = written(doc, pointer)
        if said.startswith("/") or "://" in said:
            return False
        # As a server or HTTP client may read it too: `%2e%2e` and `..%2f` decoded, a
        # backslash as a slash. Both readings must stay inside.
        decoded = unquote(posixpath.join(posixpath.dirname(doc.path), said)).replace("\\", "/")
        return all(self._under(canonical(u)) for u in (ref, posixpath.normpath(decoded)))

    def _under(self, url: str) -> bool:
        return any(url == r or url.startswith(r + "/") for r in self._roots)


def snapshot(roots: Sequence[str]) -> dict[str, bytes]:
    """The files under the process-local roots (memory://), for a worker's own copy."""
    copied: dict[str, bytes] = {}
    for root in roots:
        if not is_process_local(root):
            continue
        fs, path = _filesystem(root)
        for file in [path] if fs.isfile(path) else fs.find(path):
            copied[canonical(fs.unstrip_protocol(file))] = fs.cat_file(file)
    return copied


def restore(copied: dict[str, bytes]) -> None:
    """Write a snapshot into this process's memory:// filesystem."""
    for url, data in copied.items():
        fs, path = _filesystem(url)
        fs.pipe_file(path, data)
