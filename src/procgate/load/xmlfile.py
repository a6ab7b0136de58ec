"""XML, safely: lxml without entity resolution, DTD loading, network or huge trees.

A document that declares entities is refused outright (parse.limit): CycloneDX and
SPDX never need them, and they are how XML bombs and external-entity reads work.

CycloneDX XML of a spec version with a shipped XSD is read in one streaming pass
(cyclonedx_xml.stream): libxml2 checks the XSD while it parses, and each item of the
top-level lists is converted and freed as soon as its end tag is read, so the whole lxml
tree never exists. Anything that pass does not settle (a schema error, a DTD, malformed
XML, an unknown version) is read again the whole-tree way below, whose findings and
messages are the reference: the streaming pass only ever answers for a valid document.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from lxml import etree

from procgate import gcpause, rules
from procgate.load import cyclonedx_xml, spdx_rdf, spdx_xml
from procgate.load.marks import MarkLocator
from procgate.load.source import MAX_DEPTH, LoadProblem, encoding_of
from procgate.model import Kind
from procgate.validate.cyclonedx import XsdValid, xml_schema

_CYCLONEDX_NS = "http://cyclonedx.org/schema/bom/"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_ENTITIES = (
    "XML declares entities (<!ENTITY>): refused, since entities can expand without bound "
    "or read local files; SBOMs never need them"
)


@dataclass
class XmlDocument:
    kind: Kind
    spec_version: str
    data: Any
    locator: MarkLocator
    # The lxml tree, for the XSD check; or XsdValid when the streaming pass checked it.
    source: Any


# One set of parser options for both passes.
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,  # keeps libxml2's depth (256) and text-size limits
    "remove_comments": True,
    "remove_pis": True,
}


def parse(content: bytes) -> XmlDocument | None:
    """The converted document; None for well-formed XML of another kind."""
    streamed = _streamed(content)
    if streamed is not None:
        return streamed
    tree = _tree(content)
    root = tree.getroot()
    namespace = etree.QName(root).namespace or ""
    with gcpause.bulk():
        if namespace.startswith(_CYCLONEDX_NS):
            version = namespace[len(_CYCLONEDX_NS) :]
            data, locator = cyclonedx_xml.convert(root)
            locator.column_of = _columns(content)
            return XmlDocument(Kind.CYCLONEDX, version, data, locator, tree)
        if spdx_xml.is_spdx(root):  # SPDX 2.2/2.3 XML: <Document><spdxVersion>SPDX-2.3…
            data, locator = spdx_xml.convert(root)
            locator.column_of = _columns(content)
            return XmlDocument(Kind.SPDX2, str(data.get("spdxVersion", "")), data, locator, tree)
        if root.tag == _RDF and spdx_rdf.is_spdx(root):
            data, locator = spdx_rdf.convert(content, root)
            locator.column_of = _columns(content)
            return XmlDocument(Kind.SPDX2, str(data.get("spdxVersion", "")), data, locator, tree)
    return None


def _streamed(content: bytes) -> XmlDocument | None:
    """CycloneDX XML valid for its version's XSD, read in one streaming pass; None when
    the document is anything else (the whole-tree pass then reads and reports it)."""
    namespace = _root_namespace(content)
    if namespace is None or not namespace.startswith(_CYCLONEDX_NS):
        return None
    version = namespace[len(_CYCLONEDX_NS) :]
    schema = xml_schema(version)
    if schema is None:
        return None
    try:
        with gcpause.bulk():
            streamed = cyclonedx_xml.stream(content, namespace, schema, PARSER_OPTIONS)
    except etree.XMLSyntaxError:  # malformed or invalid: the tree pass says where and why
        return None
    if streamed is None:
        return None
    data, locator = streamed
    locator.column_of = _columns(content)
    return XmlDocument(Kind.CYCLONEDX, version, data, locator, XsdValid(version))


def _root_namespace(content: bytes) -> str | None:
    """The root element's namespace, read by libxml2 up to the root's start tag; None
    when the file has a DTD (entities are the tree pass's to refuse) or no root."""
    parser: Any = etree.XMLPullParser(events=("start",), **PARSER_OPTIONS)
    try:
        for at in range(0, len(content), 65536):
            parser.feed(content[at : at + 65536])
            for _, element in parser.read_events():
                if element.getroottree().docinfo.internalDTD is not None:
                    return None
                return etree.QName(element).namespace or ""
    except etree.XMLSyntaxError:
        return None
    return None


def _tree(content: bytes) -> Any:
    parser = etree.XMLParser(**PARSER_OPTIONS)
    try:
        tree = etree.ElementTree(etree.fromstring(content, parser))
    except etree.XMLSyntaxError as e:
        line, column = e.position if e.position else (e.lineno or 1, 1)
        message = str(e.msg or e)
        if "depth" in message.lower() or "huge" in message.lower():
            raise LoadProblem(
                rules.PARSE_LIMIT, f"XML is nested more than {MAX_DEPTH} levels deep", line, column
            ) from e
        if "entit" in message.lower():  # libxml2 refused an entity bomb before we could
            raise LoadProblem(rules.PARSE_LIMIT, _ENTITIES, _doctype_line(content), 1) from e
        raise LoadProblem(rules.PARSE_ERROR, f"invalid XML: {message}", line, max(column, 1)) from e
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):  # type: ignore[attr-defined]
        raise LoadProblem(rules.PARSE_LIMIT, _ENTITIES, _doctype_line(content), 1)
    return tree


