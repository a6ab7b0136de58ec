"""What procgate derives from a screening-list-sized ban list, kept on disk between runs.

A list of 20,000 entities costs about a second to turn into what a check needs: parsing and
validating it (load/banlist.py), its match index (match/cache.py) and the data the Rego
engine holds (decide/rego.py). Each stage writes its result once, under the lists' digest
(a hash of the files' bytes, BanData.digest) and the hash of procgate's own code and
schemas, and reads it back on the next run: a change to a list or to procgate makes a new
key, so nothing is ever invalidated by hand. Small lists (the shipped ones) are not cached:
deriving them is faster than reading a file.

Cache files are pickles, written and read only by procgate, in the user's own cache folder
(never the repository); any error reading or writing one just means the work is done again.
The KEEP most recently used files of each kind are kept, older ones removed.
Set PROCGATE_CACHE_DIR to move the folder, or to an empty string to turn the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import pickle
import sys
import tempfile
import time
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from procgate import __version__, gcpause
from procgate.model import BanData
from procgate.resources import schema_path

_MAGIC = b"procgate-cache-1\n"
_HEADER = len(_MAGIC) + 4  # magic, CRC-32 of the pickle
ON_DISK_ENTITIES = 1_000  # lists with more entities than this are cached
KEEP = 4  # files kept per kind, most recently used first: older lists' results are removed
_SHAPING = ("anyascii", "rapidfuzz", "yaml", "jsonschema_rs", "orjson")  # modules


def on_disk(ban_data: BanData) -> bool:
    """Whether what is derived from `ban_data` is worth keeping on disk. Ban data without
    a digest (built in code, as tests do) never is: it has no key."""
    return bool(ban_data.digest) and len(ban_data.entities) > ON_DISK_ENTITIES


def read(kind: str, key: str) -> Any | None:
    """The value written under (kind, key) by this very procgate, or None. A file whose
    checksum does not match (a damaged disk block, a stray edit) is not unpickled."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        content = memoryview(path.read_bytes())
        if content[: len(_MAGIC)] != _MAGIC or _checksum(content[_HEADER:]) != bytes(
            content[len(_MAGIC) : _HEADER]
        ):
            return None
        with gcpause.paused():  # unpickling an index makes ~10^6 objects
            value = pickle.loads(content[_HEADER:])
        _used_now(path)
        return value
    except Exception:  # anything a damaged or foreign file may cause: derive it again
        return None


def write(kind: str, key: str, value: Any) -> None:
    """Atomically (a temporary file renamed into place): a reader never sees half a file."""
    path = _path(kind, key)
    if path is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")
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
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


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

    files = sorted(folder.glob(f"{kind}-*.pickle"), key=used, reverse=True)
    for old in files[KEEP:]:
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
    name, size and modification time, as Python's own bytecode cache knows them: an edit,
    an upgrade or a reinstall makes a new key, and nothing is read (a few ms for ~120 files).
    """
    files = [*Path(__file__).parent.rglob("*.py"), *schema_path("x").parent.glob("*.json")]
    for name in _SHAPING:
        module = importlib.import_module(name)  # all of them are needed by a check anyway
        if module.__file__:
            files += Path(module.__file__).parent.iterdir()
    h = hashlib.sha256(f"{sys.version}\0{__version__}".encode())
    for f in sorted(files):
        try:
            stat = f.stat()
        except OSError:
            continue
        h.update(f"\0{f}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def _path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(f"{key}:{code_digest()}".encode()).hexdigest()[:32]
    return folder / f"{kind}-{name}.pickle"
