"""load.git: git itself, for `check --staged` (the index) and `--diff BASE` (a commit's
tree): where the work tree is, what changed, and blobs as bytes. git runs as a subprocess.
Which files to check and their content (Snapshot, Selection) are in procgate.diff.select.

Paths have three forms here: the repository path (POSIX, relative to the top of the work
tree: what git prints), the display path (relative to the cwd, what findings show, as for
files on disk), and the user's path on the command line.
"""

from __future__ import annotations

import os
import subprocess
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from procgate.errors import ProcgateError

# Regular files only: a symlink's blob is its target's name, a gitlink (160000) a submodule.
_FILE_MODES = frozenset(("100644", "100755"))


class GitError(ProcgateError):
    """git could not answer: not a repository, an unknown revision, a git failure."""


class BlobTooLarge(Exception):
    """A blob over the size limit given to GitRepo.read: skipped unread (git says its size
    first), as a file on disk over the limit is refused before a byte is read."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


@dataclass(frozen=True)
class Change:
    """One file's change between BASE and the checked content, from git's rename detection."""

    status: str  # A added, M modified, R renamed, C copied, D deleted, T type changed
    path: str  # repository path now ("" when deleted)
    old_path: str  # repository path on BASE ("" when added)


@dataclass
class GitRepo:
    """A work tree and the cwd inside it. Open with GitRepo.open(cwd).

    git itself is run, not GitPython: importing GitPython costs more CPU than the whole of
    pre-commit's check-yaml, and `check --staged` needs three git calls (where the work
    tree is, what is staged, the staged blobs through one `git cat-file --batch`)."""

    root: Path
    cwd: Path
    _blobs: _BlobReader | None = field(default=None, repr=False, compare=False)

    @classmethod
    def open(cls, cwd: Path) -> GitRepo:
        out = _run_git(["rev-parse", "--is-bare-repository", "--show-toplevel"], cwd, check=False)
        lines = out.stdout.decode("utf-8", "surrogateescape").splitlines()
        if lines[:1] == ["true"]:
            raise GitError(f"{cwd} is a bare git repository: there is no work tree to check")
        if out.returncode != 0 or len(lines) < 2:
            raise GitError(
                f"not a git repository: {cwd}",
                "--staged and --diff read from git; run them inside a git work tree, or "
                "check files without them",
            )
        return cls(Path(os.path.realpath(os.fsdecode(out.stdout.splitlines()[1]))), _realpath(cwd))

    # -- running git -----------------------------------------------------------------

    def git(self, *args: str) -> bytes:
        """`git ARGS` in the top folder, raw bytes out (paths in -z output are bytes)."""
        out = _run_git(["-c", "core.quotepath=off", *args], self.root, check=False)
        if out.returncode != 0:
            detail = out.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"git {args[0]} failed: {detail or f'exit {out.returncode}'}")
        return out.stdout

    def read(self, sha: str, limit: int | None = None) -> bytes:
        """A blob's content, through one persistent `git cat-file --batch`; BlobTooLarge
        for one over `limit` bytes."""
        if self._blobs is None:
            self._blobs = _BlobReader(self.root)
        return self._blobs.read(sha, limit)

    # -- paths ---------------------------------------------------------------------------

    def repo_path(self, path: Path) -> str | None:
        """The repository path of a command-line path; None when it is outside the work tree.
        Only the parent folders are resolved: a symlinked folder above is followed, but the
        name itself is kept (the index holds the link, not its target)."""
        absolute = Path(os.path.abspath(self.cwd / path))
        if absolute == self.root or absolute.parent == absolute:
            return ""
        real = _realpath(absolute.parent) / absolute.name
        try:
            rel = real.relative_to(self.root)
        except ValueError:
            return None
        return "" if str(rel) == "." else rel.as_posix()

    def display(self, repo_path: str) -> str:
        """As findings show paths for files on disk: relative to the cwd."""
        absolute = self.root / repo_path
        try:
            return absolute.relative_to(self.cwd).as_posix()
        except ValueError:
            return PurePosixPath(os.path.relpath(absolute, self.cwd)).as_posix()

    # -- revisions -----------------------------------------------------------------------

    def has_head(self) -> bool:
        return (
            _run_git(
                ["rev-parse", "--verify", "--quiet", "HEAD"], self.root, check=False
            ).returncode
            == 0
        )

    def resolve(self, rev: str) -> str:
        """A commit id for a user's revision, or a GitError that says what to do."""
        if not rev.strip() or rev.startswith("-"):
            raise GitError(f"not a git revision: {rev!r}")
        try:
            # rev-parse, not GitPython's repo.commit(): that accepts any 40-hex string
            # without looking the object up. (A leading "-" was refused above.)
            out = self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        except GitError:
            out = b""
        sha = out.decode("ascii", "replace").strip()
        if not sha:
            raise GitError(
                f"unknown git revision {rev!r}: no such branch, tag or commit here",
                "fetch it first (git fetch origin <branch>); a shallow CI checkout lacks older "
                "commits (actions/checkout: fetch-depth: 0, GitLab: GIT_DEPTH: 0)",
            )
        return sha

    def merge_base(self, base: str) -> str:
        """Where HEAD left BASE (as `git diff BASE...HEAD`), so that fixes landed on BASE
        after the branch started are not taken for this branch's findings. Without a merge
        base (unrelated histories, a shallow clone, no commit yet) BASE itself."""
        if not self.has_head():
            return base
        try:
            found = self.git("merge-base", base, "HEAD").split()
        except GitError:
            return base
        return found[0].decode("ascii") if found else base

    # -- listings ------------------------------------------------------------------------

    def staged_changes(self) -> dict[str, str]:
        """{repository path: blob id} of files added, copied, modified, renamed or retyped
        in the index against HEAD (against nothing before the first commit)."""
        out = self.git("diff", "--cached", "--raw", "-z", "--no-abbrev", "--diff-filter=ACMRT")
        return {c.path: sha for c, mode, sha in _parse_raw(out) if mode in _FILE_MODES}

    def list_files(self, commit: str | None, paths: Iterable[str]) -> dict[str, str]:
        """{repository path: blob id} of the regular files at or under `paths` ("" is the
        whole tree) in the index (commit None) or a commit. Paths are literal: a file named
        `[draft] *.yaml` is that file, not a pattern."""
        specs = [p or "." for p in paths]
        if not specs:
            return {}
        if commit is None:
            out = self.git("--literal-pathspecs", "ls-files", "--stage", "-z", "--", *specs)
        else:
            out = self.git(
                "--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit, "--", *specs
            )
        files: dict[str, str] = {}
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            fields = meta.decode("ascii").split()
            if commit is None:  # mode sha stage; stages 1-3: an unresolved merge
                mode, sha, ok = fields[0], fields[1], fields[2] == "0"
            else:  # mode type sha
                mode, sha, ok = fields[0], fields[2], fields[1] == "blob"
            if ok and mode in _FILE_MODES:
                files[os.fsdecode(name)] = sha
        return files

    def changes(self, base: str, *, staged: bool) -> list[Change]:
        """What changed from BASE to the index (staged) or the work tree, renames detected."""
        args = ["diff", "--raw", "-z", "--no-abbrev", "-M", "--no-ext-diff"]
        out = self.git(*args, *(["--cached"] if staged else []), base)
        return [c for c, _mode, _sha in _parse_raw(out)]


