"""CycloneDX XML read in one streaming pass (XSD checked while parsing, top-level items
freed as they are read) gives exactly what the whole-tree reading gives: the same data,
the same position for every value, and the same findings; anything the streaming pass
does not settle is read the whole-tree way (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from corpus_manifest import CORPUS
from lxml import etree

from procgate import rules
from procgate.load import cyclonedx_xml, load_bytes, xmlfile
from procgate.model import Document, Finding
from procgate.validate import validate
from procgate.validate.cyclonedx import XsdValid

NS = "http://cyclonedx.org/schema/bom/1.5"


def _pointers(value: Any, pointer: str = "") -> Iterator[str]:
    yield pointer
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _pointers(item, f"{pointer}/{i}")


def _same_as_the_tree(content: bytes) -> Document:
    """Load `content` (streamed) and compare it with the whole-tree conversion."""
    doc = load_bytes(content, "bom.xml")
    assert isinstance(doc, Document)
    assert doc.source == XsdValid(doc.spec_version), "valid CycloneDX XML is streamed"
    tree_data, tree_locator = cyclonedx_xml.convert(xmlfile._tree(content).getroot())
    assert doc.data == tree_data
    assert doc.locator is not None
    for pointer in _pointers(doc.data):
        assert doc.locator(pointer)[0] == tree_locator(pointer)[0], pointer
    return doc


@pytest.mark.parametrize(
    "name",
    [
        "cyclonedx-xml/laravel-7.12.0_cyclonedx-php-composer_cdx1.3.xml",
        "cyclonedx-xml/poetry-issue702_cyclonedx-py_cdx1.6.xml",
        "cyclonedx-xml/ruby-slim-bullseye-image_syft-0.78.0_cdx1.4.xml",
        "cyclonedx-xml/dropwizard-1.3.15_cyclonedx-maven-plugin_cdx1.2.xml",
        "cyclonedx-xml/laravel-7.12.0_cyclonedx-php-composer_cdx1.1.xml",
    ],
)
def test_real_sboms_stream_to_the_same_data_and_positions(name: str) -> None:
    _same_as_the_tree((CORPUS / name).read_bytes())


def _component(i: int, supplier: str, nested: str = "") -> str:
    return (
        f'    <component type="library" bom-ref="c{i}">\n'
        f"      <supplier><name>{supplier}</name></supplier>\n"
        f"      <name>lib-{i}</name>\n"
        f"      <version>1.0</version>\n"
        f'      <hashes><hash alg="SHA-256">{i:064x}</hash></hashes>\n'
        f"      <licenses><license><id>MIT</id></license></licenses>\n"
        f"{nested}"
        f"    </component>\n"
    )


def _bom(components: str, after: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bom xmlns="{NS}" version="1">\n'
        f"  <components>\n{components}  </components>\n{after}</bom>\n"
    ).encode()


def test_lines_past_65535_are_those_of_the_tree() -> None:
    """libxml2 finds the line of an element past line 65,535 through its children; the
    streaming pass frees a top-level component's children, so it keeps its line first.
    The banned supplier sits past line 70,000: its finding must say where."""
    components = "".join(
        _component(i, "AO Kaspersky Lab" if i == 20 else "Acme") for i in range(21)
    )
    dependencies = "".join(
        f'    <dependency ref="c{i}"><dependency ref="c{i + 1}"/></dependency>\n' for i in range(20)
    )
    padding = "  <!--" + "\n" * 70_000 + "-->\n"
    content = _bom(components, f"  <dependencies>\n{dependencies}  </dependencies>\n")
    content = content.replace(b"  <components>", padding.encode() + b"  <components>", 1)
    doc = _same_as_the_tree(content)
    supplier_line = content[: content.index(b"AO Kaspersky Lab")].count(b"\n") + 1
    assert supplier_line > 70_000
    assert doc.position("/components/20/supplier/name").line == supplier_line
    # An empty element past line 65,535 has no line libxml2 can find (it says 65,535),
    # in both passes alike: <dependency ref="c1"/> here.
    assert doc.position("/dependencies/0/dependsOn/0").line == 65_535


def test_nested_components_and_extensions_stream_like_the_tree() -> None:
    """A vendor hidden one level down (a component inside a component) or beside an
    extension element is read as the tree reads it."""
    nested = (
        "      <components>\n"
        + _component(99, "AO Kaspersky Lab").replace("    <", "        <")
        + "      </components>\n"
    )
    extension = '      <x:note xmlns:x="urn:example"><name>AO Kaspersky Lab</name></x:note>\n'
    content = _bom(_component(1, "Acme", nested) + _component(2, "Acme", extension))
    doc = _same_as_the_tree(content)
    assert doc.data["components"][0]["components"][0]["supplier"] == {"name": "AO Kaspersky Lab"}
    assert "note" not in doc.data["components"][1]  # no JSON form, as in the tree pass


def _only(found: Document | Finding | None) -> Finding:
    assert isinstance(found, Finding), found
    return found


def test_a_dtd_in_valid_cyclonedx_is_still_refused() -> None:
    """Entities are refused whatever else the file is: the streaming pass leaves a file
    with a DTD to the whole-tree pass, which refuses it (parse.limit)."""
    content = _bom(_component(1, "&vendor;")).replace(
        b"?>\n", b'?>\n<!DOCTYPE bom [<!ENTITY vendor "AO Kaspersky Lab">]>\n', 1
    )
    finding = _only(load_bytes(content, "bom.xml"))
    assert finding.rule == rules.PARSE_LIMIT
    assert "entities" in finding.message


def test_an_invalid_file_is_read_whole_and_every_error_reported() -> None:
    """The streaming pass stops at the first schema error; the whole-tree pass lists
    them all with their lines."""
    content = _bom(_component(1, "Acme") + _component(2, "Acme")).replace(
        b'type="library"', b'type="libary"'
    )
    doc = load_bytes(content, "bom.xml")
    assert isinstance(doc, Document)
    assert isinstance(doc.source, etree._ElementTree)
    findings = validate(doc)
    lines = [f.position.line for f in findings]
    assert lines == [4, 11]
    assert all("libary" in f.message for f in findings)


def test_duplicate_bom_refs_are_an_error_found_at_the_end() -> None:
    """xs:unique on bom-ref is only decided at the end of the document, after the
    items were converted and freed: the file must still be reported invalid."""
    content = _bom(_component(1, "Acme") + _component(1, "Acme"))
    doc = load_bytes(content, "bom.xml")
    assert isinstance(doc, Document)
    assert not isinstance(doc.source, XsdValid)
    assert validate(doc) != []


@pytest.mark.parametrize(
    "content",
    [
        b"<a>\n  <b/>\n\t\t<c/>\n</a>",
        b"<a>\r\n  <b/>\r\n   \r\n <c/></a>",  # Windows line ends, a blank line
        b"\xef\xbb\xbf  <a>\n <b/></a>",  # byte-order mark
        "<a>\n\u2003 <b/>\n\u00a0<c/>\n</a>".encode(),  # Unicode blanks count as blank
        b"<a>\rb\n <c/></a>",  # a lone CR is a line end for splitlines()
        b"<a>\x0cb\n <c/></a>",
        "<a>\u2028 <b/>\n  <c/></a>".encode(),
        b" \xff\xfe\n  <z/>",  # undecodable bytes
        "  <a>\n\u3000<b/>\n</a>".encode("utf-16"),
    ],
)
def test_columns_are_the_first_non_blank_of_the_line(content: bytes) -> None:
    """A finding's column in XML is where its line's text starts, lines as
    str.splitlines() splits the decoded file (the fast byte index must agree)."""
    from procgate.load.source import encoding_of

    codec, bom = encoding_of(content)
    lines = content[bom:].decode(codec, errors="replace").splitlines()
    expected = [len(t) - len(t.lstrip()) + 1 for t in lines]
    column = xmlfile._columns(content)
    assert [column(n) for n in range(1, len(lines) + 1)] == expected
    assert column(0) == column(len(lines) + 5) == 1
