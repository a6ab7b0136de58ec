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
import gc
import hashlib
import os
import pickle
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

from procgate.model import BanData
from procgate.resources import schema_path

ON_DISK_ENTITIES = 1_000  # lists with more entities than this are cached
KEEP = 4  # files kept per kind, most recently used first: older lists' results are removed
_PICKLE_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                  TypeError, ValueError, IndexError)


def on_disk(ban_data: BanData) -> bool:
    """Whether what is derived from `ban_data` is worth keeping on disk. Ban data without
    a digest (built in code, as tests do) never is: it has no key."""
    return bool(ban_data.digest) and len(ban_data.entities) > ON_DISK_ENTITIES


def read(kind: str, key: str) -> Any | None:
    """The value written under (kind, key) by this very procgate, or None."""
    path = _path(kind, key)
    if path is None:
        return None
    paused = gc.isenabled()
    gc.disable()  # unpickling makes ~10^6 objects and no cycles: collections only cost
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
        _used_now(path)
        return value
    except _PICKLE_ERRORS:
        return None
    finally:
        if paused:
            gc.enable()


def write(kind: str, key: str, value: Any) -> None:
    """Atomically (a temporary file renamed into place): a reader never sees half a file."""
    path = _path(kind, key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            _used_now(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(path.parent, kind)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


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


def cache_dir() -> Path | None:
    configured = os.environ.get("PROCGATE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "procgate"


@cache
def code_digest() -> str:
    """Hash of procgate's source and schemas: what other code derived is never reused."""
    package = Path(__file__).parent
    h = hashlib.sha256()
    for source in sorted([*package.rglob("*.py"), *schema_path("x").parent.glob("*.json")]):
        h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()[:16]


def _path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(f"{key}:{code_digest()}".encode()).hexdigest()[:32]
    return folder / f"{kind}-{name}.pickle"
