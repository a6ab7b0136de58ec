"""Files that are not regular files, and files over the size limit, in the paths that read a
file's bytes a second time or from git (issues 10 and 17, re-verified in session 3): the
audit log's digest of each checked file, `scan --store`'s digest of each swept file, and
`--staged` blobs. Each must end as a finding, never a hang, an endless read or a file read
whole before its size is known.

Run as real subprocesses with a deadline, so that a hang fails the test instead of stopping
the suite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import EXAMPLES
from git_helpers import CLEAN, DATE, new_repo, write

KASPERSKY = (EXAMPLES / "purchase-requests" / "kaspersky-endpoint.yaml").read_text()
DEADLINE = 120  # seconds; each run takes about one on an idle machine


def procgate(cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`procgate ARGS` in its own session: on the deadline the whole group (pool workers
    included) is killed and the test fails."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "procgate", *(str(a) for a in args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"procgate {' '.join(map(str, args))} did not finish in {DEADLINE} s")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_audit_log_of_a_fifo_and_dev_zero_neither_hangs_nor_reads_forever(
    tmp_path: Path,
) -> None:
    # The check itself refuses both (a finding each); the audit log's digest of "the bytes
    # checked" opened the FIFO (waiting forever for a writer) and read /dev/zero endlessly.
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "k.yaml").write_text(KASPERSKY)
    log = tmp_path / "audit.jsonl"
    result = procgate(
        tmp_path, "check", "--audit-log", log, "--date", DATE, "pipe.json", "/dev/zero", "k.yaml"
    )
    assert result.returncode == 1, result.stderr
    records = {r["input"]["file"]: r for r in map(json.loads, log.read_text().splitlines())}
    assert set(records) == {"pipe.json", "/dev/zero", "k.yaml"}
    assert records["pipe.json"]["input"]["sha256"] is None  # nothing was read: no digest
    assert records["/dev/zero"]["input"]["sha256"] is None
    assert records["pipe.json"]["findings"][0]["rule"] == "parse.error"
    assert records["k.yaml"]["input"]["sha256"].startswith("sha256:")
    assert procgate(tmp_path, "audit", "verify", log).returncode == 0


def test_scan_store_of_a_fifo_and_a_link_to_dev_zero_finishes(tmp_path: Path) -> None:
    # `scan --store` hashes every swept file for the store: the same digest, the same hang.
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "k.yaml").write_text(KASPERSKY)
    os.mkfifo(tree / "pipe.json")
    (tree / "zero.cdx.json").symlink_to("/dev/zero")
    store = tmp_path / "inventory.db"
    report = tmp_path / "inventory.json"
    result = procgate(
        tmp_path, "scan", "tree", "--jobs", "2", "--date", DATE, "--store", store,
        "--report", f"json={report}",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    problems = {p["file"]: p["rule"] for p in json.loads(report.read_text())["problems"]}
    assert problems == {
        "tree/pipe.json": "parse.error",
        "tree/zero.cdx.json": "parse.reference-outside",
    }
    listed = procgate(tmp_path, "inventory", "list", "--store", store, "--format", "json")
    assert listed.returncode in (0, 1), listed.stderr
    assert "kaspersky" in listed.stdout


def test_a_staged_blob_over_the_size_limit_is_a_finding_not_read_whole(tmp_path: Path) -> None:
    # On disk, a walked file over 256 MiB is a parse.limit finding, refused before a byte is
    # read. Staged, the blob was read whole (all 300 MiB in memory) and then passed over as
    # "not one of our kinds" when its first 64 KiB named none: a way past the hook.
    repo = new_repo(tmp_path / "repo")
    write(repo, "clean.yaml", CLEAN)
    repo.git.commit("-m", "base", "--no-verify")
    big = Path(repo.working_tree_dir) / "padded.cdx.json"
    with big.open("wb") as f:  # an SBOM padded with 300 MiB of spaces before its keys
        f.write(b"{" + b" " * (300 * 2**20))
        f.write(b'"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}')
    repo.git.add("padded.cdx.json")  # git itself: GitPython would hold the file in memory
    for args in (["--staged"], ["--staged", "padded.cdx.json"]):
        code, report, peak_kib = _check_with_peak(big.parent, *args)
        assert code == 1, args
        [finding] = report["findings"]
        assert finding["rule"] == "parse.limit" and finding["file"] == "padded.cdx.json", args
        assert peak_kib < 200 * 1024, f"{args}: peak {peak_kib // 1024} MiB: the blob was read"


def _check_with_peak(cwd: Path, *args: str) -> tuple[int, dict, int]:
    """Exit code, JSON report and peak resident memory (KiB) of `procgate check ARGS`: VmHWM,
    not ru_maxrss, which Linux carries over from the process that forked (this test's)."""
    code = (
        "import re, sys\n"
        "from procgate.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as e:\n"
        "    rc = e.code\n"
        "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]\n"
        "print(f'peak={peak}', file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "check", "--format", "json", "--date", DATE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    peak = int(proc.stderr.rsplit("peak=", 1)[1].split()[0])
    return proc.returncode, json.loads(proc.stdout), peak
