"""`procgate install-hook`: a native .git/hooks/pre-commit, exercised by real `git commit`s."""

from __future__ import annotations

import shlex
import stat
import sys
from pathlib import Path

import git
import pytest
from git_helpers import CLEAN, HUAWEI, new_repo, write

from procgate.cli.install_hook import MARKER, hook_script


@pytest.fixture
def repo(tmp_path: Path):
    return new_repo(tmp_path / "repo")


def hook_of(repo: git.Repo) -> Path:
    return Path(repo.git_dir) / "hooks" / "pre-commit"


def install(run_cli, repo: git.Repo, *args: str):
    return run_cli("install-hook", *args, cwd=Path(repo.working_tree_dir))


def git_commit(repo: git.Repo) -> tuple[int, str]:
    """A person's `git commit`, hooks and all: (exit status, what git printed)."""
    # The hook checks as of today: Huawei's bans date from 2019-2021, so that is stable.
    status, out, err = repo.git.execute(
        ["git", "commit", "-m", "change"],
        with_extended_output=True,
        with_exceptions=False,
    )
    return status, out + err


def test_installed_hook_blocks_a_banned_request_and_passes_a_clean_one(run_cli, repo) -> None:
    result = install(run_cli, repo)
    assert result.exit_code == 0, result.output
    hook = hook_of(repo)
    assert hook.stat().st_mode & stat.S_IXUSR
    assert MARKER in hook.read_text(encoding="utf-8")

    write(repo, "requests/laptops.yaml", CLEAN)
    status, out = git_commit(repo)
    assert status == 0, out

    write(repo, "requests/switches.yaml", HUAWEI)
    status, out = git_commit(repo)
    assert status == 1
    assert "requests/switches.yaml" in out and "16:7" in out and "ndaa-fy2019-889" in out

    # A fix that is not staged does not pass; staging it does.
    write(repo, "requests/switches.yaml", CLEAN, stage=False)
    assert git_commit(repo)[0] == 1
    repo.index.add(["requests/switches.yaml"])
    assert git_commit(repo)[0] == 0


def test_commit_all_checks_the_index_git_builds_for_the_commit(run_cli, repo) -> None:
    # `git commit -a` and `git commit PATH` hand the hook a temporary index (GIT_INDEX_FILE):
    # that is what gets committed, and what must be checked.
    install(run_cli, repo)
    write(repo, "requests/switches.yaml", CLEAN)
    assert git_commit(repo)[0] == 0
    write(repo, "requests/switches.yaml", HUAWEI, stage=False)
    status, out, err = repo.git.execute(
        ["git", "commit", "-a", "-m", "all"],
        with_extended_output=True,
        with_exceptions=False,
    )
    assert status == 1, out + err
    assert "requests/switches.yaml" in out + err
    status, out, err = repo.git.execute(
        ["git", "commit", "-m", "one", "--", "requests/switches.yaml"],
        with_extended_output=True,
        with_exceptions=False,
    )
    assert status == 1, out + err


def test_refuses_to_overwrite_a_foreign_hook_unless_forced(run_cli, repo) -> None:
    hook = hook_of(repo)
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho theirs\n", encoding="utf-8")
    result = install(run_cli, repo)
    assert result.exit_code == 2
    assert "not written by procgate" in result.stderr and "--force" in result.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho theirs\n"

    result = install(run_cli, repo, "--force")
    assert result.exit_code == 0
    assert MARKER in hook.read_text(encoding="utf-8")
    backup = hook.with_name("pre-commit.procgate-backup")
    assert backup.read_text(encoding="utf-8") == "#!/bin/sh\necho theirs\n"

    # Installing again over our own hook needs no --force.
    assert install(run_cli, repo).exit_code == 0

    result = install(run_cli, repo, "--uninstall")
    assert result.exit_code == 0
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho theirs\n"
    assert not backup.exists()
    # The hook left is not ours: uninstall leaves it alone.
    assert install(run_cli, repo, "--uninstall").exit_code == 2


def test_uninstall_without_a_hook(run_cli, repo) -> None:
    result = install(run_cli, repo, "--uninstall")
    assert result.exit_code == 0 and "nothing to remove" in result.output


def test_extra_arguments_and_core_hooks_path(run_cli, repo) -> None:
    with repo.config_writer() as config:
        config.set_value("core", "hooksPath", ".githooks")
    result = install(run_cli, repo, "--args", "--fail-on warn")
    assert result.exit_code == 0, result.output
    hook = Path(repo.working_tree_dir) / ".githooks" / "pre-commit"
    assert "check --staged --fail-on warn" in hook.read_text(encoding="utf-8")
    assert install(run_cli, repo, "--args", "'unclosed").exit_code == 2


def test_not_a_git_repository(run_cli, tmp_path: Path) -> None:
    result = run_cli("install-hook", cwd=tmp_path)
    assert result.exit_code == 2 and "not a git repository" in result.stderr


def test_hook_script_quotes_the_interpreter_path() -> None:
    script = hook_script("/opt/my tools/python", ["--data", "a b.yaml"])
    assert "PROCGATE_PYTHON='/opt/my tools/python'" in script
    assert "check --staged --data 'a b.yaml'" in script
    assert script.startswith("#!/bin/sh\n")


def test_installed_hook_runs_the_installing_interpreter(run_cli, repo) -> None:
    install(run_cli, repo)
    script = hook_of(repo).read_text(encoding="utf-8")
    assert f"PROCGATE_PYTHON={shlex.quote(sys.executable)}" in script
