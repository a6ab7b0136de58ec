"""Every file is checked, whatever references what (issue 10, item 1): a request that names
itself or another request as its `sbom:`, reference cycles and chains, references that leave
the repository, and files that are not regular files. Real files, real git repositories, the
real server on loopback."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import httpx
import pytest
from cli_support import EXAMPLES, json_report
from git_helpers import commit, new_repo, sbom, write
from procgate_server import running_server

DATE = "2026-11-28"
KASPERSKY = (EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml").read_text()
CLEAN = (EXAMPLES / "purchase-requests" / "laptops-clean.yaml").read_text()
HUAWEI = (Path(__file__).parents[1] / "data" / "purchase-requests" / "huawei.yaml").read_text()


def with_sbom(request: str, ref: str, request_id: str | None = None) -> str:
    """The request with `sbom: REF` on its first item (the line after the first quantity)."""
    head, quantity, rest = request.partition("\n    quantity:")
    line, _, tail = rest.partition("\n")
    text = f"{head}{quantity}{line}\n    sbom: {ref}\n{tail}"
    if request_id is not None:
        text = text.replace("\nid: ", f"\nid: {request_id}\n#", 1)
    return text


def by_rule(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in report["findings"]:
        out.setdefault(f["rule"], []).append(f)
    return out


def files_with(report: dict, rule: str) -> set[str]:
    return {f["file"] for f in report["findings"] if f["rule"] == rule}


# -- requests that refer to requests ------------------------------------------------------


def test_request_whose_sbom_is_itself_is_checked(run_cli, tmp_path: Path) -> None:
    # The exact case of the issue: `0 files checked ... PASSED` while it names Kaspersky Lab ZAO.
    (tmp_path / "self.yaml").write_text(with_sbom(KASPERSKY, "self.yaml"))
    result = run_cli("check", "--format", "json", "--date", DATE, "self.yaml", cwd=tmp_path)
    report = json_report(result)
    assert result.exit_code == 1
    assert report["summary"]["files"] == 1
    assert files_with(report, "bans.banned-vendor") == {"self.yaml"}
    [cycle] = by_rule(report)["parse.reference-cycle"]
    assert cycle["file"] == "self.yaml" and cycle["pointer"] == "/items/0/sbom"
    assert cycle["line"] == 15 and cycle["severity"] == "deny"


def test_requests_that_refer_to_each_other_are_both_checked(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(with_sbom(KASPERSKY, "b.yaml"))
    (tmp_path / "b.yaml").write_text(with_sbom(HUAWEI, "a.yaml"))
    for args in (["a.yaml", "b.yaml"], ["a.yaml"], ["."]):
        result = run_cli("check", "--format", "json", "--date", DATE, *args, cwd=tmp_path)
        report = json_report(result)
        assert result.exit_code == 1, args
        assert report["summary"]["files"] == 2, args
        banned = {(f["file"], f["entity"]) for f in by_rule(report)["bans.banned-vendor"]}
        assert banned == {("a.yaml", "kaspersky"), ("b.yaml", "huawei")}, args
        assert by_rule(report)["parse.reference-cycle"], args


def test_request_to_request_to_sbom_chain_checks_all_three(run_cli, tmp_path: Path) -> None:
    (tmp_path / "sboms").mkdir()
    (tmp_path / "sboms" / "router.cdx.json").write_text(sbom())  # names Huawei
    (tmp_path / "first.yaml").write_text(with_sbom(CLEAN, "second.yaml"))
    (tmp_path / "second.yaml").write_text(with_sbom(CLEAN, "sboms/router.cdx.json", "PR-2"))
    result = run_cli("check", "--format", "json", "--date", DATE, "first.yaml", cwd=tmp_path)
    report = json_report(result)
    assert result.exit_code == 1
    assert report["summary"]["files"] == 3
    assert files_with(report, "bans.banned-vendor") == {"sboms/router.cdx.json"}
    assert "parse.reference-cycle" not in by_rule(report)


def test_file_count_never_drops_below_the_documents_given(run_cli, tmp_path: Path) -> None:
    (tmp_path / "router.cdx.json").write_text(sbom())
    (tmp_path / "a.yaml").write_text(with_sbom(CLEAN, "router.cdx.json"))
    (tmp_path / "b.yaml").write_text(with_sbom(CLEAN, "router.cdx.json", "PR-B"))
    result = run_cli("check", "--format", "json", "--date", DATE, ".", cwd=tmp_path)
    assert json_report(result)["summary"]["files"] == 3


def test_staged_self_reference_is_checked(run_cli, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    write(repo, "requests/clean.yaml", CLEAN)
    commit(repo, "a clean request")
    write(repo, "requests/self.yaml", with_sbom(KASPERSKY, "self.yaml"))
    result = run_cli(
        "check", "--staged", "--format", "json", "--date", DATE, cwd=Path(repo.working_tree_dir)
    )
    report = json_report(result)
    assert result.exit_code == 1
    assert files_with(report, "bans.banned-vendor") == {"requests/self.yaml"}
    assert files_with(report, "parse.reference-cycle") == {"requests/self.yaml"}


def test_scan_reports_requests_that_refer_to_each_other(run_cli, tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.yaml").write_text(with_sbom(KASPERSKY, "b.yaml"))
    (tmp_path / "records" / "b.yaml").write_text(with_sbom(HUAWEI, "a.yaml"))
    report = tmp_path / "inv.json"
    run_cli("scan", "records", "--date", DATE, "--report", report, cwd=tmp_path)
    inventory = json.loads(report.read_text())
    vendors = {v["entity"] for v in inventory["vendors"]}
    assert vendors == {"kaspersky", "huawei"}
    items = [i for v in inventory["vendors"] for a in v["authorities"] for i in a["items"]]
    assert {(i["file"], i["entity"]) for i in items} == {
        ("records/a.yaml", "kaspersky"),
        ("records/b.yaml", "huawei"),
    }
    cycles = {p["file"] for p in inventory["problems"] if p["rule"] == "parse.reference-cycle"}
    assert cycles == {"records/a.yaml", "records/b.yaml"}


def test_serve_checks_a_self_referencing_upload(tmp_path: Path) -> None:
    with (
        running_server(tmp_path, "--date", DATE) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        self_ref = ("files", ("self.yaml", with_sbom(KASPERSKY, "self.yaml").encode(), "text/yaml"))
        report = client.post("/v1/check", files=[self_ref]).json()
        assert report["summary"]["files"] == 1 and report["summary"]["passed"] is False
        assert files_with(report, "bans.banned-vendor") == {"self.yaml"}
        assert files_with(report, "parse.reference-cycle") == {"self.yaml"}

        both = [
            ("files", ("a.yaml", with_sbom(KASPERSKY, "b.yaml").encode(), "text/yaml")),
            ("files", ("b.yaml", with_sbom(HUAWEI, "a.yaml").encode(), "text/yaml")),
        ]
        report = client.post("/v1/check", files=both).json()
        assert report["summary"]["files"] == 2
        banned = {
            (f["file"], f["entity"])
            for f in report["findings"]
            if f["rule"] == "bans.banned-vendor"
        }
        assert banned == {("a.yaml", "kaspersky"), ("b.yaml", "huawei")}

        # Nothing on the server's disk is read: an absolute path is outside the uploads, any
        # other name not uploaded is missing from them.
        for ref, rule in (
            ("/etc/passwd", "parse.reference-outside"),
            ("../../../../etc/passwd", "parse.missing-file"),
        ):
            upload = [("files", ("pr.yaml", with_sbom(CLEAN, ref).encode(), "text/yaml"))]
            report = client.post("/v1/check", files=upload).json()
            assert [f["rule"] for f in report["findings"]] == [rule], ref
            assert "root:" not in json.dumps(report)


# -- references stay inside the repository -----------------------------------------------


def test_reference_to_etc_passwd_is_outside_and_not_read(run_cli, tmp_path: Path) -> None:
    text = with_sbom(CLEAN, "../../../../etc/passwd")
    (tmp_path / "pr.yaml").write_text(text)
    result = run_cli("check", "--format", "json", "--date", DATE, "pr.yaml", cwd=tmp_path)
    report = json_report(result)
    assert result.exit_code == 1
    [finding] = report["findings"]
    assert finding["rule"] == "parse.reference-outside" and finding["severity"] == "deny"
    assert finding["file"] == "pr.yaml" and finding["pointer"] == "/items/0/sbom"
    assert finding["line"] == text.splitlines().index("    sbom: ../../../../etc/passwd") + 1
    assert report["summary"]["files"] == 1  # /etc/passwd was not opened


def test_absolute_reference_is_outside(run_cli, tmp_path: Path) -> None:
    inside = tmp_path / "sbom.cdx.json"
    inside.write_text(sbom())
    (tmp_path / "pr.yaml").write_text(with_sbom(CLEAN, str(inside)))  # even to a file inside
    result = run_cli("check", "--format", "json", "--date", DATE, "pr.yaml", cwd=tmp_path)
    assert [f["rule"] for f in json_report(result)["findings"]] == ["parse.reference-outside"]


def test_symlink_out_of_the_folder_is_outside(run_cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "router.cdx.json").write_text(sbom())
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "sbom.cdx.json").symlink_to(elsewhere / "router.cdx.json")
    (repo / "pr.yaml").write_text(with_sbom(CLEAN, "sbom.cdx.json"))
    result = run_cli("check", "--format", "json", "--date", DATE, "pr.yaml", cwd=repo)
    findings = json_report(result)["findings"]
    assert [f["rule"] for f in findings] == ["parse.reference-outside"]
    # A folder walk reads the link as a file of the folder, but the reference stays outside.
    result = run_cli("check", "--format", "json", "--date", DATE, "repo", cwd=tmp_path)
    findings = json_report(result)["findings"]
    assert sorted(f["rule"] for f in findings) == ["bans.banned-vendor", "parse.reference-outside"]
    assert {f["file"] for f in findings if f["rule"] == "parse.reference-outside"} == {
        "repo/pr.yaml"
    }


def test_walked_link_out_of_the_repository_is_not_read(run_cli, tmp_path: Path) -> None:
    """A pull request that adds `sboms/x.json -> /home/runner/secrets.json` must not make
    the CI job read (and quote) a file outside the checkout: a folder walk does not follow
    a link out of the git top level; it says so, and the link's target stays unread."""
    secret = tmp_path / "runner" / "credentials.json"
    secret.parent.mkdir()
    secret.write_text(sbom())  # it even names a banned vendor: still not read
    repo = new_repo(tmp_path / "repo")
    top = Path(repo.working_tree_dir)
    write(repo, "sboms/router.cdx.json", sbom())
    (top / "sboms" / "x.cdx.json").symlink_to(secret)
    (top / "sboms" / "y.cdx.json").symlink_to("router.cdx.json")  # a link inside is fine
    result = run_cli("check", "--format", "json", "--date", DATE, "sboms", cwd=top)
    report = json_report(result)
    [outside] = by_rule(report)["parse.reference-outside"]
    assert outside["file"] == "sboms/x.cdx.json"
    assert "link" in outside["message"] and "not read" in outside["message"]
    # the link inside is read (shown by the path it resolves to)
    assert files_with(report, "bans.banned-vendor") == {"sboms/router.cdx.json"}
    assert result.exit_code == 1
    swept = run_cli("scan", "--report", "../scan.json", "--jobs", "1", "sboms", cwd=top)
    written = (tmp_path / "scan.json").read_text()
    assert swept.exit_code == 1, swept.output
    assert "parse.reference-outside" in written and "x.cdx.json" in written
    for shown in (swept.output, written):
        assert "credentials" not in shown and "runner" not in shown


