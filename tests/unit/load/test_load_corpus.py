"""Every file of the SBOM corpus (tests/data/corpus) loads to its kind, spec version and
component count."""

from __future__ import annotations

from typing import Any

import pytest
from corpus_manifest import CORPUS, KIND, SYNTAX, expected_version, rows

from procgate.load import load
from procgate.model import Document

ROWS = rows()


def _components(doc: Document, fmt: str) -> int:
    """Counted as MANIFEST.csv counts them."""
    data = doc.data
    if fmt.startswith("cyclonedx"):
        return _nested(data.get("components", []))
    if fmt == "spdx3-jsonld":
        kinds = {"software_Package", "ai_AIPackage", "dataset_DatasetPackage"}
        return sum(1 for e in data["@graph"] if e.get("type") in kinds)
    return len(data.get("packages", []))


def _nested(components: list[Any]) -> int:
    return sum(1 + _nested(c.get("components", [])) for c in components)


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_loads_to_kind_version_and_components(row: dict[str, str]) -> None:
    doc = load(CORPUS / row["file"], row["file"])
    assert isinstance(doc, Document), doc
    assert doc.path == row["file"]
    assert doc.kind is KIND[row["format"]]
    assert doc.syntax == SYNTAX[row["format"]]
    assert doc.spec_version == expected_version(row)
    if row["components"]:
        assert _components(doc, row["format"]) == int(row["components"])
