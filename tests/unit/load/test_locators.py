"""JSON pointer -> exact line (and column) for every syntax."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_manifest import CORPUS

from procgate.load import load, load_bytes
from procgate.model import Document

DATA = Path(__file__).resolve().parents[2] / "data"

JSON = b"""{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "metadata": {"component": {"name": "app"}},
  "components": [
    {"type": "library", "name": "a"},
    {
      "type": "library",
      "name": "b",
      "supplier": {"name": "Acme \\"Q\\" Corp", "url": ["https://acme.example"]},
      "a/b~c": 1
    }
  ]
}
"""


def _doc(content: bytes, name: str) -> Document:
    doc = load_bytes(content, name)
    assert isinstance(doc, Document), doc
    return doc


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("", (1, 1)),
        ("/specVersion", (3, 3)),
        ("/metadata/component/name", (4, 30)),
        ("/components", (5, 3)),
        ("/components/0", (6, 5)),
        ("/components/1/name", (9, 7)),
        ("/components/1/supplier/name", (10, 20)),
        ("/components/1/supplier/url/0", (10, 55)),
        ("/components/1/a~1b~0c", (11, 7)),
        # not in the document: the nearest parent that is
        ("/components/7/name", (5, 3)),
        ("/components/1/licenses/0", (7, 5)),
    ],
)
def test_json(pointer: str, position: tuple[int, int]) -> None:
    assert _doc(JSON, "bom.json").locator(pointer) == position  # type: ignore[misc]


def test_json_with_bom_and_utf16() -> None:
    for content in (b"\xef\xbb\xbf" + JSON, JSON.decode().encode("utf-16")):
        doc = _doc(content, "bom.json")
        assert doc.position("/components/1/name").line == 9


def test_json_positions_cost_nothing_until_asked() -> None:
    doc = _doc(JSON, "bom.json")
    assert doc.locator is not None
    assert doc.locator._lines is None  # type: ignore[attr-defined]
    doc.position("/components/0")
    assert doc.locator._lines is not None  # type: ignore[attr-defined]


def test_yaml() -> None:
    doc = load(DATA / "purchase-requests" / "clean.yaml")
    assert isinstance(doc, Document)
    assert doc.locator is not None
    assert doc.locator("/vendor") == (12, 1)
    assert doc.locator("/vendor/name") == (13, 3)
    assert doc.locator("/items/0") == (17, 5)
    assert doc.locator("/items/0/manufacturer/name") == (21, 7)
    assert doc.locator("/items/0/unit_price/currency") == (25, 35)
    assert doc.locator("/use/0") == (26, 7)
    assert doc.locator("/items/3/brand") == (16, 1)  # no such item: the items key


def test_yaml_merge_keys() -> None:
    content = b"base: &base\n  name: Acme\nvendor:\n  <<: *base\n  country: US\n"
    doc = load_bytes(b"apiVersion: procgate/v1\nkind: PurchaseRequest\n" + content, "pr.yaml")
    assert isinstance(doc, Document)
    assert doc.data["vendor"] == {"name": "Acme", "country": "US"}
    assert doc.position("/vendor/name").line == 4  # the name as written under base:
    assert doc.position("/vendor/country").line == 7


def test_cyclonedx_xml() -> None:
    doc = load(CORPUS / "cyclonedx-xml/ruby-slim-bullseye-image_syft-0.78.0_cdx1.4.xml")
    assert isinstance(doc, Document)
    assert doc.position("/metadata/component").line == 12
    assert doc.position("/components/0").line == 18
    assert (
        doc.position("/components/0/author").line,
        doc.position("/components/0/author").column,
    ) == (19, 7)
    assert doc.position("/components/1/publisher").line == 52
    assert doc.position("/components/1/licenses/0/license/id").line > 52


def test_spdx_tag_value() -> None:
    doc = load(CORPUS / "spdx-tv/spdx-spec-full-example_spdx2.3.spdx")
    assert isinstance(doc, Document)
    assert doc.position("/packages/0").line == 71
    assert doc.position("/packages/0/supplier").line == 75
    assert doc.position("/packages/0/externalRefs/0").line == 100
    assert doc.position("/packages/0/externalRefs/1/comment").line == 102
    assert doc.position("/relationships/0").line == 36
    assert doc.position("/spdxVersion").line == 1


def test_spdx_rdf_positions_are_the_elements_of_each_package() -> None:
    doc = load(CORPUS / "spdx-rdf/spdx-spec-full-example_spdx2.3.spdx.rdf.xml")
    assert isinstance(doc, Document)
    glibc = next(i for i, p in enumerate(doc.data["packages"]) if p["SPDXID"] == "SPDXRef-Package")
    assert doc.position(f"/packages/{glibc}/supplier").line == 1975


def test_json_locator_finds_repeated_string_values_by_rank() -> None:
    """The fast path: a string value that occurs several times is found by its rank."""
    from procgate.load import load_bytes

    text = (
        '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [\n'
        '  {"type": "library", "name": "a", "supplier": {"name": "Acme"}},\n'
        '  {"type": "library", "name": "Acme"},\n'
        '  {"type": "library", "name": "b",\n'
        '   "supplier": {"name": "Acme"}}\n'
        "]}\n"
    )
    doc = load_bytes(text.encode(), "bom.json")
    assert doc.position("/components/0/supplier/name").line == 2
    assert doc.position("/components/1/name").line == 3
    pos = doc.position("/components/2/supplier/name")
    assert (pos.line, pos.column) == (5, 17)
    assert doc.position("/components/2").line == 4  # not a string: the walk from the root


def test_json_string_that_looks_like_a_key_or_a_value() -> None:
    """A value whose text also occurs as a key, or inside a longer string, is still found
    where it is."""
    text = b'{"bomFormat": "CycloneDX", "v": ": ", "k": "v",\n "l": ["\\"v\\"", "v", {"v": "v"}]}'
    doc = _doc(text, "bom.json")
    assert doc.locator("/v") == (1, 28)  # type: ignore[misc]
    assert doc.locator("/l/1") == (2, 17)  # type: ignore[misc]
    assert doc.locator("/l/2/v") == (2, 23)  # type: ignore[misc]


def test_json_positions_of_many_pointers_at_once_are_those_of_one_by_one() -> None:
    """Document.locate (one pass in text order, for a run's findings) gives each pointer the
    position a look-up of its own gives, whatever order the pointers come in: escaped and
    look-alike keys, a non-ASCII line, missing pointers (their nearest parent)."""
    import random

    pointers = [
        "",
        "/specVersion",
        "/metadata/component/name",
        "/components/1/supplier/name",
        "/components/1/supplier/url/0",
        "/components/1/a~1b~0c",
        "/components/7/name",
        "/components/1/licenses/0",
        "/components/0",
        "/components/2/supplier/name",
    ]
    text = JSON.replace(b'"name": "a"}', '"name": "\u00e4\u00f6 \\"a\\""}'.encode()).replace(
        b"  ]\n", b'    ,{"type": "library", "name": "c", "supplier": {"name": "Acme"}}\n  ]\n'
    )
    single = {p: _doc(text, "bom.json").locator(p) for p in pointers}  # type: ignore[misc]
    assert single["/components/2/supplier/name"] == (13, 52)
    for seed in range(5):
        shuffled = pointers * 2
        random.Random(seed).shuffle(shuffled)
        doc = _doc(text, "bom.json")
        doc.locate(shuffled)
        at = {p: doc.position(p) for p in pointers}
        assert {p: (at[p].line, at[p].column) for p in pointers} == single
