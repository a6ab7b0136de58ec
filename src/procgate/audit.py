"""The audit log: one hash-chained JSON line per checked file, appended atomically.

    decision_records(verdict, facts)   what was decided, one dict per checked file
    append(path, records)               chain them onto the log (safe across processes)
    verify(path)                        check every line and the chain between them

Each line is the canonical JSON (sorted keys, no spaces, ASCII) of a record carrying `seq`
(1, 2, ...), `prev` (the previous line's hash) and `hash` (sha256 of the record without
`hash`). Editing any byte breaks the line's canonical form or its hash; removing or
reordering lines breaks `prev` or `seq`. Removing lines from the end leaves a valid, shorter
chain: compare the head hash `verify` prints with one kept elsewhere (`--head`).

Appends hold an exclusive flock on the log, read the last line's hash, and write all new
lines with one write() followed by fsync, so two processes never interleave or fork the
chain. A process killed mid-write can at worst leave an unterminated last line; it was never
part of the chain, and the next append cuts it off and records how many bytes it dropped.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from procgate.errors import ProcgateError
from procgate.model import Severity, Verdict
from procgate.report.json_report import finding_dict

FORMAT = 1
GENESIS = "sha256:" + "0" * 64  # the `prev` of the first line
_CHUNK = 65536


class AuditError(ProcgateError):
    """The audit log cannot be written (exit 2): a run that must be recorded must not pass
    unrecorded."""


@dataclass(frozen=True)
class RunFacts:
    """What is the same for every file of one run."""

    time: datetime  # aware, UTC
    version: str
    policy_digest: str
    audience: str
    today: date
    fail_on: str
    inputs: Mapping[str, str | None] = field(default_factory=dict)  # file -> sha256 of bytes
    git: Mapping[str, Any] | None = None  # {"commit": hexsha, "dirty": bool}


def decision_records(verdict: Verdict, facts: RunFacts) -> list[dict[str, Any]]:
    run = uuid.uuid4().hex
    blocking = _blocking(facts.fail_on)
    records = []
    # An SBOM named twice is one decision; a configured waiver's own findings get a line too.
    for file in dict.fromkeys([*verdict.files, *(f.position.file for f in verdict.findings)]):
        mine = [f for f in verdict.findings if f.position.file == file]
        records.append({
            "format": FORMAT,
            "decision": uuid.uuid4().hex,
            "run": run,
            "time": facts.time.isoformat().replace("+00:00", "Z"),
            "procgate": facts.version,
            "policy_digest": facts.policy_digest,
            "input": {"file": file, "sha256": facts.inputs.get(file)},
            "audience": facts.audience,
            "date": facts.today.isoformat(),
            "fail_on": facts.fail_on,
            "verdict": "fail" if any(f.severity in blocking for f in mine) else "pass",
            "counts": {s.value: sum(1 for f in mine if f.severity is s) for s in Severity},
            "findings": [finding_dict(f) for f in mine],
            "waivers": sorted({f.waiver for f in mine
                               if f.waiver and f.severity is Severity.WAIVED}),
            "git": dict(facts.git) if facts.git else None,
        })
    return records


def _blocking(fail_on: str) -> set[Severity]:
    return {"deny": {Severity.DENY}, "warn": {Severity.DENY, Severity.WARN}}.get(fail_on, set())


# ---------------------------------------------------------------- writing


def append(path: Path, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Chain `records` onto the log at `path` (created if missing); returns them as written."""
    if not records:
        return []
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError as exc:
        raise AuditError(f"cannot open audit log {path}: {exc.strerror}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes, also if we are killed
        prev, seq, dropped = _tail(fd, path)
        written, lines = [], []
        for r in records:
            seq += 1
            body = {**r, "seq": seq, "prev": prev}
            if dropped:
                body["recovered_bytes"] = dropped  # evidence of the cut, on the next line
                dropped = 0
            body["hash"] = prev = _hash(body)
            written.append(body)
            lines.append(canonical(body))
        data = ("\n".join(lines) + "\n").encode("ascii")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        return written
    except OSError as exc:
        raise AuditError(f"cannot write audit log {path}: {exc.strerror}") from exc
    finally:
        os.close(fd)


def _tail(fd: int, path: Path) -> tuple[str, int, int]:
    """(hash of the last line, its seq, bytes of a torn last line cut off)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return GENESIS, 0, 0
    dropped = 0
    if os.pread(fd, 1, size - 1) != b"\n":
        end = _last_newline(fd, size) + 1  # 0 when the torn line is the only one
        os.ftruncate(fd, end)
        dropped, size = size - end, end
        if size == 0:
            return GENESIS, 0, dropped
    start = _last_newline(fd, size - 1) + 1
    line = os.pread(fd, size - 1 - start, start)
    try:
        last = json.loads(line)
        return str(last["hash"]), int(last["seq"]), dropped
    except (ValueError, KeyError, TypeError) as exc:
        raise AuditError(f"audit log {path} is damaged at its last line",
                         f"run `procgate audit verify {path}`") from exc


def _last_newline(fd: int, end: int) -> int:
    """Offset of the last b"\\n" before `end`, or -1."""
    pos = end
    while pos > 0:
        start = max(0, pos - _CHUNK)
        found = os.pread(fd, pos - start, start).rfind(b"\n")
        if found != -1:
            return start + found
        pos = start
    return -1


def canonical(record: Mapping[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _hash(body: Mapping[str, Any]) -> str:
    unhashed = {k: v for k, v in body.items() if k != "hash"}
    return "sha256:" + hashlib.sha256(canonical(unhashed).encode("ascii")).hexdigest()


# ---------------------------------------------------------------- verifying


@dataclass(frozen=True)
class Verification:
    records: int
    head: str  # hash of the last record (GENESIS for an empty log)
    problems: tuple[str, ...]  # "line N: ..."; empty when the chain is intact
    notes: tuple[str, ...] = ()  # e.g. a torn last line from an interrupted append

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: Path, head: str | None = None) -> Verification:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AuditError(f"cannot read audit log {path}: {exc.strerror}") from exc
    lines = raw.split(b"\n")
    notes: list[str] = []
    if lines[-1]:
        notes.append(f"line {len(lines)}: incomplete (no newline): an interrupted append; "
                     "not part of the chain, the next append removes it")
    problems: list[str] = []
    prev, seq, count = GENESIS, 0, 0
    for n, line in enumerate(lines[:-1], start=1):
        count = n
        problem, record = _check_line(line, prev, seq + 1)
        if problem:
            problems.append(f"line {n}: {problem}")
        if record is not None and record.get("recovered_bytes"):
            notes.append(f"line {n}: {record['recovered_bytes']} bytes of an interrupted append "
                         "were cut off before it")
        # Compare each line with what the previous one *claims*, so one edit is one problem.
        if record is not None:
            prev, seq = str(record.get("hash")), _int(record.get("seq"), seq + 1)
        else:
            seq += 1
    if head is not None and prev != head:
        problems.append(f"the last line's hash is {prev}, expected {head}: lines were removed "
                        "from the end, or the log was replaced")
    return Verification(count, prev, tuple(problems), tuple(notes))


def _check_line(line: bytes, prev: str, seq: int) -> tuple[str, dict[str, Any] | None]:
    try:
        record = json.loads(line)
    except ValueError:
        return "not valid JSON (edited or corrupted)", None
    if not isinstance(record, dict):
        return "not a record", None
    if canonical(record).encode("ascii") != line:
        return "not in canonical form (edited)", record
    if record.get("hash") != _hash(record):
        return "content does not match its hash (edited)", record
    if record.get("prev") != prev:
        return "does not follow the line before it (a line was removed, inserted or moved)", record
    if record.get("seq") != seq:
        return f"sequence number {record.get('seq')} where {seq} was expected", record
    return "", record


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


# ---------------------------------------------------------------- facts about the inputs


def input_digest(file: str, content: Callable[[str], bytes | None] | None = None) -> str | None:
    """sha256 of the bytes that were checked: `content(file)` when it has them (`check
    --staged` checks the git index), else the file's on disk."""
    data = content(file) if content is not None else None
    if data is None:
        return _file_digest(Path(file))
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return "sha256:" + h.hexdigest()


def git_state(folder: Path) -> dict[str, Any] | None:
    """{"commit", "dirty"} of the repository holding `folder`; None outside one."""
    try:
        import git  # GitPython: imported only when auditing; fails without a git executable
    except ImportError:
        return None
    try:
        repo = git.Repo(folder, search_parent_directories=True)
        return {"commit": repo.head.commit.hexsha, "dirty": repo.is_dirty(untracked_files=False)}
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError, ValueError):
        return None  # ValueError: a repository without commits
