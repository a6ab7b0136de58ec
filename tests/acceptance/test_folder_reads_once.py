"""A folder check reads each file as often as it needs to, and names files one way.

- A referenced SBOM is parsed once: by the request that names it, not also where the walk
  meets it (issue 18). Counted with Python's audit hook on `open`, in a child process.
- `check --diff` names walked files as a plain check does (one display_path): a symbolic
  link loop in a walked folder used to be an internal error there (exit 2) and a
  parse.error finding in a plain check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cli_support import EXAMPLES, json_report
from git_helpers import commit, new_repo, write

COUNT_OPENS = """
import os, sys
from click.testing import CliRunner
from procgate.cli import main
target = os.path.realpath(sys.argv[1])
opens = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        if os.path.realpath(os.fsdecode(args[0])) == target:
            opens.append(1)
sys.addaudithook(hook)
result = CliRunner().invoke(main, ["check", "--format", "json", "--date", "2026-11-28", "."])
print(len(opens))
print(result.output)
"""


def test_a_referenced_sbom_is_parsed_once(tmp_path: Path) -> None:
    (tmp_path / "requests").mkdir()
    (tmp_path / "sboms").mkdir()
    router = EXAMPLES / "sboms" / "branch-router-firmware.cdx.json"
    (tmp_path / "sboms" / "router.cdx.json").write_bytes(router.read_bytes())
    request = (EXAMPLES / "purchase-requests" / "branch-router.yaml").read_text()
    ref = next(line for line in request.splitlines() if "sbom:" in line).split("sbom:")[1]
    request = request.replace(ref, " ../sboms/router.cdx.json")
    (tmp_path / "requests" / "router.yaml").write_text(request)
    out = subprocess.run(
        [sys.executable, "-c", COUNT_OPENS, "sboms/router.cdx.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    opens, report = out.stdout.split("\n", 1)
    findings = json.loads(report)["findings"]
    assert any(f["file"] == "sboms/router.cdx.json" and f["entity"] for f in findings)
    # Once for its first bytes (is it a request?), once to load it: before, it was read in
    # full three times and parsed twice.
    assert int(opens) == 2


def test_diff_names_a_symlink_loop_as_a_plain_check_does(run_cli, tmp_path: Path) -> None:
    repo = new_repo(tmp_path)
    write(
        repo, "reqs/clean.yaml", (EXAMPLES / "purchase-requests" / "laptops-clean.yaml").read_text()
    )
    commit(repo)
    (tmp_path / "reqs" / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "reqs" / "b.yaml").symlink_to("a.yaml")
    plain = run_cli("check", "--format", "json", "--date", "2026-11-28", "reqs", cwd=tmp_path)
    diff = run_cli(
        "check", "--format", "json", "--date", "2026-11-28", "--diff", "HEAD", "reqs", cwd=tmp_path
    )
    assert plain.exit_code == diff.exit_code == 1, diff.output
    shown = sorted((f["file"], f["rule"]) for f in json_report(plain)["findings"])
    assert shown == [("reqs/a.yaml", "parse.error"), ("reqs/b.yaml", "parse.error")]
    assert sorted((f["file"], f["rule"]) for f in json_report(diff)["findings"]) == shown
