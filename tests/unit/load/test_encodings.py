"""Byte-order marks, UTF-16, and YAML scalars read the way people write them."""

from __future__ import annotations

import pytest
from corpus_manifest import CORPUS

from procgate.load import load, load_bytes
from procgate.model import Document, Kind

PR = """apiVersion: procgate/v1
kind: PurchaseRequest
id: PR-1
date: 2024-05-01
requester: {name: Kim}
vendor: {name: Acme, country: NO, duns: 012345678}
items:
  - {description: x, quantity: 1, brand: yes, model: 1.10}
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_yaml_in_any_unicode_encoding(encoding: str) -> None:
    doc = load_bytes(PR.encode(encoding), "pr.yaml")
    assert isinstance(doc, Document), doc
    assert doc.kind is Kind.PURCHASE_REQUEST
    assert doc.position("/items/0").line == 8


def test_yaml_scalars_follow_yaml_1_2() -> None:
    doc = load_bytes(PR.encode(), "pr.yaml")
    assert isinstance(doc, Document)
    assert doc.data["date"] == "2024-05-01"  # a string, as format: date expects
    assert doc.data["vendor"] == {"name": "Acme", "country": "NO", "duns": "012345678"}
    assert doc.data["items"][0]["brand"] == "yes"
    assert doc.data["items"][0]["model"] == 1.1
    assert doc.spec_version == "procgate/v1"


def test_utf16le_corpus_file_with_crlf() -> None:
    doc = load(CORPUS / "spdx-json/ODD_utf16le-full-example_spdx2.2.json")
    assert isinstance(doc, Document)
    assert doc.position("/packages/0").line > 1


def test_json_with_utf8_bom() -> None:
    doc = load_bytes(b'\xef\xbb\xbf{"bomFormat": "CycloneDX", "specVersion": "1.6"}', "b.json")
    assert isinstance(doc, Document)
    assert (doc.kind, doc.spec_version) == (Kind.CYCLONEDX, "1.6")


def test_json_in_a_yaml_file_and_yaml_flow_style() -> None:
    doc = load_bytes(b'{bomFormat: CycloneDX, specVersion: "1.5"}', "bom.yaml")
    assert isinstance(doc, Document)
    assert doc.syntax == "yaml"
