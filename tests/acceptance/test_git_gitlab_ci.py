"""ci/gitlab/procgate.gitlab-ci.yml: well-formed, and its script really runs (bash and POSIX
sh, as GitLab runners use either) in a throwaway merge-request repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from git_helpers import DATE, ROOT, ZTE_COMPONENT, commit, new_repo, request, sbom, write

TEMPLATE = yaml.safe_load(
    (ROOT / "ci" / "gitlab" / "procgate.gitlab-ci.yml").read_text(encoding="utf-8")
)
JOB: dict[str, Any] = TEMPLATE[".procgate"]
REPORT = "procgate-junit.xml"
SHELLS = [s for s in ("bash", "sh") if shutil.which(s)]


def test_template_shape() -> None:
    assert TEMPLATE["procgate"]["extends"] == ".procgate"
    assert JOB["artifacts"]["reports"]["junit"] == REPORT
    assert JOB["artifacts"]["when"] == "always"  # the report matters most when the job fails
    assert any(REPORT in line for line in JOB["script"])
    rules = TEMPLATE["procgate"]["rules"]
    assert any("merge_request_event" in r.get("if", "") for r in rules)


def run_job(shell: str, cwd: Path, **variables: str) -> tuple[int, str]:
    """The job's script as a runner runs it: variables in the environment, `set -e`."""
    env = {
        **os.environ,
        **{k: str(v) for k, v in JOB["variables"].items()},
        "PROCGATE_INSTALL": "true",  # procgate is installed here already
        "PROCGATE_ARGS": f"--date {DATE}",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **variables,
    }
    script = "\n".join(JOB["script"])
    proc = subprocess.run(
        [shell, "-e", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def merge_request(tmp_path: Path):
    repo = new_repo(tmp_path / "repo")
    write(repo, "requests/router.yaml", request("../sboms/router.cdx.json"))
    write(repo, "sboms/router.cdx.json", sbom())
    base = commit(repo, "main")
    repo.git.checkout("-b", "feature")
    write(repo, "sboms/router.cdx.json", sbom(ZTE_COMPONENT))
    commit(repo, "add a ZTE module")
    return Path(repo.working_tree_dir), base


@pytest.mark.parametrize("shell", SHELLS)
def test_merge_request_job_fails_on_the_new_finding_and_writes_junit(
    shell: str, merge_request
) -> None:
    cwd, base = merge_request
    status, out = run_job(shell, cwd, CI_MERGE_REQUEST_DIFF_BASE_SHA=base)
    assert status == 1, out
    assert "1 finding already on" in out
    suites = ET.parse(cwd / REPORT).getroot()
    [case] = suites.findall("./testsuite/testcase")
    assert case.get("name") == "sboms/router.cdx.json"
    failure = case.find("failure")
    assert failure is not None and "ZTE" in failure.get("message", "")


@pytest.mark.parametrize("shell", SHELLS)
def test_branch_job_checks_the_whole_repository(shell: str, merge_request) -> None:
    cwd, _ = merge_request
    status, out = run_job(shell, cwd)
    assert status == 1, out
    assert "2 files checked: 2 deny" in out
    assert len(ET.parse(cwd / REPORT).getroot().findall("./testsuite/testcase")) == 2


def test_paths_and_fail_on_variables(merge_request) -> None:
    cwd, base = merge_request
    status, out = run_job(
        "bash",
        cwd,
        CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
        PROCGATE_PATHS="requests/router.yaml",
        PROCGATE_FAIL_ON="never",
    )
    assert status == 0, out
    assert (cwd / REPORT).is_file()


def test_unknown_base_fails_with_a_message(merge_request) -> None:
    cwd, _ = merge_request
    status, out = run_job("bash", cwd, CI_MERGE_REQUEST_DIFF_BASE_SHA="0" * 40)
    assert status == 2, out
    assert "unknown git revision" in out
