"""fsspec URLs as scan paths: memory:// (this process, and copied to cluster workers) and
file://. The same findings as the same files on disk; the local rules for bad input."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import fsspec
import pytest
from click.testing import CliRunner
from inventory_tree import make_tree

from procgate.cli import main
from procgate.config import Options
from procgate.load.source import MAX_BYTES
from procgate.scan import REPORTS, Inventory, run_scan

pytestmark = pytest.mark.timeout(180)
TODAY = date(2026, 11, 28)

REQUEST = """\
apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-7
date: 2026-01-05
requester: {name: Pat}
vendor: {name: Branch Networks Inc.}
items:
  - description: Branch router
    quantity: 2
    category: telecom-equipment
    manufacturer: {name: "Cisco Systems, Inc."}
    sbom: %s
use: [telecommunications]
"""
SBOM = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.5",
    "version": 1,
    "components": [
        {
            "type": "firmware",
            "name": "modem-fw",
            "version": "11.6",
            "supplier": {"name": "Huawei Technologies Co., Ltd."},
        }
    ],
}


@pytest.fixture
def memory_root() -> Iterator[str]:
    root = f"memory://procgate-{uuid.uuid4().hex[:8]}"
    yield root
    fs = fsspec.filesystem("memory")
    fs.rm(root.removeprefix("memory://"), recursive=True)


def _copy_to_memory(local: Path, root: str) -> None:
    fs = fsspec.filesystem("memory")
    for file in local.rglob("*"):
        if file.is_file():
            fs.pipe_file(f"{root}/{file.relative_to(local.parent)}", file.read_bytes())


def _json(inv: Inventory) -> str:
    return REPORTS["json"](inv)


@pytest.fixture(scope="module")
def disk_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("remote")
    make_tree(root / "records", 250)
    return root


def test_a_memory_tree_reads_as_the_same_tree_on_disk(
    disk_tree: Path, memory_root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy_to_memory(disk_tree / "records", memory_root)
    monkeypatch.chdir(disk_tree)
    on_disk = _json(run_scan([Path("records")], Options(today=TODAY), 2))
    in_memory = _json(run_scan([f"{memory_root}/records"], Options(today=TODAY), 2))
    assert in_memory.replace(f"{memory_root}/", "") == on_disk
    assert '"bans.banned-vendor"' in on_disk or "huawei" in on_disk.lower()


def test_memory_files_reach_the_workers_of_a_cluster(
    disk_tree: Path, memory_root: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """memory:// lives in this process: each worker gets a copy of the swept trees."""
    _copy_to_memory(disk_tree / "records", memory_root)
    monkeypatch.chdir(disk_tree)
    here = _json(run_scan([f"{memory_root}/records"], Options(today=TODAY), 1))
    there = _json(run_scan([f"{memory_root}/records"], Options(today=TODAY), 1, cluster="local:1"))
    assert there == here
    assert json.loads(there)["summary"]["files"] == 250


@pytest.fixture(scope="module")
def http_server(disk_tree: Path) -> Iterator[str]:
    """The tree served read-only over HTTP on loopback: a filesystem other processes reach."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(disk_tree))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("way", [["--jobs", "2"], ["--cluster", "local:2"]])
def test_urls_are_read_by_the_worker_processes(
    disk_tree: Path, http_server: str, way: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker process reads its files from the server; the report is the one the same
    tree on disk gives, with URLs for paths."""
    monkeypatch.chdir(disk_tree)
    runner = CliRunner()
    on_disk = runner.invoke(
        main, ["scan", "records", "--date", "2026-11-28", "--report", "disk.json"]
    )
    served = runner.invoke(
        main,
        [
            "scan",
            f"{http_server}/records",
            "--date",
            "2026-11-28",
            "--report",
            "served.json",
            *way,
        ],
    )
    assert served.exit_code == on_disk.exit_code == 1, served.output
    served_report = Path("served.json").read_text().replace(f"{http_server}/", "")
    assert served_report == Path("disk.json").read_text()


