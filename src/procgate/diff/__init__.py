"""diff: checking what git holds (`check --staged`, `check --diff BASE`).

    check_git(options, paths, ...)   files and content from git, only new findings for --diff
    select.py                        which files, and their content (Snapshot, Selection)
    new.py                           check_new: BASE's findings, moved files paired
    baseline.py                      what makes a finding on HEAD the same as one on BASE

Imports stay inside check_git: pipeline.py imports baseline.py on every check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from procgate.model import Verdict

if TYPE_CHECKING:
    from procgate.config import Options
    from procgate.pipeline import Checker

Content = Callable[[str], bytes | None]  # display path -> the bytes checked


def check_git(
    options: Options,
    paths: list[Path],
    *,
    staged: bool,
    base: str | None,
    build: Callable[[Options], Checker],
    note: Callable[[str], None],
) -> tuple[Verdict, Checker | None, Content | None]:
    """--staged / --diff: files and content from git. Ban lists and policies are loaded (with
    `build`) only when there is something to check, so a commit without our files costs
    almost nothing. Also returns where the checked bytes are (None: on disk), for the audit
    log. `note` tells the user what was left out."""
    from procgate.diff.new import check_new
    from procgate.diff.select import Snapshot, select
    from procgate.load.exclude import Exclude
    from procgate.load.git import GitRepo

    repo = GitRepo.open(Path.cwd())
    targets = paths or None
    within = list(options.paths)
    exclude = Exclude(options.exclude, options.base_dir)
    if base == "HEAD" and not repo.has_head():
        base = None  # the first commit (`--staged --diff HEAD` in a hook): all of it is new
    if base is None:
        selection = select(repo, targets, within, staged=staged or not paths, exclude=exclude)
        base_commit, base_path, deleted = None, {}, []
    else:
        base_commit = repo.merge_base(repo.resolve(base))
        changes = repo.changes(base_commit, staged=staged)
        selection = select(repo, targets, within, staged=staged, changes=changes, exclude=exclude)
        base_path = {
            repo.display(c.path): repo.display(c.old_path)
            for c in changes
            if c.path and c.old_path and c.path != c.old_path
        }
        deleted = [repo.display(c.old_path) for c in changes if c.status == "D"]
    for name in selection.skipped:
        note(f"{name} is not staged (not in the git index): not checked")
    against = ""  # the report names what only new findings were kept against
    if base is not None and base_commit is not None:
        against = base if base_commit.startswith(base) else f"{base} at {base_commit[:12]}"
    if not selection.items:
        return Verdict((), (), base=against), None, None

    checker = build(options)
    if base is None or base_commit is None:
        return checker.check(selection.items, selection.open_ref), checker, selection.content
    verdict, already = check_new(
        checker, selection, Snapshot(repo, base_commit), base_path, deleted
    )
    if already:
        noun = "finding" if already == 1 else "findings"
        note(f"{already} {noun} already on {base} ({base_commit[:12]}) not reported")
    return replace(verdict, base=against), checker, selection.content
