"""The shared SBOM corpus (shared/corpus/sboms) and its MANIFEST, for parametrized tests."""

from __future__ import annotations

import csv
from pathlib import Path

from procgate.model import Kind

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "sboms"

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
    manifest = CORPUS / "MANIFEST.csv"
    if not manifest.is_file():
        return []
    with manifest.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def is_invalid(row: dict[str, str]) -> bool:
    """INVALID_ files and those whose notes call them invalid (flink, sbomgr SPDX, dtrack)."""
    description = row["notes"].split("|")[0]
    return Path(row["file"]).name.startswith("INVALID_") or "invalid" in description


def expected_version(row: dict[str, str]) -> str:
    """MANIFEST says "SPDX-3.0.1"; procgate's spec_version for SPDX 3 is "3.0.1"."""
    version = row["spec_version"]
    return version.removeprefix("SPDX-") if row["format"] == "spdx3-jsonld" else version
