"""The audit log's hash chain: it verifies, and every edit, removal or reordering is found."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from procgate.audit import GENESIS, RunFacts, append, decision_records, verify
from procgate.model import Finding, Position, Severity, Verdict, Waiver, WaiverScope

FACTS = RunFacts(
    time=datetime(2026, 11, 28, 12, 0, tzinfo=UTC),
    version="0.1.0",
    policy_digest="sha256:" + "ab" * 32,
    audience="us-federal",
    today=date(2026, 11, 28),
    fail_on="deny",
    inputs={"a.yaml": "sha256:" + "11" * 32},
    git={"commit": "c0ffee", "dirty": False},
)


WAIVER = Waiver(
    "W-1",
    None,
    "hikvision",
    WaiverScope(files=("b.yaml",)),
    "CISO",
    "r",
    "T-1",
    expires=date(2026, 12, 31),
    approved_on=date(2026, 1, 1),
)


def verdict() -> Verdict:
    deny = Finding(
        "bans.banned-vendor",
        Severity.DENY,
        "banned",
        Position("a.yaml", 3, 5),
        entity="kaspersky",
        authorities=("ndaa-fy2018-1634",),
    )
    waived = Finding(
        "bans.review",
        Severity.WAIVED,
        "review",
        Position("b.yaml", 9, 1),
        entity="hikvision",
        waived_by=WAIVER,
    )
    return Verdict(("a.yaml", "b.yaml", "c.yaml"), (deny, waived))


def log_with(tmp_path: Path, runs: int = 2) -> Path:
    path = tmp_path / "audit.jsonl"
    for _ in range(runs):
        append(path, decision_records(verdict(), FACTS))
    return path


def test_one_record_per_file_with_the_decision(tmp_path: Path) -> None:
    a, b, c = decision_records(verdict(), FACTS)
    assert (a["verdict"], b["verdict"], c["verdict"]) == ("fail", "pass", "pass")
    assert a["input"] == {"file": "a.yaml", "sha256": "sha256:" + "11" * 32}
    assert b["waivers"] == ["W-1"] and b["counts"]["waived"] == 1
    assert a["findings"][0]["rule"] == "bans.banned-vendor"
    assert a["run"] == b["run"] and a["decision"] != b["decision"]
    assert a["time"] == "2026-11-28T12:00:00Z"
    assert {"procgate", "policy_digest", "audience", "date", "git"} <= set(a)


def test_chain_verifies_and_links_every_line(tmp_path: Path) -> None:
    path = log_with(tmp_path)
    result = verify(path)
    assert result.ok and result.records == 6
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert records[0]["prev"] == GENESIS
    assert all(r["prev"] == p["hash"] for p, r in pairwise(records))
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert result.head == records[-1]["hash"]


def test_changing_any_byte_of_any_line_is_detected(tmp_path: Path) -> None:
    path = log_with(tmp_path, runs=1)
    original = path.read_bytes()
    for i, byte in enumerate(original):
        if byte == ord("\n"):
            continue
        tampered = bytearray(original)
        tampered[i] = ord("x") if byte != ord("x") else ord("y")
        path.write_bytes(bytes(tampered))
        assert not verify(path).ok, f"byte {i} ({chr(byte)!r}) changed unnoticed"


def test_a_re_hashed_edit_is_still_detected_by_the_next_line(tmp_path: Path) -> None:
    """An editor who also recomputes the edited line's own hash breaks the next `prev`."""
    from procgate.audit import _hash, canonical

    path = log_with(tmp_path, runs=1)
    lines = path.read_text().splitlines()
    record = json.loads(lines[0])
    record["verdict"] = "pass"
    record["hash"] = _hash(record)
    lines[0] = canonical(record)
    path.write_text("\n".join(lines) + "\n")
    result = verify(path)
    assert result.problems == (
        "line 2: does not follow the line before it (a line was removed, inserted or moved)",
    )


@pytest.mark.parametrize("edit", ["delete-first", "delete-middle", "swap", "duplicate"])
def test_removed_reordered_or_repeated_lines_are_detected(tmp_path: Path, edit: str) -> None:
    path = log_with(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    if edit == "delete-first":
        del lines[0]
    elif edit == "delete-middle":
        del lines[3]
    elif edit == "swap":
        lines[2], lines[3] = lines[3], lines[2]
    else:
        lines.insert(2, lines[1])
    path.write_text("".join(lines))
    assert not verify(path).ok


def test_removing_the_last_lines_is_found_with_the_kept_head(tmp_path: Path) -> None:
    path = log_with(tmp_path)
    head = verify(path).head
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]))
    assert verify(path).ok  # a shorter chain is still a chain ...
    assert not verify(path, head=head).ok  # ... but not the one that was recorded


def test_a_torn_last_line_is_cut_off_by_the_next_append(tmp_path: Path) -> None:
    path = log_with(tmp_path, runs=1)
    with path.open("ab") as f:
        f.write(b'{"format":1,"half a rec')  # what a writer killed mid-write could leave
    torn = verify(path)
    assert torn.ok and torn.records == 3 and "incomplete" in torn.notes[0]
    append(path, decision_records(verdict(), FACTS))
    after = verify(path)
    assert after.ok and after.records == 6 and not any("incomplete" in n for n in after.notes)
    assert json.loads(path.read_text().splitlines()[3])["recovered_bytes"] == 23


def test_a_damaged_last_line_stops_appends(tmp_path: Path) -> None:
    from procgate.audit import AuditError

    path = tmp_path / "audit.jsonl"
    path.write_text("not json\n")
    with pytest.raises(AuditError, match="first line is not an audit record"):
        append(path, decision_records(verdict(), FACTS))


_WRITER = """
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from procgate.audit import RunFacts, append
facts = RunFacts(datetime.now(UTC), "0.1.0", "sha256:x", "us-federal", date(2026, 1, 1), "deny")
path, n, tag = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
record = {"format": 1, "writer": tag, "input": {"file": "f", "sha256": None}}
for i in range(n):
    append(path, [{**record, "i": i}])
"""


def test_concurrent_appends_from_two_processes_keep_the_chain(tmp_path: Path) -> None:
    path, n = tmp_path / "audit.jsonl", 300
    start = time.perf_counter()
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), str(n), tag])
        for tag in ("a", "b")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    elapsed = time.perf_counter() - start
    result = verify(path)
    assert result.ok, result.problems[:3]
    assert result.records == 2 * n
    tags = [json.loads(line)["writer"] for line in path.read_text().splitlines()]
    assert tags.count("a") == tags.count("b") == n
    print(
        f"{2 * n} appends from 2 processes in {elapsed:.2f} s "
        f"({2 * n / elapsed:.0f} lines/s, fsync each)"
    )


def test_a_writer_killed_at_random_never_breaks_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    for delay in (0.05, 0.1, 0.15):
        before = path.stat().st_size if path.exists() else 0
        writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), "100000", "k"])
        deadline = time.monotonic() + 120  # a loaded machine may take seconds to start it
        while (
            (path.stat().st_size if path.exists() else 0) <= before
            and time.monotonic() < deadline
            and writer.poll() is None
        ):
            time.sleep(0.01)
        time.sleep(delay)  # then killed mid-stream, at some point of some write
        writer.kill()
        writer.wait()
        append(path, [{"format": 1, "writer": "after-kill"}])
        assert verify(path).ok
    assert verify(path).records > 3
