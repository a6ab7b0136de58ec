"""Every JSON-shaped SBOM of tests/data/corpus: no exception, pointers that resolve, and
supplier-type subjects exactly where MANIFEST.csv says the document has supplier data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from normalize_helpers import corpus_rows, resolve

from procgate.model import ROLES, Document
from procgate.normalize import subjects

Corpus = Callable[[str], Document]
ROWS = corpus_rows()
SUPPLIER_ROLES = {"supplier", "manufacturer", "publisher", "author", "originator"}
PARTIES = {"organization", "person", "unknown", "identifier"}


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_corpus_file(corpus: Corpus, row: dict[str, str]) -> None:
    doc = corpus(row["file"])
    subs = subjects(doc)

    for s in subs:
        assert s.role in ROLES
        assert s.party in PARTIES
        assert s.value and s.value == s.value.strip()
        raw = resolve(doc.data, s.pointer)
        assert isinstance(raw, str), s.pointer
        if s.role in ("purl-namespace", "cpe-vendor", "domain"):
            continue  # derived from the raw string
        actor = (
            s.role in ("supplier", "originator")
            or s.pointer.startswith("/creationInfo/")
            or "/createdBy" in s.pointer
        )  # SPDX 3 agents: a reference to a name
        if actor and row["format"] != "cyclonedx-json":
            # an actor parsed: its name, or for a person "name <e-mail>"
            name = s.value.split(" <", 1)[0]
            assert name in raw or s.pointer.startswith("/@graph")
        elif s.value != raw.strip():  # a contact's e-mail is kept beside its name
            email = resolve(doc.data, s.pointer.rsplit("/", 1)[0] + "/email")
            assert s.value == f"{raw.strip()} <{email.strip()}>"
        owner = resolve(doc.data, s.owner.pointer)
        assert isinstance(owner, dict)
        if s.pointer.startswith(("/metadata/supplier/", "/metadata/manufacture/")):
            # they describe metadata.component, which owns them
            assert s.owner.pointer in ("/metadata/component", "")
        else:
            assert s.pointer.startswith(s.owner.pointer + "/")

    # Services (SaaSBOM providers) and the BOM's own authors are not among MANIFEST's
    # supplier-type fields.
    from_suppliers = [
        s
        for s in subs
        if s.role in SUPPLIER_ROLES and s.owner.category not in ("service", "sbom-author")
    ]
    if row["has_supplier_data"] == "yes":
        assert from_suppliers, "MANIFEST says this document has supplier data"
    else:
        assert not from_suppliers, [s.value for s in from_suppliers[:5]]

    if int(row["components"] or 0) > 0:
        assert any(s.role == "product-name" for s in subs)


def test_corpus_is_covered() -> None:
    assert len(ROWS) == 31  # 17 CycloneDX JSON, 9 SPDX JSON, 5 SPDX 3 JSON-LD
