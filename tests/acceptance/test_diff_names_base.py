"""`procgate check --diff BASE` says in the report what it compared with: BASE and the merge
base commit, in the text and Markdown summaries and in JSON's summary."""

from __future__ import annotations

from pathlib import Path

from cli_support import json_report
from git_helpers import CLEAN, DATE, ZTE_COMPONENT, commit, new_repo, request, sbom, write


def test_the_report_names_the_base(run_cli, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write(repo, "requests/router.yaml", request("../sboms/fw.cdx.json"))
    write(repo, "sboms/fw.cdx.json", sbom())
    write(repo, "requests/laptops.yaml", CLEAN)
    merge_base = commit(repo, "main")
    repo.git.checkout("-b", "feature")
    write(repo, "sboms/fw.cdx.json", sbom(ZTE_COMPONENT))
    commit(repo, "add a ZTE part")
    cwd = Path(repo.working_tree_dir)
    against = f"main at {merge_base[:12]}"

    text = run_cli("check", "--diff", "main", "--date", DATE, cwd=cwd)
    assert text.exit_code in (0, 1), text.output
    assert f"checked (only findings new against {against}): " in text.stdout.splitlines()[-1]
    markdown = run_cli("check", "--diff", "main", "--date", DATE, "--format", "markdown", cwd=cwd)
    assert f"(only findings new against {against})" in markdown.stdout
    report = json_report(
        run_cli("check", "--diff", "main", "--date", DATE, "--format", "json", cwd=cwd)
    )
    assert report["summary"]["new_against"] == against
    by_sha = json_report(
        run_cli("check", "--diff", merge_base, "--date", DATE, "--format", "json", cwd=cwd)
    )
    assert by_sha["summary"]["new_against"] == merge_base
    # Without --diff the summary is what it always was.
    plain = json_report(run_cli("check", "--date", DATE, "--format", "json", ".", cwd=cwd))
    assert "new_against" not in plain["summary"]
    # Nothing changed against BASE: still named.
    nothing = run_cli("check", "--diff", "HEAD", "--date", DATE, cwd=cwd)
    assert nothing.exit_code == 0
    assert "new against HEAD at " in nothing.stdout
