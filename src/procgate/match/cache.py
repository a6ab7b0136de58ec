"""Built indexes, kept per ban-list digest: in memory for the process, on disk for big lists.

Building the index of a screening-list-sized ban list (20,000 entities, 100,000 names) takes
about a second; unpickling it takes a fifth of that. So an index of more than ON_DISK_NAMES
names is written once to the user's cache folder under the lists' digest (a hash of the
files' bytes, BanData.digest) and the matcher code's own hash, and read back on the next
run. A change to a list or to this package makes a new key; nothing is ever invalidated by
hand. Cache files are only ever written and read by procgate itself, in the user's own cache
folder (never the repository); any error reading or writing one just means a fresh build.
Set PROCGATE_CACHE_DIR to move the folder, or to an empty string to turn the disk cache off.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from procgate.match.index import BanIndex
from procgate.model import BanData

ON_DISK_NAMES = 5_000  # below this a build is faster than reading a file
_IN_MEMORY = 4  # indexes kept per process (procgate serve may switch lists)
_memory: dict[str, BanIndex] = {}


def index_for(ban_data: BanData, on_disk_names: int = ON_DISK_NAMES) -> BanIndex:
    """The index of `ban_data`, built or taken from a cache. Ban data without a digest
    (built in code, as tests do) is always built. Lists of more than `on_disk_names` names
    are also kept on disk."""
    if not ban_data.digest:
        return BanIndex.build(ban_data)
    key = f"{ban_data.digest}:{code_digest()}"
    held = _memory.get(key)
    if held is not None:
        return held
    path = _path(key) if _names(ban_data) > on_disk_names else None
    index = _read(path) if path else None
    if index is None:
        index = BanIndex.build(ban_data)
        if path:
            _write(path, index)
    if len(_memory) >= _IN_MEMORY:
        _memory.pop(next(iter(_memory)))
    _memory[key] = index
    return index


def _names(ban_data: BanData) -> int:
    return sum(len(e.names) for e in ban_data.entities.values())


@cache
def code_digest() -> str:
    """Hash of this package's source: an index built by other code is never reused."""
    h = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path | None:
    configured = os.environ.get("PROCGATE_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "procgate"


def _path(key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    return folder / f"match-index-{name}.pickle"


def _read(path: Path) -> BanIndex | None:
    paused = gc.isenabled()
    gc.disable()  # unpickling makes ~10^6 objects and no cycles: collections only cost
    try:
        with path.open("rb") as f:
            index = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    finally:
        if paused:
            gc.enable()
    return index if isinstance(index, BanIndex) else None


def _write(path: Path, index: BanIndex) -> None:
    """Atomically (a temporary file renamed into place): a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".match-index-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        return