def _parse_raw(out: bytes) -> list[tuple[Change, str, str]]:
    """`git diff --raw -z` records -> (change, mode and blob id on the new side)."""
    fields = out.split(b"\0")
    result: list[tuple[Change, str, str]] = []
    i = 0
    while i < len(fields) and fields[i]:
        meta = fields[i].decode("ascii").lstrip(":").split()
        status = meta[4][0]
        new_mode, new_sha = meta[1], meta[3]
        first = os.fsdecode(fields[i + 1])
        if status in "RC":
            second = os.fsdecode(fields[i + 2])
            result.append((Change(status, second, first), new_mode, new_sha))
            i += 3
            continue
        if status == "A":
            change = Change(status, first, "")
        elif status == "D":
            change = Change(status, "", first)
        else:
            change = Change(status, first, first)
        result.append((change, new_mode, new_sha))
        i += 2
    return result


def _realpath(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _run_git(args: list[str], cwd: Path, *, check: bool) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=check, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise GitError(
            f"cannot run git: {exc.strerror or exc}", "--staged and --diff need git on PATH"
        ) from exc


class _BlobReader:
    """`git cat-file --batch`, started on the first read and kept for the run: one process
    however many files are read."""

    def __init__(self, root: Path) -> None:
        try:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise GitError(f"cannot run git: {exc.strerror or exc}") from exc
        weakref.finalize(self, _close, self._proc)

    def read(self, sha: str, limit: int | None = None) -> bytes:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(sha.encode("ascii") + b"\n")
            proc.stdin.flush()
            header = proc.stdout.readline().split()
        except OSError as exc:
            raise GitError(f"git cat-file failed: {exc}") from exc
        if len(header) != 3 or header[1] != b"blob":
            raise GitError(f"git cat-file: no blob {sha}")
        size = int(header[2])
        if limit is not None and size > limit:
            left = size + 1  # passed over in chunks, the newline after it included
            while left and (chunk := proc.stdout.read(min(left, 1 << 20))):
                left -= len(chunk)
            raise BlobTooLarge(size)
        content = proc.stdout.read(size)
        proc.stdout.read(1)  # the newline after each object
        return content


def _close(proc: subprocess.Popen[bytes]) -> None:
    if proc.stdin is not None:
        proc.stdin.close()
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
