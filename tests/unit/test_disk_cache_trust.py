"""The disk cache holds data only and trusts only the user's own folder (issue 17 item 2):
a pickle planted with the right magic line and CRC never runs, a folder or file others may
write is not used, and a link to /dev/zero or a FIFO in place of an entry is never read."""

from __future__ import annotations

import json
import logging
import os
import pickle
import stat
import threading
import zlib
from pathlib import Path

import pytest
from test_disk_cache import screening_list

from procgate import cache
from procgate.decide.rego import data_json
from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher
from procgate.match import cache as index_cache
from procgate.model import Owner, Subject


class _Planted:
    """What an attacker writes: unpickling it creates a marker file (os.system would run a
    command the same way)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def _planted(marker: Path, magic: bytes) -> bytes:
    payload = pickle.dumps(_Planted(marker))
    return magic + zlib.crc32(payload).to_bytes(4, "big") + payload


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROCGATE_CACHE_DIR", str(folder))
    index_cache._memory.clear()
    cache._said.clear()
    return folder


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    path = tmp_path / "screening.json"
    path.write_text(json.dumps(screening_list()), encoding="utf-8")
    return [*default_ban_files(), path]


def _everything(files: list[Path]) -> tuple[object, ...]:
    """Load, index and project the lists as a check does; what a check would find."""
    index_cache._memory.clear()
    data = load_ban_data(files)
    subject = Subject("supplier", data.entities["test-42"].name, "/x", Owner("/x", "x", ""))
    return (Matcher(data).match([subject]), data_json(data), data.entities["test-7"])


def test_a_planted_pickle_with_the_right_magic_and_crc_never_runs(
    cache_dir: Path, files: list[Path], tmp_path: Path
) -> None:
    expected = _everything(files)  # writes every kind of entry
    entries = sorted(cache_dir.iterdir())
    assert len(entries) == 3 and all(p.suffix == ".msgpack" for p in entries)
    marker = tmp_path / "ran"
    for entry in entries:
        for magic in (b"procgate-cache-1\n", b"procgate-cache-2\n"):
            entry.write_bytes(_planted(marker, magic))
            os.chmod(entry, 0o600)
            assert _everything(files) == expected  # derived again, and written again
            assert not marker.exists()
            entry.write_bytes(_planted(marker, magic))
    # A pickle under the old names is never read either (and is removed on the next write).
    old = cache_dir / (entries[0].stem + ".pickle")
    old.write_bytes(_planted(marker, b"procgate-cache-1\n"))
    assert _everything(files) == expected
    assert not marker.exists()


def test_a_cache_file_naming_another_class_is_not_decoded(tmp_path: Path) -> None:
    from procgate.model import Authority

    encoded = cache.encode({"a": Path("x").__class__.__name__})
    assert cache.decode(encoded) == {"a": "PosixPath"}
    with pytest.raises(TypeError):
        cache.encode(Path("x"))  # not data
    from datetime import date

    authority = Authority(
        "a", "t", "c", date(2020, 1, 1), {"us": date(2020, 1, 2)}, {"us": "deny"}, True, "s"
    )
    blob = cache.encode(authority, [Authority])
    assert cache.decode(blob, [Authority]) == authority
    with pytest.raises(ValueError, match="names a class"):
        cache.decode(blob)  # the reader did not name Authority


def test_the_folder_is_created_0700(cache_dir: Path, files: list[Path]) -> None:
    _everything(files)
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    for entry in cache_dir.iterdir():
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "setup", ["folder 0777", "folder of another user", "file 0666", "file of another user"]
)
def test_what_others_may_write_is_not_used_and_the_reason_is_said_once(
    cache_dir: Path,
    files: list[Path],
    tmp_path: Path,
    setup: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    expected = _everything(files)
    marker = tmp_path / "ran"
    entries = sorted(cache_dir.iterdir())
    for entry in entries:  # what is there would change the results if it were read
        entry.write_bytes(_planted(marker, b"procgate-cache-2\n"))
        os.chmod(entry, 0o600)
    if setup == "folder 0777":
        os.chmod(cache_dir, 0o777)
    elif setup == "folder of another user":
        os.chown(cache_dir, 65534, 65534)
    for entry in entries:
        if setup == "file 0666":
            os.chmod(entry, 0o666)
        elif setup == "file of another user":
            os.chown(entry, 65534, 65534)
    cache._said.clear()
    with caplog.at_level(logging.WARNING, logger="procgate.cache"):
        assert _everything(files) == expected
        assert _everything(files) == expected
    assert not marker.exists()
    said = [r.getMessage() for r in caplog.records]
    assert said, "the reason must be said"
    assert len(said) == len(set(said))  # each reason once
    why = "writable by others" if setup[-1].isdigit() else "belongs to another user"
    assert all(why in m for m in said), said
    if setup.startswith("folder"):
        assert sorted(cache_dir.iterdir()) == entries  # nothing written there either
        assert all(e.read_bytes().startswith(b"procgate-cache-2\n") for e in entries)


def test_a_link_to_dev_zero_or_a_fifo_is_never_read(
    cache_dir: Path, files: list[Path], caplog: pytest.LogCaptureFixture
) -> None:
    expected = _everything(files)
    entries = sorted(cache_dir.iterdir())
    entries[0].unlink()
    entries[0].symlink_to("/dev/zero")
    entries[1].unlink()
    os.mkfifo(entries[1])
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(_everything(files)), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "reading the cache hung"
    assert done == [expected]
