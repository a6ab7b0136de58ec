"""`procgate check --audit-log FILE` and `procgate audit verify FILE`."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from bundle_support import rsa_pair
from cli_support import EXAMPLES, ROOT
from git_helpers import CLEAN, DATE, new_repo, request, write

PR = EXAMPLES / "purchase-requests"

# A waiver under FY2018 NDAA §1634, which allows none: always a finding in the waiver file.
WAIVER_UNDER_1634 = """\
apiVersion: procgate/v1
kind: Waiver
id: W-2026-009
entity: kaspersky
rule: bans.banned-vendor
authority: ndaa-fy2018-1634
scope:
  requests: [PR-2026-0142]
reason: Asked for; the law allows no waiver.
approved_by: Dana Lee (Chief Procurement Officer)
approved_on: 2026-10-01
expires: 2026-12-31
ticket: PROC-78
"""


def test_check_appends_one_chained_line_per_file(run_cli, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    first = run_cli(
        "check",
        "--audit-log",
        log,
        "--date",
        "2026-11-28",
        PR / "laptops-clean.yaml",
        PR / "kaspersky-endpoint.yaml",
    )
    assert first.exit_code == 1
    run_cli("check", "--audit-log", log, "--date", "2026-11-28", PR / "branch-router.yaml")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["seq"] for r in records] == [1, 2, 3, 4]  # the router's SBOM is a file too
    by_file = {Path(r["input"]["file"]).name: r for r in records}
    kaspersky = by_file["kaspersky-endpoint.yaml"]
    assert kaspersky["verdict"] == "fail" and kaspersky["counts"]["deny"] == 1
    assert kaspersky["findings"][0]["entity"] == "kaspersky"
    assert by_file["laptops-clean.yaml"]["verdict"] == "pass"
    assert kaspersky["input"]["sha256"].startswith("sha256:")
    assert kaspersky["policy_digest"].startswith("sha256:")
    assert (kaspersky["audience"], kaspersky["date"]) == ("us-federal", "2026-11-28")
    assert kaspersky["git"] is None or len(kaspersky["git"]["commit"]) == 40
    result = run_cli("audit", "verify", log)
    assert result.exit_code == 0 and "4 records, chain intact" in result.output


def test_the_policy_digest_is_the_bundle_revision(run_cli, tmp_path: Path) -> None:
    keys = rsa_pair(tmp_path)
    bundle = tmp_path / "b.tar.gz"
    built = run_cli("bundle", "-o", bundle, "--signing-key", keys.private)
    revision = built.output.split("revision ")[1].split(",")[0]
    log = tmp_path / "audit.jsonl"
    run_cli("check", "--audit-log", log, PR / "laptops-clean.yaml")
    run_cli(
        "check",
        "--audit-log",
        log,
        "--bundle",
        bundle,
        "--verification-key",
        keys.public,
        PR / "laptops-clean.yaml",
    )
    digests = [json.loads(line)["policy_digest"] for line in log.read_text().splitlines()]
    assert digests == [revision, revision]


def test_audit_log_from_the_config_is_relative_to_it(run_cli, tmp_path: Path) -> None:
    (tmp_path / "procgate.yaml").write_text("audit-log: logs/audit.jsonl\n")
    (tmp_path / "logs").mkdir()
    run_cli("check", PR / "laptops-clean.yaml", cwd=tmp_path)
    assert len((tmp_path / "logs" / "audit.jsonl").read_text().splitlines()) == 1


def test_verify_names_the_edited_line(run_cli, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    for _ in range(3):
        run_cli("check", "--audit-log", log, PR / "laptops-clean.yaml")
    lines = log.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace('"verdict":"pass"', '"verdict":"fail"')
    log.write_text("".join(lines))
    result = run_cli("audit", "verify", log)
    assert result.exit_code == 1
    assert f"{log}:2: content does not match its hash (edited)" in result.output


def test_an_unwritable_audit_log_stops_the_run(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    result = run_cli(
        "check", "--audit-log", tmp_path / "a-file" / "a.jsonl", PR / "laptops-clean.yaml", cwd=ROOT
    )
    assert result.exit_code == 2 and "audit log" in result.stderr


def test_the_readme_path_works_when_its_folder_does_not_exist_yet(run_cli, tmp_path: Path) -> None:
    """Issue 13 item 4: `--audit-log audit/procgate.jsonl` without an `audit/` folder."""
    result = run_cli(
        "check", "--audit-log", "audit/procgate.jsonl", PR / "laptops-clean.yaml", cwd=tmp_path
    )
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output
    assert len((tmp_path / "audit" / "procgate.jsonl").read_text().splitlines()) == 1


def test_a_text_file_given_as_the_log_stops_the_run_untouched(run_cli, tmp_path: Path) -> None:
    """Issue 17 item 3: a text file was cut at its last line (49 -> 17 bytes) or replaced."""
    notes = tmp_path / "notes.txt"
    content = b"my notes\nsecond line of notes\nthird line here!\n"
    for given in (content, content.rstrip(b"\n")):
        notes.write_bytes(given)
        result = run_cli("check", "--audit-log", notes, PR / "laptops-clean.yaml", cwd=tmp_path)
        assert result.exit_code == 2, result.output
        assert "not a procgate audit log" in result.stderr
        assert notes.read_bytes() == given
        link = tmp_path / "link.jsonl"
        link.unlink(missing_ok=True)
        link.symlink_to(notes)
        result = run_cli("check", "--audit-log", link, PR / "laptops-clean.yaml", cwd=tmp_path)
        assert result.exit_code == 2 and "symbolic link" in result.stderr
        assert notes.read_bytes() == given


def test_a_record_that_lost_its_newline_is_not_dropped(run_cli, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    for _ in range(2):
        run_cli("check", "--audit-log", log, PR / "laptops-clean.yaml", cwd=tmp_path)
    log.write_bytes(log.read_bytes()[:-1])
    run_cli("check", "--audit-log", log, PR / "laptops-clean.yaml", cwd=tmp_path)
    result = run_cli("audit", "verify", log)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["seq"] for line in log.read_text().splitlines()] == [1, 2, 3]


def test_staged_runs_record_the_digest_of_the_staged_bytes(run_cli, tmp_path: Path) -> None:
    """The hook checks what the commit will hold; the record must name those bytes, not a
    working-tree edit made after `git add`."""
    repo = new_repo(tmp_path / "repo")
    staged = write(repo, "requests/router.yaml", request(manufacturer="Huawei Technologies"))
    staged_bytes = staged.read_bytes()
    staged.write_text(CLEAN, encoding="utf-8")  # edited after staging, not added
    log = tmp_path / "audit.jsonl"
    result = run_cli(
        "check", "--staged", "--audit-log", log, "--date", DATE, cwd=Path(repo.working_tree_dir)
    )
    assert result.exit_code == 1  # the staged (Huawei) version was checked
    [record] = [json.loads(line) for line in log.read_text().splitlines()]
    assert record["verdict"] == "fail"
    assert record["input"]["sha256"] == "sha256:" + hashlib.sha256(staged_bytes).hexdigest()
    assert record["input"]["sha256"] != "sha256:" + hashlib.sha256(staged.read_bytes()).hexdigest()


def test_staged_runs_record_files_read_from_disk_by_their_disk_bytes(
    run_cli, tmp_path: Path
) -> None:
    """A configured waiver file is read from the working tree even under --staged (it is
    configuration): its record names those bytes, tracked by git or not."""
    repo = new_repo(tmp_path / "repo")
    root = Path(repo.working_tree_dir)
    shutil.copy(PR / "kaspersky-endpoint.yaml", root / "kaspersky-endpoint.yaml")
    repo.index.add(["kaspersky-endpoint.yaml"])
    (root / "procgate.yaml").write_text("waivers: [waivers]\n", encoding="utf-8")
    waiver = root / "waivers" / "w.yaml"
    waiver.parent.mkdir()
    waiver.write_text(WAIVER_UNDER_1634, encoding="utf-8")  # untracked
    log = tmp_path / "audit.jsonl"
    result = run_cli("check", "--staged", "--audit-log", log, "--date", DATE, cwd=root)
    assert result.exit_code == 1
    records = {r["input"]["file"]: r for r in map(json.loads, log.read_text().splitlines())}
    assert records["waivers/w.yaml"]["findings"][0]["rule"] == "waiver.rejected"
    assert records["waivers/w.yaml"]["input"]["sha256"] == (
        "sha256:" + hashlib.sha256(waiver.read_bytes()).hexdigest()
    )
