"""`procgate check --staged`: the index is checked, not the working tree, in real git repos."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_support import json_report
from git_helpers import (
    CLEAN,
    DATE,
    HUAWEI,
    ZTE_COMPONENT,
    commit,
    new_repo,
    request,
    sbom,
    write,
)

from procgate.diff.select import candidates
from procgate.load.discover import discover


@pytest.fixture
def repo(tmp_path: Path):
    repo = new_repo(tmp_path / "repo")
    write(repo, "requests/laptops.yaml", CLEAN)
    commit(repo, "a clean request")
    return repo


def check(run_cli, repo, *args: str, cwd: Path | None = None):
    return run_cli(
        "check", "--staged", "--date", DATE, *args, cwd=cwd or Path(repo.working_tree_dir)
    )


def test_nothing_staged_passes(run_cli, repo) -> None:
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 0
    assert json_report(result)["summary"]["files"] == 0


def test_clean_staged_request_passes(run_cli, repo) -> None:
    write(repo, "requests/more-laptops.yaml", CLEAN.replace("PR-2026-0001", "PR-2026-0009"))
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json_report(result)["summary"] == {
        "files": 1,
        "deny": 0,
        "warn": 0,
        "waived": 0,
        "passed": True,
    }


def test_staged_huawei_request_is_blocked_with_file_line_and_authority(run_cli, repo) -> None:
    write(repo, "requests/switches.yaml", HUAWEI)
    result = check(run_cli, repo)
    assert result.exit_code == 1
    assert "requests/switches.yaml" in result.stdout
    assert "16:7" in result.stdout  # line:column of manufacturer.name
    assert "ndaa-fy2019-889" in result.stdout
    [finding] = json_report(check(run_cli, repo, "--format", "json"))["findings"]
    assert (finding["file"], finding["line"]) == ("requests/switches.yaml", 16)
    assert finding["entity"] == "huawei"


def test_staged_fix_passes_although_the_working_tree_is_bad(run_cli, repo) -> None:
    write(repo, "requests/switches.yaml", CLEAN)
    write(repo, "requests/switches.yaml", HUAWEI, stage=False)
    assert check(run_cli, repo).exit_code == 0


def test_unstaged_fix_does_not_pass(run_cli, repo) -> None:
    write(repo, "requests/switches.yaml", HUAWEI)
    write(repo, "requests/switches.yaml", CLEAN, stage=False)
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 1
    assert [f["entity"] for f in json_report(result)["findings"]] == ["huawei"]


def test_named_files_are_read_from_the_index(run_cli, repo) -> None:
    # pre-commit passes file names; their staged content is what counts.
    write(repo, "requests/switches.yaml", HUAWEI)
    write(repo, "requests/switches.yaml", CLEAN, stage=False)
    assert check(run_cli, repo, "requests/switches.yaml").exit_code == 1
    assert check(run_cli, repo, "requests/laptops.yaml").exit_code == 0
    assert check(run_cli, repo, "requests").exit_code == 1  # a folder: its indexed files


def test_referenced_sbom_comes_from_the_index(run_cli, repo) -> None:
    write(repo, "requests/router.yaml", request("../sboms/router.cdx.json"))
    write(repo, "sboms/router.cdx.json", sbom(drop="lte-modem"))  # clean, staged
    write(repo, "sboms/router.cdx.json", sbom(), stage=False)  # banned, not staged
    result = check(run_cli, repo, "--format", "json", "requests/router.yaml")
    assert result.exit_code == 0, result.stdout
    assert json_report(result)["summary"]["files"] == 2

    write(repo, "sboms/router.cdx.json", sbom())  # now the banned one is staged
    write(repo, "sboms/router.cdx.json", sbom(drop="lte-modem"), stage=False)
    result = check(run_cli, repo, "--format", "json", "requests/router.yaml")
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert finding["file"] == "sboms/router.cdx.json" and finding["entity"] == "huawei"


def test_referenced_sbom_that_is_not_staged_is_a_finding(run_cli, repo) -> None:
    write(repo, "requests/router.yaml", request("../sboms/router.cdx.json"))
    write(repo, "sboms/router.cdx.json", sbom(drop="lte-modem"), stage=False)  # untracked
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 1
    [finding] = json_report(result)["findings"]
    assert finding["rule"] == "parse.missing-file"
    assert finding["file"] == "requests/router.yaml" and finding["line"] > 0
    assert "not in the index" in finding["message"]


def test_names_with_spaces_and_unicode(run_cli, repo) -> None:
    name = "requests/équipe réseau/commutateurs Huawei ü 数据.yaml"
    write(repo, name, HUAWEI)
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 1
    assert json_report(result)["findings"][0]["file"] == name
    assert check(run_cli, repo, name).exit_code == 1  # named, as pre-commit passes it


def test_names_that_look_like_patterns_are_taken_literally(run_cli, repo) -> None:
    write(repo, "requests/[draft] *.yaml", HUAWEI)
    write(repo, "requests/[draft] x.yaml", CLEAN)
    result = check(run_cli, repo, "--format", "json", "requests/[draft] x.yaml")
    assert result.exit_code == 0, result.output
    assert json_report(result)["summary"]["files"] == 1
    result = check(run_cli, repo, "--format", "json", "requests/[draft] *.yaml")
    assert [f["file"] for f in json_report(result)["findings"]] == ["requests/[draft] *.yaml"]


def test_from_a_subfolder_paths_are_relative_to_it(run_cli, repo) -> None:
    write(repo, "requests/switches.yaml", HUAWEI)
    sub = Path(repo.working_tree_dir) / "requests"
    result = check(run_cli, repo, "--format", "json", cwd=sub)
    assert result.exit_code == 1
    assert json_report(result)["findings"][0]["file"] == "switches.yaml"
    assert check(run_cli, repo, "switches.yaml", cwd=sub).exit_code == 1


def test_other_yaml_and_json_files_are_passed_over(run_cli, repo) -> None:
    # A hook is handed every YAML/JSON file of a commit: CI configs are not findings.
    write(repo, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
    write(repo, "docker-compose.yaml", "services:\n  web:\n    image: nginx\n")
    write(repo, "package.json", '{"name": "x", "version": "1.0.0"}')
    result = check(
        run_cli,
        repo,
        "--format",
        "json",
        "docker-compose.yaml",
        "package.json",
        ".github/workflows/ci.yml",
    )
    assert result.exit_code == 0, result.output
    assert json_report(result)["summary"]["files"] == 0


def test_binary_files_staged_never_crash(run_cli, repo) -> None:
    write(repo, "logo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(repo, "firmware.json", b"\x00\x01\x02\xff\xfe binary \x00" * 50)
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 0, result.output
    result = check(run_cli, repo, "--format", "json", "firmware.json", "logo.png")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_unreadable_request_is_a_finding(run_cli, repo) -> None:
    write(
        repo,
        "requests/broken.yaml",
        b"apiVersion: procgate/v1\nkind: PurchaseRequest\nid: [unclosed\n\xff\xfe\n",
    )
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 1
    assert json_report(result)["findings"][0]["rule"].startswith("parse.")


def test_not_a_git_repository(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", "--staged", cwd=tmp_path)
    assert result.exit_code == 2
    assert "not a git repository" in result.stderr
    assert "Traceback" not in result.output


def test_path_outside_the_work_tree(run_cli, repo, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(CLEAN, encoding="utf-8")
    result = check(run_cli, repo, str(outside))
    assert result.exit_code == 2
    assert "outside the git work tree" in result.stderr


def test_named_file_that_is_not_staged_is_reported_as_not_checked(run_cli, repo) -> None:
    write(repo, "requests/draft.yaml", HUAWEI, stage=False)
    result = check(run_cli, repo, "requests/draft.yaml")
    assert result.exit_code == 0
    assert "requests/draft.yaml is not staged" in result.stderr


def test_before_the_first_commit(run_cli, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "fresh")
    write(repo, "switches.yaml", HUAWEI)
    assert check(run_cli, repo).exit_code == 1


def test_detached_head(run_cli, repo) -> None:
    repo.git.checkout("--detach", "HEAD")
    write(repo, "requests/switches.yaml", HUAWEI)
    assert check(run_cli, repo).exit_code == 1


def test_deleting_a_banned_request_is_never_blocked(run_cli, repo) -> None:
    write(repo, "requests/switches.yaml", HUAWEI)
    commit(repo, "a banned request (before the hook)")
    repo.index.remove(["requests/switches.yaml"], working_tree=True)
    assert check(run_cli, repo).exit_code == 0


def test_hook_for_new_findings_only(run_cli, repo) -> None:
    # `--staged --diff HEAD` (a hook's `args`): a commit is stopped only by what it adds, so
    # removing one of two banned components from an SBOM is not blocked by the other.
    second = {
        "type": "firmware",
        "bom-ref": "hw2",
        "name": "hisilicon-sdk",
        "version": "1",
        "supplier": {"name": "Huawei Technologies Co., Ltd."},
    }
    write(repo, "sboms/router.cdx.json", sbom(second))
    commit(repo, "two banned components (before the hook)")
    write(repo, "sboms/router.cdx.json", sbom())  # removes one of them
    assert check(run_cli, repo).exit_code == 1  # the file still names Huawei
    result = check(run_cli, repo, "--diff", "HEAD", "sboms/router.cdx.json")
    assert result.exit_code == 0, result.output
    write(repo, "sboms/router.cdx.json", sbom(second, ZTE_COMPONENT))
    result = check(run_cli, repo, "--format", "json", "--diff", "HEAD")
    assert [f["entity"] for f in json_report(result)["findings"]] == ["zte"]


def test_hook_for_new_findings_only_on_the_first_commit(run_cli, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "fresh")
    write(repo, "switches.yaml", HUAWEI)
    assert check(run_cli, repo, "--diff", "HEAD").exit_code == 1
    assert check(run_cli, repo, "--diff", "HEAD", "switches.yaml").exit_code == 1


def test_staged_symlink_is_passed_over(run_cli, repo) -> None:
    link = Path(repo.working_tree_dir) / "requests" / "link.yaml"
    link.symlink_to("laptops.yaml")
    repo.git.add("requests/link.yaml")
    result = check(run_cli, repo, "--format", "json")
    assert result.exit_code == 0 and json_report(result)["summary"]["files"] == 0


def test_config_exclude_leaves_fixtures_out(run_cli, repo) -> None:
    # Test fixtures that name banned vendors on purpose: `exclude:` in procgate.yaml.
    write(repo, "procgate.yaml", "exclude: [tests/fixtures, '**/*.banned.yaml']\n")
    write(repo, "tests/fixtures/huawei.yaml", HUAWEI)
    write(repo, "requests/demo.banned.yaml", HUAWEI)
    root = Path(repo.working_tree_dir)
    assert check(run_cli, repo).exit_code == 0
    assert check(run_cli, repo, "tests/fixtures/huawei.yaml").exit_code == 0  # as pre-commit
    assert check(run_cli, repo, "--diff", "HEAD").exit_code == 0
    plain = run_cli("check", "--date", DATE, "--format", "json", ".", cwd=root)
    assert plain.exit_code == 0 and json_report(plain)["summary"]["files"] == 1
    write(repo, "requests/switches.yaml", HUAWEI)
    assert check(run_cli, repo).exit_code == 1


def test_staged_walk_skips_what_a_folder_walk_skips(tmp_path: Path) -> None:
    # diff/select.py applies discover's walk rules to the index (which is not a folder):
    # the same files must come out of both.
    files = [
        "a.yaml",
        "b.JSON",
        "c.cdx",
        "d.txt",
        ".hidden.yaml",
        ".github/x.yml",
        "node_modules/p/sbom.json",
        "venv/lib/x.json",
        "env1/pyvenv.cfg",
        "env1/lib/y.json",
        "deep/er/sbom.spdx",
        "__pycache__/z.json",
        "docs/site-packages/q.yaml",
    ]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    on_disk = {Path(os.path.relpath(p, tmp_path)).as_posix() for p, _ in discover([tmp_path])}
    assert set(candidates(files)) == on_disk
