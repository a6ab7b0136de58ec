"""Document is frozen like every model type: checking an SBOM in a request's context gives the
engines a copy with `parent` set, and the loaded document never changes."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from procgate.config import Options
from procgate.load import load
from procgate.model import Document
from procgate.pipeline import build_checker

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_a_document_cannot_be_changed() -> None:
    doc = load(EXAMPLES / "purchase-requests" / "laptops-clean.yaml", "pr.yaml")
    assert isinstance(doc, Document)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.parent = doc  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.path = "other.yaml"  # type: ignore[misc]


def test_checking_a_referenced_sbom_leaves_the_loaded_one_alone() -> None:
    request = load(EXAMPLES / "purchase-requests" / "branch-router.yaml", "pr/router.yaml")
    sbom = load(EXAMPLES / "sboms" / "branch-router-firmware.cdx.json", "sboms/router.cdx.json")
    assert isinstance(request, Document) and isinstance(sbom, Document)
    request = dataclasses.replace(
        request,
        data={
            **request.data,
            "items": [{**request.data["items"][0], "sbom": "../sboms/router.cdx.json"}],
        },
    )
    checker = build_checker(Options(today=date(2026, 11, 28)))
    opened = {"sboms/router.cdx.json": sbom}
    verdict = checker.check([request], opened.get)
    # The SBOM was checked in the request's context (its finding is there) ...
    assert any(f.position.file == "sboms/router.cdx.json" and f.entity for f in verdict.findings)
    # ... and the document the opener handed out is unchanged.
    assert sbom.parent is None
