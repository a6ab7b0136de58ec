"""A bundle's .tar.gz: written reproducibly, read with every cost bounded before it is paid.

    write_archive(out, members)   sorted members, zero mtimes and owners, atomic rename
    read_archive(path)            name -> bytes, or BundleError for anything unsafe or too big

Reading trusts nothing. Members must be regular files or folders with relative names inside
the bundle (no `..`, no links, devices or sparse files). Limits apply before anything is read:
the number of headers, the size of each extended header (a GNU long name or a PAX record
claiming 10^9 bytes is refused from its header, without reading or allocating it), the size
of each file and of all of them. Names in messages are cut: a hostile name is not echoed whole.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import tempfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from procgate.errors import BundleError

MAX_MEMBER_BYTES = 32 * 2**20
MAX_TOTAL_BYTES = 128 * 2**20
MAX_MEMBERS = 10_000  # headers of every kind: files, folders, long names, PAX records
MAX_EXTENDED_BYTES = 64 * 2**10  # one GNU long name / long link or PAX header
MAX_EXTENDED_IN_A_ROW = 8  # extended headers before the member they describe
SHOWN_NAME = 120  # characters of a member name shown in a message

_EXTENDED = {
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
}


def shown(name: str) -> str:
    """A member name as messages show it: quoted, cut to SHOWN_NAME characters."""
    if len(name) <= SHOWN_NAME:
        return repr(name)
    return f"{name[:SHOWN_NAME]!r}… ({len(name)} characters)"


# ---------------------------------------------------------------- writing


def write_archive(out: Path, members: Mapping[str, bytes]) -> None:
    """Write the members as a .tar.gz atomically: a temporary file beside `out`, then rename."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for name in sorted(members):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(members[name]), 0o644, 0
            tar.addfile(info, io.BytesIO(members[name]))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(buffer.getvalue())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a bundle is for distribution
        os.replace(tmp, out)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise BundleError(f"cannot write {out}: {exc.strerror}") from exc


# ---------------------------------------------------------------- reading


class _Budget:
    """What one archive may still cost; shared by every header of it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.headers = 0
        self.in_a_row = 0


class _BoundedTarInfo(tarfile.TarInfo):
    """tarfile reads a GNU long name or a PAX header whole into memory, whatever size its
    header claims, and follows chains of them recursively. This checks each header before
    tarfile acts on it (TarFile's documented `tarinfo` hook; `_proc_member` is where
    tarfile dispatches on the header type)."""

    def _proc_member(self, tar: Any) -> Any:
        budget: _Budget = tar.procgate_budget
        budget.headers += 1
        if budget.headers > MAX_MEMBERS:
            raise BundleError(f"{budget.path}: more than {MAX_MEMBERS} members")
        if self.type in _EXTENDED:
            budget.in_a_row += 1
            if self.size > MAX_EXTENDED_BYTES:
                what = (
                    "PAX"
                    if self.type in (tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE)
                    else "GNU long-name"
                )
                raise BundleError(
                    f"{budget.path}: a {what} header of {self.size} bytes; "
                    f"the limit is {MAX_EXTENDED_BYTES}"
                )
            if budget.in_a_row > MAX_EXTENDED_IN_A_ROW:
                raise BundleError(
                    f"{budget.path}: more than {MAX_EXTENDED_IN_A_ROW} extended "
                    "headers for one member"
                )
        else:
            budget.in_a_row = 0
            if self.type == tarfile.GNUTYPE_SPARSE:
                raise BundleError(
                    f"{budget.path}: {shown(self.name)} is a sparse file; "
                    "bundles may only hold regular files"
                )
        return super()._proc_member(tar)  # type: ignore[misc]  # CPython's, not in typeshed


class _BoundedTarFile(tarfile.TarFile):
    tarinfo = _BoundedTarInfo

    def __init__(self, name: Any = None, *args: Any, **kwargs: Any) -> None:
        # Set before TarFile.__init__, which already reads the first header.
        self.procgate_budget = _Budget(Path(str(name)))
        super().__init__(name, *args, **kwargs)


def read_archive(path: Path) -> dict[str, bytes]:
    """The files of a .tar.gz, by normalized name; raises BundleError for anything unsafe,
    broken or over a limit."""
    entries: dict[str, bytes] = {}
    total = 0
    try:
        # A stream (r|gz): no seeking, members in order, nothing read twice.
        with _BoundedTarFile.open(path, mode="r|gz") as tar:
            for member in tar:
                name = _safe_name(member, path)
                if member.isdir():
                    continue
                if member.size > MAX_MEMBER_BYTES:
                    raise BundleError(
                        f"{path}: {shown(name)} is {member.size} bytes; the limit "
                        f"is {MAX_MEMBER_BYTES}"
                    )
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise BundleError(f"{path}: contents exceed {MAX_TOTAL_BYTES} bytes")
                if name in entries:
                    raise BundleError(f"{path}: {shown(name)} appears twice")
                extracted = tar.extractfile(member)
                entries[name] = extracted.read() if extracted else b""
    except FileNotFoundError as exc:
        raise BundleError(f"no such bundle: {path}") from exc
    except IsADirectoryError as exc:
        raise BundleError(f"{path} is a folder, not a .tar.gz bundle") from exc
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError, UnicodeError) as exc:
        raise BundleError(f"{path} is not a readable .tar.gz bundle: {_cut(str(exc))}") from exc
    return entries


def _cut(text: str) -> str:
    return text if len(text) <= 300 else text[:300] + "…"


def _safe_name(member: tarfile.TarInfo, bundle: Path) -> str:
    """The member's name inside the bundle. A leading `/` is the bundle's root, as OPA writes
    its own bundles (`/data.json`); nothing is ever extracted by tarfile, so no name can
    reach outside the private folder the files are written to."""
    name = member.name
    if not (member.isfile() or member.isdir()):
        kind = "a link" if member.issym() or member.islnk() else "not a regular file"
        raise BundleError(f"{bundle}: {shown(name)} is {kind}; bundles may only hold files")
    if "\\" in name or "\0" in name:
        raise BundleError(f"{bundle}: {shown(name)} is not a portable file name")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise BundleError(f"{bundle}: {shown(name)} points outside the bundle")
    if not parts:
        return "."
    return "/".join(parts)