def _doctype_line(content: bytes) -> int:
    at = content.find(b"<!DOCTYPE")
    return content.count(b"\n", 0, at) + 1 if at >= 0 else 1


# Line breaks of str.splitlines() other than "\n" and "\r\n", as UTF-8 bytes ("\r" alone
# is checked by counting).
_OTHER_BREAKS = (
    b"\x0b",
    b"\x0c",
    b"\x1c",
    b"\x1d",
    b"\x1e",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xa9",
)
_CHUNK = 4096


def _columns(content: bytes) -> Any:
    """Line -> column of its first non-blank character, computed when first asked.

    UTF-8 with "\n" or "\r\n" line ends (nearly every file): the number of lines before
    each 4 KiB chunk (bytes.count, at C speed), and only the asked line found and decoded
    (a 67 MB file's 1.1M lines as strings took ~200 MB). Other files: the whole text,
    split as str.splitlines() splits it."""
    before: list[int] = []  # newlines before each chunk
    lines: list[str] = []
    codec, bom = encoding_of(content)

    def simple() -> bool:
        if codec != "utf-8" or any(b in content for b in _OTHER_BREAKS):
            return False
        return content.count(b"\r") == content.count(b"\r\n")

    def start_of(line: int) -> int | None:
        """Offset where `line` starts: after newline number line - 1; None past the end."""
        skip = line - 1
        if skip == 0:
            return bom
        chunk = bisect_left(before, skip) - 1  # the chunk holding newline number `skip`
        offset = bom + chunk * _CHUNK
        for _ in range(skip - before[chunk]):
            found = content.find(b"\n", offset)
            if found < 0:
                return None
            offset = found + 1
        return offset

    def column(line: int) -> int:
        if not before and not lines:
            if simple():
                count = 0
                for at in range(bom, len(content) + 1, _CHUNK):
                    before.append(count)
                    count += content.count(b"\n", at, at + _CHUNK)
            else:
                lines.extend(content[bom:].decode(codec, errors="replace").splitlines())
        if before:
            start = start_of(line) if line > 0 else None
            if start is None:
                return 1
            end = content.find(b"\n", start)
            text = content[start : end if end >= 0 else len(content)].decode(codec, "replace")
            text = text[:-1] if text.endswith("\r") else text  # "\r\n" ends a line too
        elif 0 < line <= len(lines):
            text = lines[line - 1]
        else:
            return 1
        return len(text) - len(text.lstrip()) + 1

    return column
