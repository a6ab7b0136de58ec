"""What procgate derives from a screening-list-sized ban list, kept on disk between runs.

A list of 20,000 entities costs about a second to turn into what a check needs: parsing and
validating it (procgate/lists/), its match index (match/cache.py) and the data the Rego
engine holds (decide/rego.py). Each stage writes its result once, under the lists' digest
(a hash of the files' bytes, BanData.digest) and the hash of procgate's own code and
schemas, and reads it back on the next run: a change to a list or to procgate makes a new
key, so nothing is ever invalidated by hand. The shipped list (80 KB) is cached too: parsing
and validating it costs about 15 ms of every pre-commit run, reading it back about 3 (its
match index is built, ~8 ms: reading it back would cost as much, msgspec's import counted).

Cache files hold data only: MessagePack (msgpack) with three extensions - dates, sets, and
instances of the few classes the reader names (made without running any of their code, their
fields set from the data); the match index, read on every warm check, is encoded by
match/cache.py into fixed types (read_payload/write_payload). Nothing in a cache file can
run code when read, unlike the pickles used before: a pickle's `__reduce__` runs whatever it
names. They are written and read only by procgate, in the user's own cache folder (never the
repository), and any error reading or writing one just means the work is done again.

A cache folder or file is trusted only when it is the user's own and nobody else may write to
it (the folder is created 0700, files 0600): another user who could replace an entry could
change what a check finds. Otherwise procgate says why, once, and runs without the cache. A
cache file is read only when it is a regular file (not a link, FIFO or device) of sane size.
The KEEP most recently used files of each kind are kept, older ones removed.
Set PROCGATE_CACHE_DIR to move the folder, or to an empty string to turn the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import stat
import sys
import time
import zlib
from collections.abc import Collection
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import msgpack

from procgate import __version__, gcpause
from procgate.model import BanData
from procgate.resources import schema_path

_MAGIC = b"procgate-cache-2\n"
_HEADER = len(_MAGIC) + 4  # magic, CRC-32 of the payload
_SUFFIX = ".msgpack"
_MAX_FILE = 1 << 30  # a cache file bigger than this is not ours (a 20k list's index: ~15 MB)
# msgpack extension codes
_DATE, _SET, _FROZENSET, _OBJECT = 1, 2, 3, 4
_said: set[str] = set()  # reasons already given, once per process
KEEP = 4  # files kept per kind, most recently used first: older lists' results are removed
_SHAPING = ("anyascii", "rapidfuzz", "yaml", "jsonschema_rs", "orjson")  # modules


def on_disk(ban_data: BanData) -> bool:
    """Whether what is derived from `ban_data` is kept on disk: when there is a cache folder
    setting and the data has a digest (ban data built in code, as tests do, has no key)."""
    return bool(ban_data.digest) and cache_dir() is not None


def read(kind: str, key: str, types: Collection[type] = ()) -> Any | None:
    """The value written under (kind, key) by this very procgate, or None. `types`: the
    classes whose instances the value may hold (any other class named in the file makes it
    unreadable)."""
    payload = read_payload(kind, key)
    if payload is None:
        return None
    try:
        with gcpause.paused():  # decoding an index makes ~10^6 objects
            return decode(payload, types)
    except Exception:  # anything a damaged or foreign file may cause: derive it again
        return None


def read_payload(kind: str, key: str) -> memoryview | None:
    """The payload written under (kind, key) by this very procgate (for a stage that encodes
    its own data, as match/cache.py does), or None. A file whose checksum does not match (a
    damaged disk block, a stray edit) is not returned."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        content = _read_own_file(path)
        if content is None:
            return None
        view = memoryview(content)
        if view[: len(_MAGIC)] != _MAGIC or _checksum(view[_HEADER:]) != bytes(
            view[len(_MAGIC) : _HEADER]
        ):
            return None
        _used_now(path)
        return view[_HEADER:]
    except Exception:  # anything a damaged or foreign file may cause: derive it again
        return None


def write(kind: str, key: str, value: Any, types: Collection[type] = ()) -> None:
    """Atomically (a temporary file renamed into place): a reader never sees half a file.
    `types`: the classes whose instances `value` may hold, as `read` will be told."""
    if _path(kind, key) is None:  # no cache: nothing to encode
        return
    try:
        payload = encode(value, types)
    except (TypeError, ValueError, OverflowError):
        return
    write_payload(kind, key, payload)


