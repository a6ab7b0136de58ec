"""scan --store with files at URLs (fsspec, scan/remote.py): each file is recorded under its
canonical URL, with the hash of its bytes and its values, and the workflow is the same as for
files on disk (seen again, resolved when deleted from a swept URL). memory:// stands in for
s3:// (the same code path: fsspec) and lives in this process, so the CLI runs in-process."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import fsspec
import pytest
from click.testing import Result
from conftest import DATE
from store_support import rows


@pytest.fixture
def bucket(records: Path) -> Iterator[str]:
    """The examples copied to memory://procgate-…/records."""
    root = f"memory://procgate-{uuid.uuid4().hex[:8]}"
    fs = fsspec.filesystem("memory")
    for file in records.rglob("*"):
        if file.is_file():
            fs.pipe_file(f"{root}/records/{file.relative_to(records)}", file.read_bytes())
    yield f"{root}/records"
    fs.rm(root.removeprefix("memory://"), recursive=True)


def test_files_at_urls_are_recorded_under_their_urls(
    procgate: Callable[..., Result], bucket: str, records: Path, store_url: str
) -> None:
    first = procgate("scan", bucket, "--store", store_url, "--date", DATE)
    assert first.exit_code == 1, first.output
    assert "7 new, 0 seen again" in first.output
    files = {r["path"]: r for r in rows(store_url, "SELECT path, display, content_hash FROM files")}
    router = f"{bucket}/sboms/branch-router-firmware.cdx.json"
    assert router in files and files[router]["display"] == router
    expected = hashlib.sha256((records / "sboms/branch-router-firmware.cdx.json").read_bytes())
    assert files[router]["content_hash"] == "sha256:" + expected.hexdigest()
    assert all(p.startswith(bucket + "/") for p in files)
    found = rows(store_url, "SELECT file_key, entity FROM findings")
    assert len(found) == 7 and all(f["file_key"].startswith(bucket + "/") for f in found)
    # Deleted from the bucket: its item is resolved; the rest are seen again.
    fsspec.filesystem("memory").rm(
        f"{bucket}/purchase-requests/kaspersky-endpoint.yaml".removeprefix("memory://")
    )
    again = procgate("scan", bucket, "--store", store_url, "--date", DATE)
    assert "0 new, 6 seen again (0 reopened), 1 resolved" in again.output, again.output
    # The stored values serve reevaluate, as for files on disk.
    same = procgate("inventory", "reevaluate", "--store", store_url, "--date", DATE)
    assert same.exit_code == 0 and "Nothing the store knows changes" in same.output
