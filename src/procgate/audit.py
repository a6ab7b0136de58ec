"""The audit log: one hash-chained JSON line per checked file, appended atomically.

    decision_records(verdict, facts)   what was decided, one dict per checked file
    append(path, records)               chain them onto the log (safe across processes)
    verify(path)                        check every line and the chain between them

Each line is the canonical JSON (sorted keys, no spaces, ASCII) of a record carrying `seq`
(1, 2, ...), `prev` (the previous line's hash) and `hash` (sha256 of the record without
`hash`). Editing any byte breaks the line's canonical form or its hash; removing or
reordering lines breaks `prev` or `seq`. Removing lines from the end leaves a valid, shorter
chain: compare the head hash `verify` prints with one kept elsewhere (`--head`).

Only an audit log is appended to: the file is opened without following links (a link, FIFO or
device is refused), created with O_EXCL (and its folder) when missing, and a non-empty file
whose first line is not a procgate record is refused untouched.

Appends hold an exclusive flock on the log, read the last line's hash, and write all new
lines with one write() followed by fsync, so two processes never interleave or fork the
chain. A process killed mid-write can at worst leave an unterminated last line; it was never
part of the chain, and the next append cuts it off and records how many bytes it dropped -
only when those bytes are provably the start of a record (never unknown bytes). A complete
record that lost only its final newline is kept: the next append writes the newline first.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from procgate.errors import ProcgateError
from procgate.model import Severity, Verdict, blocking_severities
from procgate.report.json_report import finding_dict

FORMAT = 1
GENESIS = "sha256:" + "0" * 64  # the `prev` of the first line
_CHUNK = 65536
_MAX_LINE = 64 << 20  # longest line looked at; a record is rarely over a few hundred KB
# The start of a canonical record: `{"` then printable ASCII (canonical() escapes the rest).
_TORN = re.compile(rb'\{"[\x20-\x7e]*')


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
    blocking = blocking_severities(facts.fail_on)
    records = []
    # An SBOM named twice is one decision; a configured waiver's own findings get a line too.
    for file in dict.fromkeys([*verdict.files, *(f.position.file for f in verdict.findings)]):
        mine = [f for f in verdict.findings if f.position.file == file]
        records.append(
            {
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
                "waivers": sorted({f.waived_by.id for f in mine if f.waived_by is not None}),
                "git": dict(facts.git) if facts.git else None,
            }
        )
    return records


# ---------------------------------------------------------------- writing


def append(path: Path, records: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Chain `records` onto the log at `path` (created, with its folder, if missing); returns
    them as written. Only a procgate audit log is appended to: see _open and _tail."""
    if not records:
        return []
    fd = _open(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes, also if we are killed
        prev, seq, dropped, newline = _tail(fd, path)
        written, lines = [], []
        for r in records:
            seq += 1
            extra = {"recovered_bytes": dropped} if dropped else {}  # evidence of the cut
            dropped = 0
            body = link({**r, **extra}, prev, seq)
            prev = body["hash"]
            written.append(body)
            lines.append(canonical(body))
        data = (newline + "\n".join(lines) + "\n").encode("ascii")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        return written
    except OSError as exc:
        raise AuditError(f"cannot write audit log {path}: {exc.strerror}") from exc
    finally:
        os.close(fd)


def _open(path: Path) -> int:
    """The log, opened for appending without following a link; created with O_EXCL (and its
    folder) when absent. A link, a FIFO or a device is refused: the log is a file of ours."""
    flags = os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    for _ in range(3):  # another procgate may create it between our two opens
        try:
            _refuse_odd(os.lstat(path), path)
            fd = os.open(path, flags)
        except FileNotFoundError:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            except OSError as exc:
                raise AuditError(f"cannot create audit log {path}: {exc.strerror}") from exc
        except OSError as exc:
            raise AuditError(f"cannot open audit log {path}: {exc.strerror}") from exc
        try:
            _refuse_odd(os.fstat(fd), path)  # replaced between lstat and open
        except AuditError:
            os.close(fd)
            raise
        return fd
    raise AuditError(f"cannot open audit log {path}: it keeps appearing and disappearing")


def _refuse_odd(st: os.stat_result, path: Path) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise AuditError(
            f"audit log {path} is a symbolic link: procgate does not follow links to its audit log",
            "give the path of the log file itself",
        )
    if not stat.S_ISREG(st.st_mode):
        raise AuditError(
            f"audit log {path} is not a regular file (a FIFO, device or folder)",
            "give the path of a file",
        )


def _tail(fd: int, path: Path) -> tuple[str, int, int, str]:
    """(hash of the last record, its seq, bytes of a torn last line cut off, "\n" when a
    complete last record lost only its final newline). Refuses (AuditError, nothing
    written) a file whose first line is not a procgate audit record, and a last line that
    is neither a record nor provably a torn one."""
    size = os.fstat(fd).st_size
    if size == 0:
        return GENESIS, 0, 0, ""
    end = _last_newline(fd, size) + 1  # start of an unterminated last line, 0 when none
    first = _first_line(fd, min(size, end or size))
    if end and _check_line(first, GENESIS, 1)[0]:
        raise AuditError(
            f"{path} is not a procgate audit log: its first line is not an audit "
            "record; nothing was written to it",
            "give a new file, or run `procgate audit verify` on it",
        )
    prev, seq = GENESIS, 0
    if end:
        start = _last_newline(fd, end - 1) + 1
        try:
            last = json.loads(os.pread(fd, end - 1 - start, start))
            prev, seq = str(last["hash"]), int(last["seq"])
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditError(
                f"audit log {path} is damaged at its last line",
                f"run `procgate audit verify {path}`",
            ) from exc
    if end == size:
        return prev, seq, 0, ""
    if size - end > _MAX_LINE:
        raise AuditError(
            f"{path} ends with {size - end} bytes that are not a procgate audit "
            "record; nothing was written to it",
            f"run `procgate audit verify {path}`",
        )
    rest = os.pread(fd, size - end, end)
    problem, record = _check_line(rest, prev, seq + 1)
    if not problem and record is not None:  # complete: only its newline is missing
        return str(record["hash"]), seq + 1, 0, "\n"
    if _torn(rest):
        os.ftruncate(fd, end)
        return prev, seq, size - end, ""
    what = "a procgate audit log" if not end else "a procgate audit record"
    raise AuditError(
        f"{path} is not {what}: it ends with {size - end} bytes that are not "
        "an audit record; nothing was written to it",
        f"run `procgate audit verify {path}`",
    )


def _first_line(fd: int, limit: int) -> bytes:
    """The bytes before the first newline (read a block at a time: the log may be large)."""
    data = b""
    while len(data) < min(limit, _MAX_LINE):
        block = os.pread(fd, _CHUNK, len(data))
        if not block:
            break
        data += block
        if b"\n" in block:
            break
    return data.split(b"\n", 1)[0]


def _torn(rest: bytes) -> bool:
    """Whether `rest` (an unterminated last line) is what an append killed mid-write leaves:
    the start of a canonical record (ASCII JSON object, no newline) that is not complete.
    Anything else is someone else's bytes, and is never cut."""
    if not _TORN.fullmatch(rest):
        return False
    try:
        json.loads(rest)
    except ValueError:
        return True
    return False  # complete JSON that is not our next record: not torn


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


def link(record: Mapping[str, Any], prev: str, seq: int) -> dict[str, Any]:
    """`record` chained after the one whose hash is `prev`: with `seq`, `prev` and `hash`.
    The audit log's lines and the store's status history (store/history.py) are chained so."""
    body = {**record, "seq": seq, "prev": prev}
    body["hash"] = _hash(body)
    return body


def check_link(line: str, prev: str, seq: int) -> str:
    """What is wrong with one chained record (its canonical JSON text) following `prev` as
    number `seq`; "" when nothing is."""
    return _check_line(line.encode("ascii", "backslashreplace"), prev, seq)[0]


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
        _refuse_odd(path.stat(), path)  # a FIFO would never end, /dev/zero neither
        raw = path.read_bytes()
    except OSError as exc:
        raise AuditError(f"cannot read audit log {path}: {exc.strerror}") from exc
    lines = raw.split(b"\n")
    notes: list[str] = []
    if lines[-1] and _complete_last(lines):
        notes.append(
            f"line {len(lines)}: complete, but without its final newline; the next append adds it"
        )
        lines.append(b"")
    elif lines[-1]:
        notes.append(
            f"line {len(lines)}: incomplete (no newline): an interrupted append; "
            "not part of the chain, the next append removes it"
        )
    problems: list[str] = []
    prev, seq, count = GENESIS, 0, 0
    for n, line in enumerate(lines[:-1], start=1):
        count = n
        problem, record = _check_line(line, prev, seq + 1)
        if problem:
            problems.append(f"line {n}: {problem}")
        if record is not None and record.get("recovered_bytes"):
            notes.append(
                f"line {n}: {record['recovered_bytes']} bytes of an interrupted append "
                "were cut off before it"
            )
        # Compare each line with what the previous one *claims*, so one edit is one problem.
        if record is not None:
            prev, seq = str(record.get("hash")), _int(record.get("seq"), seq + 1)
        else:
            seq += 1
    if head is not None and prev != head:
        problems.append(
            f"the last line's hash is {prev}, expected {head}: lines were removed "
            "from the end, or the log was replaced"
        )
    return Verification(count, prev, tuple(problems), tuple(notes))


def _complete_last(lines: list[bytes]) -> bool:
    """Whether the unterminated last line is a whole record (its newline alone was lost)."""
    try:
        record = json.loads(lines[-1])
    except ValueError:
        return False
    return (
        isinstance(record, dict)
        and canonical(record).encode("ascii") == lines[-1]
        and record.get("hash") == _hash(record)
    )


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
    """None for what is not a regular file: the check read nothing from a FIFO (opening one
    to read waits for a writer) or a device (/dev/zero never ends), so neither does this."""
    h = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
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