def write_payload(kind: str, key: str, payload: bytes) -> None:
    """Keep `payload` under (kind, key), atomically (a temporary file renamed into place): a
    reader never sees half a file."""
    path = _path(kind, key)
    if path is None:
        return
    import tempfile  # written once per list and procgate: not on a warm run's path

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + _checksum(payload))
                f.write(payload)
            os.replace(tmp, path)
            _used_now(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(path.parent, kind)
    except OSError:
        return


def encode(value: Any, types: Collection[type] = ()) -> bytes:
    """`value` as msgpack: None, bools, numbers, strings, bytes, lists and tuples (read back
    as tuples), dicts, sets, frozensets, dates and instances of `types`."""
    allowed = {_type_name(t): t for t in types}

    def default(obj: Any) -> msgpack.ExtType:
        kind = type(obj)
        if kind is date:
            return msgpack.ExtType(_DATE, obj.toordinal().to_bytes(4, "big"))
        if kind is set or kind is frozenset:
            code = _SET if kind is set else _FROZENSET
            return msgpack.ExtType(code, pack(list(obj)))
        name = _type_name(kind)
        if allowed.get(name) is kind:
            return msgpack.ExtType(_OBJECT, pack((name, _fields(obj))))
        raise TypeError(f"the cache does not hold {name}")

    def pack(obj: Any) -> bytes:
        packed: bytes = msgpack.packb(obj, default=default, use_bin_type=True)
        return packed

    return pack(value)


def decode(payload: bytes | memoryview, types: Collection[type] = ()) -> Any:
    """The value `encode` made. Only data is made: an object of one of `types` is created
    without calling any of its methods and gets the fields the data names (never a dunder);
    any other class named in the data is an error (ValueError)."""
    allowed = {_type_name(t): t for t in types}

    def hook(code: int, data: bytes) -> Any:
        if code == _DATE:
            return date.fromordinal(int.from_bytes(data, "big"))
        if code == _SET:
            return set(unpack(data))
        if code == _FROZENSET:
            return frozenset(unpack(data))
        if code == _OBJECT:
            name, fields = unpack(data)
            kind = allowed.get(name)
            if kind is None or not isinstance(fields, dict):
                raise ValueError(f"the cache file names a class it may not: {name!r}")
            obj: Any = object.__new__(kind)
            for field, value in fields.items():
                if not isinstance(field, str) or not field.isidentifier() or field.startswith("__"):
                    raise ValueError(f"bad field name in the cache file: {field!r}")
                object.__setattr__(obj, field, value)
            return obj
        raise ValueError(f"unknown msgpack extension {code}")

    def unpack(data: bytes | memoryview) -> Any:
        return msgpack.unpackb(data, ext_hook=hook, use_list=False, raw=False, strict_map_key=False)

    return unpack(payload)


def _type_name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


def _fields(obj: Any) -> dict[str, Any]:
    """An object's fields: its __dict__, or its slots."""
    if hasattr(obj, "__dict__"):
        return dict(vars(obj))
    names = [
        n for k in type(obj).__mro__ for n in getattr(k, "__slots__", ()) if not n.startswith("__")
    ]
    return {n: getattr(obj, n) for n in names if hasattr(obj, n)}


def _read_own_file(path: Path) -> bytes | None:
    """The bytes of a cache file, when it is a regular file of ours that nobody else may
    write to; else None (said once). Never follows a link, never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as exc:  # ELOOP: a link
        _say(
            f"procgate: not reading cache file {path}: {exc.strerror} (a link?); the work "
            "is done again"
        )
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        problem = _untrusted(st, "file")
        if problem is None and not stat.S_ISREG(st.st_mode):
            problem = "it is not a regular file"
        if problem is None and st.st_size > _MAX_FILE:
            problem = f"it is larger than {_MAX_FILE >> 20} MB"
        if problem:
            _say(f"procgate: not reading cache file {path}: {problem}; the work is done again")
            return None
        return f.read(st.st_size)


def _untrusted(st: os.stat_result, what: str) -> str | None:
    if st.st_uid != os.getuid():
        return f"the {what} belongs to another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"the {what} is writable by others (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def _say(message: str) -> None:
    if message not in _said:
        _said.add(message)
        import logging  # only to say why the cache is not used

        logging.getLogger("procgate.cache").warning(message)


def _checksum(payload: bytes | memoryview) -> bytes:
    # CRC-32 finds accidental damage (the files are trusted as the user's own, not signed)
    # at ~4 GB/s: a few milliseconds on a 15 MB index.
    return zlib.crc32(payload).to_bytes(4, "big")


def _used_now(path: Path) -> None:
    """Mark as just used, for _prune. The clock, not the file system's own stamp: that one
    can be coarse enough to give two files written in a row the same time."""
    now = time.time_ns()
    with contextlib.suppress(OSError):  # a read-only cache is still a cache
        os.utime(path, ns=(now, now))


def _prune(folder: Path, kind: str) -> None:
    """Keep the KEEP most recently used files of `kind`: a list imported again every day
    must not fill the disk with yesterday's results."""

    def used(p: Path) -> int:
        try:
            return p.stat().st_mtime_ns
        except OSError:  # removed meanwhile by another procgate
            return 0

    files = sorted(folder.glob(f"{kind}-*{_SUFFIX}"), key=used, reverse=True)
    for old in [*files[KEEP:], *folder.glob(f"{kind}-*.pickle")]:  # pickles: never read again
        old.unlink(missing_ok=True)
    # Temporary files of a write that was killed half-way (an hour is long past any write).
    stale = time.time_ns() - 3600 * 10**9
    for tmp in folder.glob(f".{kind}-*"):
        if 0 < used(tmp) < stale:
            tmp.unlink(missing_ok=True)


def cache_dir() -> Path | None:
    configured = os.environ.get("PROCGATE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME and no passwd entry (some containers): no cache
            return None
    return Path(base) / "procgate"


@cache
def code_digest() -> str:
    """What derived the cached values: Python's version, procgate's source and schemas, and
    the libraries that shape them (parsing, validation, folding names). Files are known by
    path, size and modification time, as Python's own bytecode cache knows them: an edit,
    an upgrade or a reinstall makes a new key, and nothing is read or imported (~2 ms for
    ~250 files, on every run that uses the cache)."""
    h = hashlib.sha256(f"{sys.version}\0{__version__}".encode())
    _stamp(h, Path(__file__).parent, ".py", deep=True)
    _stamp(h, schema_path("x").parent, ".json")
    for name in _SHAPING:
        spec = importlib.util.find_spec(name)  # where it is, without importing it
        if spec is not None and spec.origin:
            _stamp(h, Path(spec.origin).parent, "")
    return h.hexdigest()[:16]


def _stamp(h: Any, folder: Path, suffix: str, *, deep: bool = False) -> None:
    """Feed `h` the path, size and modification time of the files in `folder` whose names
    end in `suffix` (and, when `deep`, of its subfolders', bytecode caches left out), in
    name order."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if deep and entry.name != "__pycache__":
                    _stamp(h, Path(entry.path), suffix, deep=True)
                continue
            if not entry.name.endswith(suffix):
                continue
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        h.update(f"\0{entry.path}\0{st.st_size}\0{st.st_mtime_ns}".encode())


def _path(kind: str, key: str) -> Path | None:
    folder = usable_folder()
    if folder is None:
        return None
    name = hashlib.sha256(f"{key}:{code_digest()}".encode()).hexdigest()[:32]
    return folder / f"{kind}-{name}{_SUFFIX}"


def usable_folder() -> Path | None:
    """The cache folder, created 0700 when missing; None (and why, said once) when it is not
    the user's own, is writable by others, or is not a folder."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError as exc:
        _say(
            f"procgate: cannot use cache folder {folder}: {exc.strerror}; running without the cache"
        )
        return None
    problem = _untrusted(st, "folder")
    if problem is None and not stat.S_ISDIR(st.st_mode):
        problem = "it is not a folder"
    if problem:
        _say(
            f"procgate: not using cache folder {folder}: {problem}; running without the cache"
            f" (make it yours with mode 0700, or set PROCGATE_CACHE_DIR)"
        )
        return None
    return folder
