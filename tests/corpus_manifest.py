"""The SBOM corpus the project owns (tests/data/corpus) and its MANIFEST, for parametrized tests.

Real SBOMs written by other people and tools, byte-identical to their source blobs (see
tests/data/corpus/README.md). Files above 256 KiB are stored xz-compressed; CORPUS is a folder
with every file as its tool wrote it, unpacked once into the temporary folder and checked
against the sha256 in MANIFEST.csv, so tests (and `procgate check CORPUS`) read plain files.
"""

from __future__ import annotations

import csv
import hashlib
import lzma
import os
import shutil
import tempfile
from pathlib import Path

from procgate.model import Kind

STORE = Path(__file__).resolve().parent / "data" / "corpus"
MANIFEST = STORE / "MANIFEST.csv"

KIND = {
    "cyclonedx-json": Kind.CYCLONEDX,
    "cyclonedx-xml": Kind.CYCLONEDX,
    "spdx-json": Kind.SPDX2,
    "spdx-tv": Kind.SPDX2,
    "spdx-yaml": Kind.SPDX2,
    "spdx-rdf": Kind.SPDX2,
    "spdx3-jsonld": Kind.SPDX3,
}
SYNTAX = {
    "cyclonedx-json": "json",
    "cyclonedx-xml": "xml",
    "spdx-json": "json",
    "spdx-tv": "tag-value",
    "spdx-yaml": "yaml",
    "spdx-rdf": "xml",
    "spdx3-jsonld": "json",
}


def rows() -> list[dict[str, str]]:
    with MANIFEST.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _unpack() -> Path:
    """The corpus as plain files, in a folder named after the MANIFEST's hash (reused by later
    runs; built beside it and renamed into place, so parallel runs never see half a folder)."""
    digest = hashlib.sha256(MANIFEST.read_bytes()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"procgate-test-corpus-{digest}"
    if (target / "MANIFEST.csv").is_file() and all(
        (target / r["file"]).is_file() and (target / r["file"]).stat().st_size == int(r["bytes"])
        for r in rows()
    ):
        return target
    shutil.rmtree(target, ignore_errors=True)  # damaged since it was unpacked: unpack again
    building = Path(tempfile.mkdtemp(prefix="procgate-test-corpus-"))
    for row in rows():
        stored = (STORE / row["stored_as"]).read_bytes()
        raw = lzma.decompress(stored) if row["stored_as"].endswith(".xz") else stored
        if hashlib.sha256(raw).hexdigest() != row["sha256"]:
            raise AssertionError(f"{row['stored_as']} does not match its sha256 in MANIFEST.csv")
        path = building / row["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    shutil.copyfile(MANIFEST, building / "MANIFEST.csv")  # last: it marks the folder complete
    try:
        os.rename(building, target)
    except OSError:  # another run got there first
        shutil.rmtree(building, ignore_errors=True)
    return target


CORPUS = _unpack()


def is_invalid(row: dict[str, str]) -> bool:
    """INVALID_ files and those whose notes call them invalid (flink, sbomgr SPDX, dtrack)."""
    description = row["notes"].split("|")[0]
    return Path(row["file"]).name.startswith("INVALID_") or "invalid" in description


def expected_version(row: dict[str, str]) -> str:
    """MANIFEST says "SPDX-3.0.1"; procgate's spec_version for SPDX 3 is "3.0.1"."""
    version = row["spec_version"]
    return version.removeprefix("SPDX-") if row["format"] == "spdx3-jsonld" else version
