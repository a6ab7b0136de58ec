"""action.yml: well-formed, its steps use only inputs that exist, and its scripts really run
(with bash, as the runner runs them) in a throwaway pull-request repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from git_helpers import DATE, ROOT, ZTE_COMPONENT, commit, new_repo, request, sbom, write

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
TEXT = (ROOT / "action.yml").read_text(encoding="utf-8")
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def step(name: str) -> dict[str, Any]:
    [found] = [s for s in STEPS if s.get("name") == name]
    return found


def test_metadata() -> None:
    assert ACTION["name"] == "procgate"
    assert ACTION["description"]
    assert ACTION["runs"]["using"] == "composite"
    for spec in ACTION["inputs"].values():
        assert spec["description"]
        assert isinstance(spec.get("default", ""), str)  # inputs are strings


def test_steps_reference_only_inputs_that_exist() -> None:
    used = set(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", TEXT))
    assert used, "no inputs referenced?"
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])
    # ...and every input is used by some step.
    assert set(ACTION["inputs"]) <= used, set(ACTION["inputs"]) - used


def test_steps_reference_only_step_outputs_that_exist() -> None:
    ids = {s["id"] for s in STEPS if "id" in s}
    for ref_id, output in re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", TEXT):
        assert ref_id in ids
        assert output in {"exit-code", "sarif-file"}
        assert f'echo "{output}=' in step("Run procgate")["run"]


def test_the_issue_s_inputs_are_there() -> None:
    assert {"paths", "config", "format", "fail-on", "diff-base", "sarif"} <= set(ACTION["inputs"])


def test_scripts_never_splice_expressions_into_shell() -> None:
    # ${{ }} inside `run:` is text substitution: an input could inject commands.
    for s in STEPS:
        if "run" in s:
            assert "${{" not in s["run"], s["name"]
            assert s["shell"] == "bash"


def test_sarif_is_uploaded_by_the_code_scanning_action() -> None:
    upload = step("Upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert "always()" in upload["if"]


# -- running the scripts --------------------------------------------------------------------


def run_step(name: str, cwd: Path, tmp: Path, **inputs: str) -> tuple[int, str, dict[str, str]]:
    """Run a `run:` step as the runner does: its env with inputs substituted, bash -eo pipefail.
    Returns (exit status, stdout+stderr, the step's outputs)."""
    values = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    values.update({k.replace("_", "-"): v for k, v in inputs.items()})
    values["diff-base"] = inputs.get("diff_base", "")  # no pull-request event here

    def substitute(text: str) -> str:
        return EXPRESSION.sub(lambda m: values[m.group(1).removeprefix("inputs.")], text)

    s = step(name)
    outputs = tmp / "github_output"
    outputs.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        **{k: substitute(v) for k, v in s.get("env", {}).items()},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(tmp / "step_summary.md"),
        "RUNNER_TEMP": str(tmp),
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    parsed = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if line)
    return proc.returncode, proc.stdout + proc.stderr, parsed


@pytest.fixture
def pull_request(tmp_path: Path):
    """main has a request whose SBOM has one banned component; the branch adds another."""
    repo = new_repo(tmp_path / "repo")
    write(repo, "requests/router.yaml", request("../sboms/router.cdx.json"))
    write(repo, "sboms/router.cdx.json", sbom())
    base = commit(repo, "main")
    repo.git.checkout("-b", "feature")
    write(repo, "sboms/router.cdx.json", sbom(ZTE_COMPONENT))
    commit(repo, "add a ZTE module")
    return repo, base


def test_pull_request_run_reports_the_new_finding_everywhere(pull_request, tmp_path) -> None:
    repo, base = pull_request
    cwd = Path(repo.working_tree_dir)
    status, out, outputs = run_step(
        "Run procgate",
        cwd,
        tmp_path,
        diff_base=base,
        sarif="true",
        args=f"--date {DATE}",
    )
    assert status == 0, out  # the step passes; the last step fails the job
    assert outputs["exit-code"] == "1"
    assert "::error file=sboms/router.cdx.json,line=" in out  # format: github (default)
    assert "1 finding already on" in out

    sarif = json.loads((cwd / outputs["sarif-file"]).read_text(encoding="utf-8"))
    [result] = sarif["runs"][0]["results"]
    assert result["properties"]["entity"] == "zte"

    summary = (tmp_path / "step_summary.md").read_text(encoding="utf-8")
    assert "procgate: failed" in summary and "zte" in summary

    env_code = {"EXIT_CODE": outputs["exit-code"]}
    proc = subprocess.run(
        ["bash", "-c", step("Fail on blocking findings")["run"]],
        env={**os.environ, **env_code},
        check=False,
    )
    assert proc.returncode == 1


def test_push_run_checks_the_whole_repository(pull_request, tmp_path) -> None:
    repo, _ = pull_request
    status, out, outputs = run_step(
        "Run procgate",
        Path(repo.working_tree_dir),
        tmp_path,
        format="text",
        args=f"--date {DATE}",
    )
    assert status == 0, out
    assert outputs["exit-code"] == "1"
    assert "2 files checked: 2 deny" in out  # both banned components: nothing to diff against


def test_paths_and_fail_on_inputs(pull_request, tmp_path) -> None:
    repo, base = pull_request
    _, out, outputs = run_step(
        "Run procgate",
        Path(repo.working_tree_dir),
        tmp_path,
        diff_base=base,
        paths="requests/router.yaml",
        fail_on="never",
        summary="false",
        args=f"--date {DATE}",
    )
    assert outputs["exit-code"] == "0", out
    assert not (tmp_path / "step_summary.md").exists()


def test_tool_error_fails_the_job_with_exit_2(pull_request, tmp_path) -> None:
    repo, _ = pull_request
    _, out, outputs = run_step(
        "Run procgate",
        Path(repo.working_tree_dir),
        tmp_path,
        diff_base="no-such-branch",
    )
    assert outputs["exit-code"] == "2", out
    assert "unknown git revision" in out
    proc = subprocess.run(
        ["bash", "-c", step("Fail on blocking findings")["run"]],
        env={**os.environ, "EXIT_CODE": "2"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "::error" in proc.stdout