def test_reference_up_and_back_inside_the_git_top_level(run_cli, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    top = Path(repo.working_tree_dir)
    write(repo, "sboms/router.cdx.json", sbom())
    write(repo, "requests/pr.yaml", with_sbom(CLEAN, "../sboms/router.cdx.json"))
    result = run_cli("check", "--format", "json", "--date", DATE, "requests/pr.yaml", cwd=top)
    report = json_report(result)
    assert files_with(report, "bans.banned-vendor") == {"sboms/router.cdx.json"}
    assert "parse.reference-outside" not in by_rule(report)
    # From inside requests/ (a folder given on the command line) the git top level counts.
    result = run_cli("check", "--format", "json", "--date", DATE, ".", cwd=top / "requests")
    assert files_with(json_report(result), "bans.banned-vendor") == {"../sboms/router.cdx.json"}


def test_staged_reference_leaving_the_repository(run_cli, tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    (tmp_path / "router.cdx.json").write_text(sbom())
    write(repo, "pr.yaml", with_sbom(CLEAN, "../router.cdx.json"))
    result = run_cli(
        "check", "--staged", "--format", "json", "--date", DATE, cwd=Path(repo.working_tree_dir)
    )
    assert [f["rule"] for f in json_report(result)["findings"]] == ["parse.reference-outside"]


# -- only regular files are read ----------------------------------------------------------


def test_dev_zero_as_a_file_and_as_a_reference(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", "--format", "json", "/dev/zero", cwd=tmp_path)
    [finding] = json_report(result)["findings"]
    assert result.exit_code == 1
    assert finding["rule"] == "parse.error" and "device" in finding["message"]
    (tmp_path / "zero.cdx.json").symlink_to("/dev/zero")  # inside the folder, a device
    (tmp_path / "pr.yaml").write_text(with_sbom(CLEAN, "/dev/zero"))
    (tmp_path / "pr2.yaml").write_text(with_sbom(CLEAN, "zero.cdx.json", "PR-2"))
    result = run_cli("check", "--format", "json", "pr.yaml", "pr2.yaml", cwd=tmp_path)
    assert {f["rule"] for f in json_report(result)["findings"]} == {"parse.reference-outside"}


def test_fifo_and_socket_are_findings_not_hangs(run_cli, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "sock.json"))
        (tmp_path / "pr.yaml").write_text(with_sbom(CLEAN, "pipe.yaml"))
        result = run_cli(
            "check",
            "--format",
            "json",
            "--date",
            DATE,
            "pipe.yaml",
            "sock.json",
            "pr.yaml",
            cwd=tmp_path,
        )
        report = json_report(result)
        assert result.exit_code == 1
        messages = {f["file"]: f["message"] for f in report["findings"]}
        assert "FIFO" in messages["pipe.yaml"] and "socket" in messages["sock.json"]
        assert len(report["findings"]) == 2  # the FIFO is reported once, not per reference
        result = run_cli("check", "--format", "json", "--date", DATE, "pr.yaml", cwd=tmp_path)
        [finding] = json_report(result)["findings"]
        assert finding["file"] == "pipe.yaml" and "FIFO" in finding["message"]
        # A folder walk meets them too.
        result = run_cli("check", "--format", "json", "--date", DATE, ".", cwd=tmp_path)
        assert {f["file"] for f in json_report(result)["findings"]} >= {"pipe.yaml"}


def test_size_cap_applies_before_reading(run_cli, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as f:  # sparse: 300 MiB that take no disk space
        f.truncate(300 * 2**20)
    (tmp_path / "pr.yaml").write_text(with_sbom(CLEAN, "big.json"))
    for args in (["big.json", "pr.yaml"], ["pr.yaml"]):
        result = run_cli("check", "--format", "json", *args, cwd=tmp_path)
        [finding] = json_report(result)["findings"]
        assert finding["rule"] == "parse.limit" and finding["file"] == "big.json"


# -- one bad file never costs the report of the others -----------------------------------


@pytest.mark.parametrize("loop", [["self.json"], ["a.json", "b.json"]])
def test_symlink_loop_in_a_walked_folder_is_a_finding(
    run_cli, tmp_path: Path, loop: list[str]
) -> None:
    folder = tmp_path / "requests"
    folder.mkdir()
    (folder / "k.yaml").write_text(KASPERSKY)
    for name, target in zip(loop, loop[1:] + loop[:1], strict=True):
        (folder / name).symlink_to(target)
    sarif = tmp_path / "out.sarif"
    result = run_cli(
        "check", "--format", "sarif", "-o", sarif, "--date", DATE, "requests", cwd=tmp_path
    )
    assert result.exit_code == 1, result.output
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    rules = {r["ruleId"] for r in results}
    assert "bans.banned-vendor" in rules and "parse.error" in rules


def test_one_bad_file_never_costs_the_report_of_the_others(run_cli, tmp_path: Path) -> None:
    # Deep nesting (the request nested 125 levels), a lone surrogate escape in a
    # matched name and a symlink loop, beside a banned request, in one folder.
    folder = tmp_path / "requests"
    folder.mkdir()
    (folder / "k.yaml").write_text(KASPERSKY)
    nested: object = "x"
    for _ in range(125):
        nested = [nested]
    deep = {
        "apiVersion": "procgate/v1",
        "kind": "PurchaseRequest",
        "id": "PR-1",
        "date": "2026-11-10",
        "requester": {"name": "x"},
        "vendor": {"name": "y"},
        "items": [{"description": "d", "quantity": 1, "manufacturer": {"name": "ZTE"}}],
        "justification": nested,
    }
    (folder / "deep.json").write_text(json.dumps(deep))
    lone = json.dumps(deep | {"justification": "x"}).replace('"ZTE"', '"Kaspersky \\ud800 Lab"')
    (folder / "surrogate.json").write_text(lone)
    (folder / "loop.json").symlink_to("loop.json")
    sarif = tmp_path / "out.sarif"
    result = run_cli(
        "check", "--format", "sarif", "-o", sarif, "--date", DATE, "requests", cwd=tmp_path
    )
    assert result.exit_code == 1, result.output
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    by_file = {}
    for r in results:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        by_file.setdefault(uri.rsplit("/", 1)[-1], set()).add(r["ruleId"])
    assert "bans.banned-vendor" in by_file["k.yaml"]
    assert by_file["deep.json"] == {"parse.limit"}
    assert by_file["surrogate.json"] == {"parse.error"}
    assert by_file["loop.json"] == {"parse.error"}
    assert "internal error" not in result.output
