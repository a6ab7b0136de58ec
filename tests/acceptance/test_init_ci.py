"""`procgate init --ci pre-commit|github|gitlab`: the ready file for the repository at hand,
pinned by commit; each file read by what will read it (pre-commit's own config loader, a
YAML parser), and every name in it checked against this repository (hook ids, action
inputs, the GitLab template's path)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import git
import yaml
from cli_support import ROOT
from click.testing import Result
from pre_commit.clientlib import load_config, load_manifest

HOOK_IDS = {h["id"] for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
ACTION_INPUTS = set(yaml.safe_load((ROOT / "action.yml").read_text())["inputs"])
SHA = "0123456789abcdef0123456789abcdef01234567"
Run = Callable[..., Result]


def _repo(tmp_path: Path, branch: str = "trunk") -> Path:
    git.Repo.init(tmp_path / "team", initial_branch=branch)
    return tmp_path / "team"


def test_pre_commit_file_pins_this_procgate_by_commit(run_cli: Run, tmp_path: Path) -> None:
    team = _repo(tmp_path)
    result = run_cli("init", "--ci", "pre-commit", team)
    assert result.exit_code == 0, result.output
    assert "created     .pre-commit-config.yaml" in result.output
    config = load_config(str(team / ".pre-commit-config.yaml"))  # pre-commit's own reader
    [repo] = config["repos"]
    # This test runs from an editable install of a git checkout: pinned to its HEAD.
    assert re.fullmatch(r"[0-9a-f]{40}", repo["rev"])
    assert {h["id"] for h in repo["hooks"]} == HOOK_IDS


def test_github_and_gitlab_files_for_a_hosted_procgate(run_cli: Run, tmp_path: Path) -> None:
    team = _repo(tmp_path)
    result = run_cli(
        "init",
        "--ci",
        "github",
        "--ci",
        "gitlab",
        "--ci",
        "pre-commit",
        team,
        "--procgate-repo",
        "https://github.com/acme/procgate",
        "--procgate-rev",
        SHA,
    )
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((team / ".github/workflows/procgate.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["trunk"]  # YAML 1.1 reads `on` as True
    steps = workflow["jobs"]["procgate"]["steps"]
    assert steps[0]["uses"] == "actions/checkout@v4"
    assert steps[1]["uses"] == f"acme/procgate@{SHA}"
    assert set(steps[1]["with"]) <= ACTION_INPUTS
    gitlab = yaml.safe_load((team / ".gitlab-ci.yml").read_text())
    [include] = gitlab["include"]
    prefix = f"https://raw.githubusercontent.com/acme/procgate/{SHA}/"
    assert include["remote"].startswith(prefix)
    assert (ROOT / include["remote"].removeprefix(prefix)).is_file()  # the path exists here
    assert gitlab["variables"]["PROCGATE_INSTALL"] == (
        f"pip install --quiet git+https://github.com/acme/procgate@{SHA}"
    )
    config = load_config(str(team / ".pre-commit-config.yaml"))
    assert config["repos"][0]["repo"] == "https://github.com/acme/procgate"
    assert config["repos"][0]["rev"] == SHA


def test_a_procgate_not_on_github_is_installed_by_pip_in_the_workflow(
    run_cli: Run, tmp_path: Path
) -> None:
    team = _repo(tmp_path, "main")
    result = run_cli(
        "init",
        "--ci",
        "github",
        team,
        "--procgate-repo",
        "https://git.example.org/tools/procgate.git",
        "--procgate-rev",
        SHA,
    )
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((team / ".github/workflows/procgate.yml").read_text())
    runs = [s.get("run", "") for s in workflow["jobs"]["procgate"]["steps"]]
    assert f'"git+https://git.example.org/tools/procgate.git@{SHA}"' in runs[2]
    assert 'procgate check --format github --diff "$BASE"' in runs[3]
    assert workflow[True]["push"]["branches"] == ["main"]


def test_a_tag_or_short_rev_is_refused_and_files_are_kept(run_cli: Run, tmp_path: Path) -> None:
    team = _repo(tmp_path)
    bad = run_cli("init", "--ci", "github", team, "--procgate-rev", "v0.1.0")
    assert bad.exit_code == 2 and "full commit hash" in bad.output
    assert not (team / ".github").exists()
    (team / ".gitlab-ci.yml").write_text("mine\n")
    kept = run_cli(
        "init",
        "--ci",
        "gitlab",
        team,
        "--procgate-repo",
        "https://gitlab.com/acme/procgate",
        "--procgate-rev",
        SHA,
    )
    assert kept.exit_code == 0 and "kept" in kept.output
    assert (team / ".gitlab-ci.yml").read_text() == "mine\n"
    run_cli(
        "init",
        "--ci",
        "gitlab",
        team,
        "--force",
        "--procgate-repo",
        "https://gitlab.com/acme/procgate",
        "--procgate-rev",
        SHA,
    )
    included = yaml.safe_load((team / ".gitlab-ci.yml").read_text())["include"][0]["remote"]
    assert included == (
        f"https://gitlab.com/acme/procgate/-/raw/{SHA}/ci/gitlab/procgate.gitlab-ci.yml"
    )


def test_every_yaml_snippet_in_the_readme_parses_and_the_pre_commit_one_loads(
    tmp_path: Path,
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    assert len(blocks) >= 4
    for block in blocks:
        yaml.safe_load(block)
    [pre_commit] = [b for b in blocks if b.startswith("# .pre-commit-config.yaml")]
    (tmp_path / "config.yaml").write_text(pre_commit)
    [repo] = load_config(str(tmp_path / "config.yaml"))["repos"]
    assert {h["id"] for h in repo["hooks"]} <= HOOK_IDS


def test_a_repository_url_cannot_inject_yaml_or_shell(run_cli: Run, tmp_path: Path) -> None:
    team = _repo(tmp_path)
    for url in (
        'https://github.com/a/b"\n  evil: true',
        "https://x.org/$(touch pwned)",
        "https://github.com/a/b c",
    ):
        result = run_cli(
            "init",
            "--ci",
            "github",
            "--ci",
            "gitlab",
            team,
            "--procgate-repo",
            url,
            "--procgate-rev",
            SHA,
        )
        assert result.exit_code == 2, (url, result.output)
        assert "cannot hold" in result.output
    assert not (team / ".github").exists() and not (team / ".gitlab-ci.yml").exists()


def test_a_procgate_from_a_local_checkout_is_not_pip_installed_by_name(
    run_cli: Run, tmp_path: Path
) -> None:
    # Issue 13 item 14: a clone without a hosted `origin` (a folder path) cannot be reached
    # from a CI runner. The workflow used to `pip install "procgate==0.1.0"` from the package
    # index, where procgate is not published (or anyone could publish that name). Refuse,
    # as --ci gitlab does, and say how to name the repository.
    team = _repo(tmp_path)
    result = run_cli(
        "init",
        "--ci",
        "github",
        team,
        "--procgate-repo",
        "/srv/src/procgate",
        "--procgate-rev",
        SHA,
    )
    assert result.exit_code == 2, result.output
    assert "a CI runner cannot install procgate from '/srv/src/procgate'" in result.output
    assert "--procgate-repo https://" in result.output
    assert not (team / ".github").exists()
