"""The `procgate` hook under the real pre-commit framework: installed from this checkout into
throwaway repositories, run by real `git commit`s.

pre-commit builds the hook's environment by pip-installing this project from the package
registry's wheels (once per test session, ~15 s); nothing else leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import git
import pytest
from git_helpers import CLEAN, HUAWEI, ROOT, commit, new_repo, write

# What a pip install of procgate needs; copied rather than cloned, so that the test sees the
# checkout as it is (committed or not) and works where the checkout is not a git repo.
PROJECT_FILES = (
    "src",
    "policies",
    "schemas",
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(path, commit) of a git repository holding this checkout: what users point at."""
    dest = tmp_path_factory.mktemp("hook-repo")
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src,
                dest / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
            )
        else:
            shutil.copy2(src, dest / name)
    repo = new_repo(dest)
    repo.git.add("-A")
    return dest, commit(repo, "procgate")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache of hook environments, shared by this session's tests only."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    return {**env, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}


def git_commit(repo: git.Repo, home: Path) -> tuple[int, str]:
    """A person's `git commit`: git runs the hook pre-commit installed."""
    proc = subprocess.run(
        ["git", "commit", "-m", "change"],
        cwd=repo.working_tree_dir,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def user_repo(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> git.Repo:
    """A team's repository with procgate in .pre-commit-config.yaml, as the README shows."""
    path, rev = hook_repo
    repo = new_repo(tmp_path / "team")
    write(
        repo,
        ".pre-commit-config.yaml",
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: procgate\n",
    )
    commit(repo, "pre-commit config")
    proc = pre_commit(Path(repo.working_tree_dir), pre_commit_home, "install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo


def test_clean_commit_passes_and_huawei_is_blocked(user_repo, pre_commit_home) -> None:
    write(user_repo, "requests/laptops.yaml", CLEAN)
    status, out = git_commit(user_repo, pre_commit_home)
    assert status == 0, out
    assert "procgate" in out and "Passed" in out

    write(user_repo, "requests/switches.yaml", HUAWEI)
    status, out = git_commit(user_repo, pre_commit_home)
    assert status == 1, out
    assert "Failed" in out
    assert "requests/switches.yaml" in out and "16:7" in out  # file and line:column
    assert "ndaa-fy2019-889" in out and "fcc-covered-list" in out  # the authorities
    assert "what to do:" in out


def test_staged_fix_with_bad_working_copy_passes_and_the_reverse_is_blocked(
    user_repo, pre_commit_home
) -> None:
    write(user_repo, "requests/switches.yaml", CLEAN)
    write(user_repo, "requests/switches.yaml", HUAWEI, stage=False)
    status, out = git_commit(user_repo, pre_commit_home)
    assert status == 0, out
    assert (Path(user_repo.working_tree_dir) / "requests/switches.yaml").read_text(
        encoding="utf-8"
    ) == HUAWEI  # pre-commit put the unstaged copy back

    write(user_repo, "requests/switches.yaml", HUAWEI)
    write(user_repo, "requests/switches.yaml", CLEAN, stage=False)
    status, out = git_commit(user_repo, pre_commit_home)
    assert status == 1, out
    assert "requests/switches.yaml" in out


def test_other_files_and_odd_names_pass_through(user_repo, pre_commit_home) -> None:
    write(user_repo, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
    write(user_repo, "config/app settings ü.json", '{"debug": false}')
    write(user_repo, "requests/achats réseau 数据.yaml", CLEAN)
    write(user_repo, "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    status, out = git_commit(user_repo, pre_commit_home)
    assert status == 0, out


def test_run_all_files_checks_what_is_already_committed(user_repo, pre_commit_home) -> None:
    write(user_repo, "requests/switches.yaml", HUAWEI)
    commit(user_repo, "committed with --no-verify")
    proc = pre_commit(Path(user_repo.working_tree_dir), pre_commit_home, "run", "--all-files")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "requests/switches.yaml" in proc.stdout


def test_try_repo(tmp_path: Path, hook_repo: tuple[Path, str]) -> None:
    # `pre-commit try-repo` builds a fresh environment in a temporary store of its own.
    path, _ = hook_repo
    repo = new_repo(tmp_path / "trial")
    write(repo, "switches.yaml", HUAWEI)
    write(repo, "laptops.yaml", CLEAN)
    cwd = Path(repo.working_tree_dir)
    home = tmp_path / "home"
    # One run (each builds its environment anew, ~10 s): both files, one of them banned.
    proc = pre_commit(
        cwd, home, "try-repo", str(path), "procgate", "--files", "switches.yaml", "laptops.yaml"
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "switches.yaml" in proc.stdout and "16:7" in proc.stdout
    assert "laptops.yaml" not in proc.stdout.split("Failed", 1)[1]
    assert "2 files checked: 1 deny" in proc.stdout
