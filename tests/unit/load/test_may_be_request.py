"""may_be_request: a folder check reads its requests first, and must not read every big SBOM
in full to find them. The head settles it when it can; the answer is never "no" for a file
that loads as a purchase request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from procgate.load import load, may_be_request
from procgate.model import Document, Kind

FILLER = [{"name": f"part-{i}", "version": "1.0"} for i in range(2000)]  # ~60 KB of JSON


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _is_request(path: Path) -> bool:
    doc = load(path, path.name)
    return isinstance(doc, Document) and doc.kind is Kind.PURCHASE_REQUEST


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # The word far beyond the head of a CycloneDX file: the head says CycloneDX, which
        # kinds.detect prefers to `kind:`, so the tail is never read.
        (
            "bom.json",
            json.dumps(
                {
                    "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
                    "bomFormat": "CycloneDX",
                    "specVersion": "1.5",
                    "components": FILLER,
                    "kind": "PurchaseRequest",
                }
            ),
            False,
        ),
        (
            "spdx.json",
            json.dumps(
                {"SPDXID": "SPDXRef-DOCUMENT", "spdxVersion": "SPDX-2.3", "packages": FILLER}
            ),
            False,
        ),
        (
            "bom.xml",
            '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5"/>',
            False,
        ),
        # A request whose `kind` comes after 60 KB of items: the head does not settle it,
        # the whole file is scanned.
        (
            "late.json",
            json.dumps(
                {
                    "items": [{"description": f"x{i}", "quantity": 1} for i in range(2000)],
                    "apiVersion": "procgate/v1",
                    "kind": "PurchaseRequest",
                }
            ),
            True,
        ),
        # `bomFormat` nested in an item is not the document's: no shortcut taken.
        (
            "nested.json",
            json.dumps(
                {
                    "items": [{"bomFormat": "CycloneDX"}, *FILLER],
                    "apiVersion": "procgate/v1",
                    "kind": "PurchaseRequest",
                }
            ),
            True,
        ),
        ("small.yaml", "apiVersion: procgate/v1\nkind: PurchaseRequest\n", True),
        ("other.yaml", "name: not ours\n" * 10, False),
    ],
)
def test_the_answer(tmp_path: Path, name: str, text: str, expected: bool) -> None:
    path = _write(tmp_path, name, text)
    assert may_be_request(path) is expected
    if _is_request(path):  # never "no" for a request
        assert may_be_request(path)


def test_a_cyclonedx_head_is_enough(tmp_path: Path) -> None:
    """Bytes after the head are not read: a CycloneDX file whose tail is not even UTF-8."""
    head = b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ['
    path = tmp_path / "bom.json"
    path.write_bytes(head + b" " * 10_000 + b"\xff\xfe PurchaseRequest")
    assert may_be_request(path) is False
