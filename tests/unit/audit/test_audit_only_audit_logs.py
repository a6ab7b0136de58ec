"""`--audit-log FILE` appends only to a procgate audit log (issue 17 item 3): a text file, a
link, a FIFO or a device given as the log is refused and left exactly as it was; a torn
last line is cut only when it provably is one of ours; a complete record that lost only its
final newline is kept."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from test_audit_chain import FACTS, log_with, verdict

from procgate.audit import AuditError, append, decision_records, verify

TEXT = b"my notes\nsecond line of notes\nthird line here!\n"  # 49 bytes, like the report's


def _append(path: Path) -> list[dict]:
    return append(path, decision_records(verdict(), FACTS))


@pytest.mark.parametrize(
    "content",
    [
        TEXT,
        TEXT.rstrip(b"\n"),  # was cut at its last line: 49 -> 17 bytes
        b"hello",  # no newline at all: was replaced with an audit record
        b'{"not": "ours"}\n',
        b'{"format":1,"half a record',  # looks torn, but nothing before it is ours
    ],
)
def test_a_file_that_is_not_an_audit_log_is_refused_and_untouched(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    if content.startswith(b'{"format"'):
        _append(path)  # a torn first record alone is ours: it is recovered ...
        assert verify(path).ok
        return
    with pytest.raises(AuditError, match="not a procgate audit log"):
        _append(path)
    assert path.read_bytes() == content


def test_unknown_bytes_after_the_last_record_are_never_cut(tmp_path: Path) -> None:
    path = log_with(tmp_path, runs=1)
    with path.open("ab") as f:
        f.write(b"someone else's text")
    before = path.read_bytes()
    with pytest.raises(AuditError, match="not a procgate audit record"):
        _append(path)
    assert path.read_bytes() == before


def test_a_complete_record_without_its_final_newline_is_kept(tmp_path: Path) -> None:
    path = log_with(tmp_path, runs=1)
    path.write_bytes(path.read_bytes()[:-1])  # only the last newline removed
    missing = verify(path)
    assert missing.ok and missing.records == 3
    _append(path)
    after = verify(path)
    assert after.ok and after.records == 6, after.problems
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert not any("recovered_bytes" in r for r in records)


def test_a_torn_record_of_ours_is_still_recovered(tmp_path: Path) -> None:
    path = log_with(tmp_path, runs=1)
    last = path.read_bytes().splitlines()[-1]
    with path.open("ab") as f:
        f.write(last[:40])  # a writer killed mid-write
    _append(path)
    after = verify(path)
    assert after.ok and after.records == 6
    assert json.loads(path.read_text().splitlines()[3])["recovered_bytes"] == 40


def test_a_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(TEXT)
    link = tmp_path / "audit.jsonl"
    link.symlink_to(target)
    with pytest.raises(AuditError, match="symbolic link"):
        _append(link)
    assert target.read_bytes() == TEXT
    (tmp_path / "real").mkdir()
    good = log_with(tmp_path / "real", runs=1)
    before = good.read_bytes()
    link2 = tmp_path / "link-to-log.jsonl"
    link2.symlink_to(good)
    with pytest.raises(AuditError, match="symbolic link"):
        _append(link2)
    assert good.read_bytes() == before


def test_a_dangling_symlink_does_not_create_its_target(tmp_path: Path) -> None:
    link = tmp_path / "audit.jsonl"
    link.symlink_to(tmp_path / "elsewhere" / "created.jsonl")
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(AuditError, match="symbolic link"):
        _append(link)
    assert not (tmp_path / "elsewhere" / "created.jsonl").exists()


def test_a_fifo_or_a_device_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "audit.fifo"
    os.mkfifo(fifo)
    outcome: list[object] = []

    def attempt() -> None:
        try:
            _append(fifo)
        except AuditError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "appending to a FIFO hung"
    assert outcome and "not a regular file" in str(outcome[0])
    with pytest.raises(AuditError, match="not a regular file"):
        _append(Path("/dev/null"))
    with pytest.raises(AuditError, match="not a regular file"):
        verify(Path("/dev/zero"))


def test_a_missing_log_is_created_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "audit" / "deeper" / "procgate.jsonl"
    _append(path)
    assert verify(path).ok and verify(path).records == 3
