"""The shipped ban list is kept in the disk cache too (issue 11, the pre-commit path): read
back the same as derived, never served stale when the list or procgate's code changes, and
an entry that was tampered with is derived again, never decoded into anything but data."""

from __future__ import annotations

import hashlib
import os
import shutil
import zlib
from pathlib import Path

import msgpack
import pytest

from procgate import cache
from procgate.decide.rego import data_json
from procgate.lists import default_ban_files, load_ban_data
from procgate.match import Matcher
from procgate.match import cache as index_cache
from procgate.model import BanData, Owner, Subject


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PROCGATE_CACHE_DIR", str(folder))
    index_cache._memory.clear()
    cache._said.clear()
    return folder


def _check_with(data: BanData) -> tuple[object, ...]:
    """What a check reads of ban data: the entities, the matches, Rego's data."""
    index_cache._memory.clear()
    subject = Subject("vendor", "AO Kaspersky Lab", "/vendor/name", Owner("", "request", ""))
    return dict(data.entities), Matcher(data).match([subject]), data_json(data)


def test_read_back_the_same_as_derived(cache_dir: Path) -> None:
    derived = load_ban_data(default_ban_files())
    expected = _check_with(derived)
    assert len(list(cache_dir.glob("*.msgpack"))) == 2  # ban data, Rego's data
    read = load_ban_data(default_ban_files())
    assert read is not derived
    assert _check_with(read) == expected
    assert expected[1], "the subject must match, or the comparison shows nothing"


def test_a_changed_list_is_never_served_stale(cache_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "us-government.yaml"
    shutil.copy(default_ban_files()[0], copy)
    before = load_ban_data([copy])
    _check_with(before)
    text = copy.read_text(encoding="utf-8")
    assert "name: AO Kaspersky Lab\n" in text
    copy.write_text(text.replace("name: AO Kaspersky Lab\n", "name: AO Kasparov Lab\n"))
    after = load_ban_data([copy])
    assert after.digest != before.digest
    names = {e.name for e in after.entities.values()}
    assert "AO Kasparov Lab" in names and "AO Kaspersky Lab" not in names
    subject = Subject("vendor", "AO Kasparov Lab", "/vendor/name", Owner("", "request", ""))
    assert Matcher(after).match([subject])  # the index is the changed list's, not the old one
    assert "AO Kasparov Lab" in data_json(after)
    assert len(list(cache_dir.glob("ban-data-*"))) == 2


def test_the_key_changes_with_procgates_code(tmp_path: Path) -> None:
    """cache.code_digest() stamps procgate's source files (path, size, modification time):
    an edit, however small, gives a new key. Shown on a copy of a source folder."""
    folder = tmp_path / "procgate"
    shutil.copytree(
        Path(cache.__file__).parent / "lists",
        folder / "lists",
        ignore=shutil.ignore_patterns("*.pyc"),
    )

    def stamp() -> str:
        h = hashlib.sha256()
        cache._stamp(h, folder, ".py", deep=True)
        return h.hexdigest()

    first = stamp()
    assert stamp() == first
    merge = folder / "lists" / "merge.py"
    st = merge.stat()
    merge.write_text(merge.read_text(encoding="utf-8").replace("a", "b"), encoding="utf-8")
    os.utime(merge, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: not seen
    assert stamp() == first
    os.utime(merge, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert stamp() != first
    (folder / "lists" / "__pycache__").mkdir(exist_ok=True)
    touched = stamp()
    (folder / "lists" / "__pycache__" / "x.py").write_text("")  # bytecode caches: ignored
    assert stamp() == touched


def _entry(cache_dir: Path) -> Path:
    (entry,) = cache_dir.glob("ban-data-*.msgpack")
    return entry


def _rewrite(entry: Path, payload: bytes) -> None:
    """What someone with the user's own rights could write: the right magic line and CRC."""
    entry.write_bytes(b"procgate-cache-2\n" + zlib.crc32(payload).to_bytes(4, "big") + payload)
    os.chmod(entry, 0o600)


@pytest.mark.parametrize("planted", ["another class", "not the shape", "flipped bit"])
def test_a_tampered_entry_is_derived_again(cache_dir: Path, planted: str) -> None:
    derived = load_ban_data(default_ban_files())
    expected = _check_with(derived)
    entry = _entry(cache_dir)
    if planted == "another class":  # an object the reader does not name (os.system-like)
        inner = msgpack.packb(("subprocess.Popen", {"args": "touch /tmp/x"}))
        payload = msgpack.packb(msgpack.ExtType(4, inner))
        _rewrite(entry, payload)
    elif planted == "not the shape":  # data, but not (sources, BanData)
        _rewrite(entry, msgpack.packb({"entities": {"kaspersky": "gone"}}))
    else:
        content = bytearray(entry.read_bytes())
        content[len(content) // 2] ^= 0x01
        entry.write_bytes(bytes(content))
    again = load_ban_data(default_ban_files())
    assert _check_with(again) == expected
    assert again.digest == derived.digest
