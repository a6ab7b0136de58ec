""".pre-commit-hooks.yaml itself: valid for pre-commit, and its patterns pick our files."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from git_helpers import ROOT
from pre_commit.clientlib import load_config, load_manifest
from pre_commit.commands.run import Classifier, filter_by_include_exclude

from procgate.cli import main
from procgate.load.discover import EXTENSIONS

HOOKS = {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}


def test_hook_ids() -> None:
    assert set(HOOKS) == {"procgate", "procgate-policies"}


def test_procgate_hook_checks_staged_content_of_the_files_it_is_given() -> None:
    hook = HOOKS["procgate"]
    assert hook["entry"] == "procgate check --staged"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["require_serial"] is True  # ban lists and policies loaded once per run


@pytest.mark.parametrize("hook", ["procgate", "procgate-policies"])
def test_hook_entries_are_procgate_commands(hook: str) -> None:
    argv = shlex.split(HOOKS[hook]["entry"])
    assert argv[0] == "procgate"
    result = CliRunner().invoke(main, [*argv[1:], "--help"])
    assert result.exit_code == 0, result.output


FILES = re.compile(HOOKS["procgate"]["files"])


@pytest.mark.parametrize("extension", sorted(EXTENSIONS))
def test_files_pattern_covers_every_extension_a_folder_walk_reads(extension: str) -> None:
    assert FILES.search(f"dir/file{extension}")
    assert FILES.search(f"dir/FILE{extension.upper()}")


def test_files_pattern_matches_the_shipped_examples_and_nothing_else() -> None:
    for path in [
        *(ROOT / "examples").rglob("*.*"),
        *(ROOT / "tests/data/purchase-requests").rglob("*.*"),
    ]:
        assert FILES.search(path.relative_to(ROOT).as_posix()), path
    for name in (
        "src/procgate/cli/check.py",
        "README.md",
        "logo.png",
        "notes.txt",
        "Dockerfile",
        "yaml/README",
    ):
        assert not FILES.search(name), name


def test_policies_hook_runs_the_policy_tests_without_file_names() -> None:
    hook = HOOKS["procgate-policies"]
    assert hook["entry"] == "procgate test"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in (
        "policies/bans.rego",
        "policies/data/entities.yaml",
        "org/policy/x_test.rego",
        "procgate.yaml",
        "compliance/ban-lists/extra.yaml",
    ):
        assert files.search(name), name
    for name in ("requests/pr-1.yaml", "src/app.py", "sboms/x.cdx.json"):
        assert not files.search(name), name


def test_readme_style_config_names_existing_hooks() -> None:
    # The ids a user's .pre-commit-config.yaml names must stay stable.
    config = Path(ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: procgate\n" in config and "- id: procgate-policies\n" in config


def _files_the_hook_runs_on(hook_id: str, names: list[str]) -> set[str]:
    """pre-commit's own selection (files/exclude regexes, then types) for a hook."""
    hook = HOOKS[hook_id]
    classifier = Classifier(names)
    return set(
        classifier.by_types(
            filter_by_include_exclude(classifier.filenames, hook["files"], hook["exclude"]),
            hook["types"],
            hook["types_or"],
            hook["exclude_types"],
        )
    )


def test_policies_hook_runs_for_every_policy_and_list_procgate_init_lays_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path), "--org", "Acme Retail"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path)
    laid_out = sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()
    )
    assert "bans/acme-retail.yaml" in laid_out
    runs_on = _files_the_hook_runs_on("procgate-policies", laid_out)
    wanted = {n for n in laid_out if n.startswith(("bans/", "policies/")) or n == "procgate.yaml"}
    assert runs_on == wanted, laid_out
    # and the init's own config (hooks from the installed procgate) selects the same files
    local = {
        h["id"]: h
        for h in load_config(str(tmp_path / ".pre-commit-config.yaml"))["repos"][0]["hooks"]
    }
    for hook_id, hook in local.items():
        assert hook["files"] == HOOKS[hook_id]["files"], hook_id
