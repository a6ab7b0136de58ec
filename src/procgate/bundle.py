"""OPA bundles: one pinned, distributable version of the policies and ban lists.

    policy_entries(folders, data_files, ban_data)   bundle path -> bytes, in a fixed layout
    digest(entries)                                 sha256 over them: the bundle's revision
    write_bundle(out, entries, version)             a standard OPA bundle (.tar.gz)
    unpacked(path)                                  a bundle, checked, as files for `check`

Layout (an OPA server loads the .rego files and data.json and ignores the rest):

    .manifest                    {"revision": "sha256:…", "roots": ["banlist", "procgate", …]}
    data.json                    {"banlist": …}: what the Rego policies read as data.banlist
    policies/bans.rego           each policy folder under its own name
    policies/python/identifiers.py
    lists/us-government.yaml     the ban lists themselves: procgate's matcher needs every name
                                 and identifier, which data.json leaves out

Writing is reproducible (sorted members, zero mtimes and owners), so the same inputs give the
same bytes. Reading trusts nothing: members must be regular files or folders with relative
names inside the bundle (no `..`, no absolute paths, no links or devices), within size and
count limits, and a `sha256:` revision must match the contents.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import regorus

from procgate.decide.python import python_files
from procgate.decide.rego import guarded, rego_files
from procgate.decide.rego_ast import modules
from procgate.errors import ProcgateError
from procgate.load.banlist import ban_data_as_json
from procgate.model import BanData

MANIFEST = ".manifest"
DATA = "data.json"
LISTS = "lists"
MAX_MEMBER_BYTES = 32 * 2**20
MAX_TOTAL_BYTES = 128 * 2**20
MAX_MEMBERS = 10_000
# Names OPA reads as data wherever they are: a ban list must not be stored under them.
_OPA_DATA_NAMES = {"data.json", "data.yaml", "data.yml", "patch.json"}


class BundleError(ProcgateError):
    """A bundle that cannot be written or is refused on reading (exit 2)."""


# ---------------------------------------------------------------- contents


def policy_entries(
    folders: Sequence[Path], data_files: Sequence[Path], ban_data: BanData
) -> dict[str, bytes]:
    """Everything a bundle holds except its manifest, keyed by path inside the bundle.

    Also what the audit log's policy digest is computed over, so a check from the source tree
    and a check from its bundle record the same digest."""
    entries: dict[str, bytes] = {}
    for folder in folders:
        for f in [*rego_files([folder]), *python_files([folder])]:
            inside = f.name if folder.is_file() else f"{folder.name}/{f.relative_to(folder)}"
            _add(entries, PurePosixPath(Path(inside).as_posix()).as_posix(), f)
    for f in data_files:
        if f.name in _OPA_DATA_NAMES:
            raise BundleError(f"ban list {f} cannot go into a bundle under the name {f.name}",
                              "OPA would read it as data; rename the file")
        _add(entries, f"{LISTS}/{f.name}", f)
    payload = {"banlist": ban_data_as_json(ban_data)}
    entries[DATA] = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return entries


def _add(entries: dict[str, bytes], name: str, file: Path) -> None:
    if name in entries:
        raise BundleError(f"two files would be stored as {name} in the bundle",
                          "give policy folders and ban lists distinct names")
    try:
        entries[name] = file.read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot read {file}: {exc.strerror}") from exc


def digest(entries: Mapping[str, bytes]) -> str:
    """sha256 over (name, length, bytes) of every entry but the manifest, in name order."""
    h = hashlib.sha256()
    for name in sorted(entries):
        if name in (MANIFEST, ".signatures.json"):
            continue
        data = entries[name]
        h.update(name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return "sha256:" + h.hexdigest()


def manifest(entries: Mapping[str, bytes], version: str) -> dict[str, Any]:
    """`roots`: the first segment of every package (the policies are compiled to find them,
    so a bundle never holds a policy that does not compile) and `banlist` for data.json."""
    engine = regorus.Engine()
    for name in sorted(n for n in entries if n.endswith(".rego")):
        guarded(f"{name} does not compile", engine.add_policy, name,
                entries[name].decode("utf-8", errors="replace"))
    roots = sorted({m.path[0] for m in modules(engine)} | {"banlist"})
    return {"revision": digest(entries), "roots": roots, "metadata": {"procgate": version}}


# ---------------------------------------------------------------- writing


def write_bundle(out: Path, entries: Mapping[str, bytes], manifest_: Mapping[str, Any]) -> None:
    """Write the bundle atomically: a temporary file beside `out`, then rename."""
    members = {**entries, MANIFEST: json.dumps(manifest_, sort_keys=True).encode("utf-8")}
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


def read_bundle(path: Path) -> dict[str, bytes]:
    """The members of a bundle, checked; raises BundleError for anything unsafe or broken."""
    entries: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(path, mode="r|gz") as tar:  # a stream: no seeking, members in order
            for member in tar:
                name = _safe_name(member, path)
                if member.isdir():
                    continue
                if len(entries) >= MAX_MEMBERS:
                    raise BundleError(f"{path}: more than {MAX_MEMBERS} files")
                if member.size > MAX_MEMBER_BYTES:
                    raise BundleError(f"{path}: {name} is {member.size} bytes; the limit is "
                                      f"{MAX_MEMBER_BYTES}")
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise BundleError(f"{path}: contents exceed {MAX_TOTAL_BYTES} bytes")
                if name in entries:
                    raise BundleError(f"{path}: {name} appears twice")
                extracted = tar.extractfile(member)
                entries[name] = extracted.read() if extracted else b""
    except FileNotFoundError as exc:
        raise BundleError(f"no such bundle: {path}") from exc
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        raise BundleError(f"{path} is not a readable .tar.gz bundle: {exc}") from exc
    _check_manifest(entries, path)
    return entries


def _safe_name(member: tarfile.TarInfo, bundle: Path) -> str:
    name = member.name
    if not (member.isfile() or member.isdir()):
        kind = "a link" if member.issym() or member.islnk() else "not a regular file"
        raise BundleError(f"{bundle}: {name!r} is {kind}; bundles may only hold files")
    if "\\" in name or "\0" in name:
        raise BundleError(f"{bundle}: {name!r} is not a portable file name")
    posix = PurePosixPath(name)
    if posix.is_absolute():
        raise BundleError(f"{bundle}: {name!r} is an absolute path")
    if ".." in posix.parts:
        raise BundleError(f"{bundle}: {name!r} points outside the bundle")
    parts = [p for p in posix.parts if p != "."]
    if not parts:
        return "."
    return "/".join(parts)


def _check_manifest(entries: Mapping[str, bytes], path: Path) -> None:
    raw = entries.get(MANIFEST)
    if raw is None:
        return  # OPA allows bundles without a manifest
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BundleError(f"{path}: .manifest is not JSON") from exc
    revision = data.get("revision") if isinstance(data, dict) else None
    if isinstance(revision, str) and revision.startswith("sha256:"):
        actual = digest(entries)
        if actual != revision:
            raise BundleError(f"{path}: contents do not match the manifest revision "
                              f"({actual} != {revision})",
                              "the bundle was changed after it was built; rebuild it")


@dataclass(frozen=True)
class Unpacked:
    root: Path
    revision: str  # the digest of the contents (equal to a procgate manifest's revision)
    policy_folders: tuple[Path, ...]  # every top-level folder holding policies
    ban_files: tuple[Path, ...]


@contextmanager
def unpacked(path: Path) -> Iterator[Unpacked]:
    """The bundle's files in a private temporary folder, for the engines to compile. Files
    are written from the checked in-memory members; nothing is extracted by tarfile."""
    entries = read_bundle(path)
    with tempfile.TemporaryDirectory(prefix="procgate-bundle-") as tmp:
        root = Path(tmp)
        try:
            for name, data in entries.items():
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        except OSError as exc:  # e.g. a file and a folder of the same name
            raise BundleError(f"{path}: cannot unpack {name}: {exc.strerror}") from exc
        tops = sorted({n.split("/")[0] for n in entries if "/" in n and not n.startswith(LISTS)})
        lists = sorted(n for n in entries if n.startswith(f"{LISTS}/")
                       and n.endswith((".yaml", ".yml", ".json")))
        loose = [n for n in entries if "/" not in n and n.endswith((".rego", ".py"))]
        yield Unpacked(
            root=root,
            revision=digest(entries),
            policy_folders=tuple(root / t for t in tops) + tuple(root / n for n in loose),
            ban_files=tuple(root / n for n in lists),
        )