def test_file_urls_are_local_paths(disk_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(disk_tree)
    url = (disk_tree / "records").as_uri()
    runner = CliRunner()
    by_url = runner.invoke(main, ["scan", url, "--date", "2026-11-28", "--jobs", "1"])
    by_path = runner.invoke(
        main, ["scan", str(disk_tree / "records"), "--date", "2026-11-28", "--jobs", "1"]
    )
    assert by_url.exit_code == by_path.exit_code == 1
    assert by_url.stdout == by_path.stdout


def _write(root: str, name: str, data: bytes | str) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe_file(f"{root}/{name}", data.encode() if isinstance(data, str) else data)


def test_references_resolve_inside_the_swept_url_only(memory_root: str) -> None:
    _write(memory_root, "a/pr.yaml", REQUEST % "fw.cdx.json")
    _write(memory_root, "a/fw.cdx.json", json.dumps(SBOM))
    _write(memory_root, "a/up.yaml", (REQUEST % "../../x/fw.cdx.json").replace("PR-7", "PR-8"))
    _write(memory_root, "a/abs.yaml", (REQUEST % "/etc/passwd").replace("PR-7", "PR-9"))
    _write(
        memory_root,
        "a/url.yaml",
        (REQUEST % f"{memory_root}/a/fw.cdx.json").replace("PR-7", "PR-6"),
    )
    inv = run_scan([f"{memory_root}/a"], Options(today=TODAY), 1)
    report = json.loads(_json(inv))
    files = {i["file"] for v in report["vendors"] for a in v["authorities"] for i in a["items"]}
    assert files == {f"{memory_root}/a/fw.cdx.json"}  # once, in the request's context
    outside = {p.file: p.rule for p in inv.problems}
    for name in ("up.yaml", "abs.yaml", "url.yaml"):
        assert outside[f"{memory_root}/a/{name}"] == "parse.reference-outside", outside


def test_bad_files_at_urls_are_findings_as_on_disk(memory_root: str) -> None:
    _write(memory_root, "b/empty.yaml", b"")
    _write(memory_root, "b/binary.json", b"\x00\x01\x02\xff" * 10)
    _write(memory_root, "b/huge.json", b" " * (MAX_BYTES + 1))
    _write(memory_root, "b/broken.yaml", "apiVersion: procgate/v1\nkind: PurchaseRequest\n[\n")
    inv = run_scan(
        [f"{memory_root}/b/{n}" for n in ("empty.yaml", "binary.json", "huge.json", "broken.yaml")],
        Options(today=TODAY),
        1,
    )
    rules = {p.file.rsplit("/", 1)[1]: (p.rule, p.message) for p in inv.problems}
    assert rules["empty.yaml"] == ("parse.error", "file is empty")
    assert rules["binary.json"][0] == "parse.error"
    assert rules["huge.json"][0] == "parse.limit" and "MiB" in rules["huge.json"][1]
    assert rules["broken.yaml"][0] == "parse.error"
    assert inv.exit_code() == 1


def test_walks_skip_hidden_folders_and_other_extensions(memory_root: str) -> None:
    _write(memory_root, "c/pr.yaml", REQUEST % "fw.cdx.json")
    _write(memory_root, "c/fw.cdx.json", json.dumps(SBOM))
    _write(memory_root, "c/.git/pr.yaml", REQUEST % "fw.cdx.json")
    _write(memory_root, "c/node_modules/pr.yaml", REQUEST % "fw.cdx.json")
    _write(memory_root, "c/notes.txt", "kind: PurchaseRequest")
    inv = run_scan([f"{memory_root}/c"], Options(today=TODAY), 1)
    assert inv.summary()["files"] == 2


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (
            "memory://procgate-nothing-here/x",
            "no such file or folder: memory://procgate-nothing-here/x",
        ),
        ("nosuchfs://bucket/x", "nosuchfs"),
        ("file://elsewhere/x", "file:// URL names a file on this machine"),
    ],
)
def test_urls_that_cannot_be_swept_exit_2(url: str, said: str) -> None:
    result = CliRunner().invoke(main, ["scan", url])
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "ref",
    [
        "..%2fout.cdx.json",  # the server decodes %2f, then resolves the `..`
        "x/%2e%2e/%2e%2e/out.cdx.json",  # the HTTP client resolves %2e%2e as `..`
        "%2E%2E/out.cdx.json",
        "..\\out.cdx.json",  # a server that reads a backslash as a slash
    ],
)
def test_an_encoded_reference_cannot_leave_the_swept_url(tmp_path: Path, ref: str) -> None:
    """Found re-verifying issue 10 (session 3): `..%2f` and `%2e%2e` in an `sbom:` were inside
    the swept URL as written, and read the file above it once the server or client decoded
    them."""
    (tmp_path / "swept").mkdir()
    (tmp_path / "swept" / "pr.yaml").write_text(REQUEST % json.dumps(ref))
    (tmp_path / "out.cdx.json").write_text(json.dumps(SBOM))  # above the swept folder
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/swept"
        inv = run_scan([url], Options(today=TODAY), 1)
    finally:
        server.shutdown()
        server.server_close()
    report = json.loads(_json(inv))
    assert report["vendors"] == [], "the file outside the swept URL was read"
    assert [(p.file, p.rule) for p in inv.problems] == [
        (f"{url}/pr.yaml", "parse.reference-outside")
    ]
