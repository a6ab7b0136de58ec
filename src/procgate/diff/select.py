"""Which files a git-aware check looks at, and their content: the index (`--staged`), a
commit's tree (BASE of `--diff`) or the disk. Blobs come from load.git.GitRepo.

Paths have three forms here: the repository path (POSIX, relative to the top of the work
tree: what git prints), the display path (relative to the cwd, what findings show, as for
files on disk), and the user's path on the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from procgate import rules
from procgate.load import Missing, Opener, discover, display_path, load, load_bytes, open_reference
from procgate.load.discover import skipped_folder_name, walked_file_name
from procgate.load.exclude import Exclude
from procgate.load.git import BlobTooLarge, Change, GitError, GitRepo
from procgate.load.source import MAX_BYTES, too_large
from procgate.model import Document, Finding, Position, Severity


class Snapshot:
    """One version of the files: the index (commit=None) or a commit's tree. Blob ids are
    listed in batches and remembered, so that each file costs no git call of its own."""

    def __init__(self, repo: GitRepo, commit: str | None) -> None:
        self.repo = repo
        self.commit = commit
        self._blobs: dict[str, str | None] = {}
        self._loaded: dict[str, str] = {}  # display path -> blob id, of the files loaded

    def blob(self, repo_path: str) -> str | None:
        if repo_path not in self._blobs:
            self.preload([repo_path])
        return self._blobs[repo_path]

    def preload(self, repo_paths: list[str]) -> None:
        """Look up many files with one git call."""
        unknown = [p for p in repo_paths if p not in self._blobs]
        if unknown:
            found = self.repo.list_files(self.commit, unknown)
            self._blobs.update({p: found.get(p) for p in unknown})

    def remember(self, files: dict[str, str]) -> None:
        self._blobs.update(files)

    def files(self, repo_paths: Iterable[str]) -> dict[str, str]:
        """Files at or under the paths (a folder lists its files)."""
        found = self.repo.list_files(self.commit, repo_paths)
        self.remember(found)
        return found

    def load(self, repo_path: str, *, explicit: bool) -> Document | Finding | None:
        """A file of this version; None when it is not in it, or (explicit=False) when it
        is none of our kinds."""
        sha = self.blob(repo_path)
        if sha is None:
            return None
        display = self.repo.display(repo_path)
        try:
            content = self.repo.read(sha, MAX_BYTES)
        except BlobTooLarge as big:  # a finding whatever its kind, as on disk
            return Finding(
                rules.PARSE_LIMIT, Severity.DENY, too_large(big.size), Position(display, 1, 1)
            )
        self._loaded[display] = sha
        return load_bytes(content, display, explicit=explicit)

    def _absent(self, display: str) -> str:
        if self.commit is None:
            return f"{display} is not in the index (stage it with git add)"
        return f"{display} does not exist in {self.commit[:12]}"

    def content(self, display: str) -> bytes | None:
        """The bytes of a file this snapshot loaded, by display path (for the audit log's
        digests); None for any other file (a configured waiver file is read from disk)."""
        sha = self._loaded.get(display)
        return self.repo.read(sha) if sha is not None else None

    def opener(self) -> Opener:
        """For the pipeline's `sbom:` references: a display path -> this version's file."""

        def open_ref(display: str) -> Document | Finding | Missing:
            repo_path = self.repo.repo_path(Path(display))
            if repo_path is None or self.blob(repo_path) is None:
                return Missing(self._absent(display))
            loaded = self.load(repo_path, explicit=True)
            return Missing(self._absent(display)) if loaded is None else loaded

        return open_ref


@dataclass
class Selection:
    """The files a git-aware check looks at, loaded, and how to open what they refer to."""

    items: list[Document | Finding]
    explicit: dict[str, bool]  # display path -> loaded as a named file (see load())
    open_ref: Opener
    skipped: list[str] = field(default_factory=list)  # named but not in the index
    # The bytes checked, by display path, when they are not the file on disk (the index).
    content: Callable[[str], bytes | None] | None = None


def select(
    repo: GitRepo,
    targets: list[Path] | None,
    within: list[Path],
    *,
    staged: bool,
    changes: list[Change] | None = None,
    exclude: Exclude | None = None,
) -> Selection:
    """The files to check and their content: from the index when `staged`, else from disk.

    targets: the command line's paths; None means every changed file: staged changes
    against HEAD, or `changes` (against BASE), narrowed to `within` (the config's `paths:`)
    when it is set. With --staged every file is a candidate: one that is not a purchase
    request, SBOM, ban list or waiver is passed over, as in a folder walk, because a hook
    is handed every YAML and JSON file of a commit. On disk (--diff alone) named files are
    explicit, as for a plain check. Files matching the config's `exclude:` are left out."""
    snapshot = Snapshot(repo, None)
    exclude = exclude or Exclude((), repo.root)

    def kept(repo_paths: list[str]) -> list[str]:
        return [p for p in repo_paths if not exclude.matches(repo.root / p)]

    if targets is None:
        if changes is not None:
            changed = [c.path for c in changes if c.path]
        else:
            staged_blobs = repo.staged_changes()
            snapshot.remember(staged_blobs)
            changed = list(staged_blobs)
        scope = [repo.repo_path(w) for w in within]
        if within:
            changed = [p for p in changed if any(s is not None and _under(p, s) for s in scope)]
        files = kept(candidates(changed))
        if not staged:
            return _from_disk([(repo.root / p, repo.display(p), False) for p in files])
        return _from_index(snapshot, files)
    if not staged:
        found = [(p, named) for p, named in discover(targets) if not exclude.matches(p)]
        return _from_disk([(path, display_path(path), named) for path, named in found])
    named: list[str] = []
    folders: list[str] = []
    for target in targets:
        repo_path = repo.repo_path(target)
        if repo_path is None:
            raise GitError(f"{target} is outside the git work tree {repo.root}")
        is_folder = repo_path == "" or (repo.cwd / target).is_dir()
        (folders if is_folder else named).append(repo_path)
    listed = snapshot.files([*named, *folders])
    selection = _from_index(snapshot, kept(candidates(listed, explicit=named)))
    selection.skipped = [repo.display(p) for p in named if p not in listed]
    return selection


def _from_index(snapshot: Snapshot, files: list[str]) -> Selection:
    snapshot.preload(files)
    items: list[Document | Finding] = []
    explicit: dict[str, bool] = {}
    for path in files:
        loaded = snapshot.load(path, explicit=False)
        explicit[snapshot.repo.display(path)] = False
        if loaded is not None:
            items.append(loaded)
    return Selection(items, explicit, snapshot.opener(), content=snapshot.content)


def _from_disk(files: list[tuple[Path, str, bool]]) -> Selection:
    items: list[Document | Finding] = []
    explicit: dict[str, bool] = {}
    for path, display, named in files:
        loaded = load(path, display, explicit=named)
        explicit[display] = named
        if loaded is not None:
            items.append(loaded)
    return Selection(items, explicit, open_reference)


def _under(path: str, folder: str) -> bool:
    return not folder or path == folder or path.startswith(folder.rstrip("/") + "/")


def candidates(files: Iterable[str], explicit: Iterable[str] = ()) -> list[str]:
    """Files worth loading, as a folder walk picks them on disk (our extensions, no hidden
    or dependency folders); files named one by one are always kept."""
    files = list(files)
    named = set(explicit)
    venvs = {str(PurePosixPath(p).parent) for p in files if PurePosixPath(p).name == "pyvenv.cfg"}
    return sorted(p for p in files if p in named or _walkable(p, venvs))


def _walkable(path: str, venvs: set[str]) -> bool:
    pure = PurePosixPath(path)
    if any(skipped_folder_name(p) for p in pure.parts[:-1]):
        return False
    if any(str(parent) in venvs for parent in pure.parents):
        return False
    return walked_file_name(pure.name)
