"""SPDX 2.2/2.3 XML -> the shape of SPDX 2.x JSON, recording each element's line.

SPDX 2's XML serialization (the spec's SPDXXMLExample-v2.3.spdx.xml) is its JSON written
as elements: the root ``<Document>`` is the JSON object, each child element is a member
named as in JSON, an element with children is an object, one with only text a string,
and a list is the same element repeated (``<packages>…</packages><packages>…``). A
member is a list when the SPDX 2.3 JSON schema says so, even when it occurs once;
the few booleans and integers of the schema are converted. Namespaces are ignored
(the examples have none). Like CycloneDX XML, the document has passed the safe lxml
parse in xmlfile.py first.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from procgate.load.marks import MarkLocator

# Members whose JSON form is an array, from the SPDX 2.3 JSON schema (a test checks this
# against the official schema in tests/data/conformance/spdx-2.3-schema.json).
ARRAYS = frozenset(
    (
        "annotations",
        "artifactOfs",
        "attributionTexts",
        "checksums",
        "creators",
        "crossRefs",
        "documentDescribes",
        "externalDocumentRefs",
        "externalRefs",
        "fileContributors",
        "fileDependencies",
        "fileTypes",
        "files",
        "hasExtractedLicensingInfos",
        "hasFiles",
        "licenseInfoFromFiles",
        "licenseInfoInFiles",
        "licenseInfoInSnippets",
        "packageVerificationCodeExcludedFiles",
        "packages",
        "ranges",
        "relationships",
        "revieweds",
        "seeAlsos",
        "snippets",
    )
)
BOOLEANS = frozenset(("filesAnalyzed", "isLive", "isValid", "isWayBackLink"))
INTEGERS = frozenset(("offset", "lineNumber", "order"))
_ROOTS = frozenset(("Document", "SpdxDocument"))


def is_spdx(root: Any) -> bool:
    """A ``<Document>`` whose ``spdxVersion`` child says SPDX-2."""
    if not isinstance(root.tag, str) or etree.QName(root).localname not in _ROOTS:
        return False
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname == "spdxVersion":
            return (child.text or "").strip().upper().startswith("SPDX-2")
    return False


def convert(root: Any) -> tuple[dict[str, Any], MarkLocator]:
    data: dict[str, Any] = {}
    locator = MarkLocator(data, (root.sourceline or 1, 0))
    _members(root, data, locator)
    return data, locator


def _members(element: Any, into: dict[str, Any], locator: MarkLocator) -> None:
    """Child elements as members of `into`; a member repeated although its JSON form is
    one value becomes a list too, so that the schema reports it instead of one copy
    silently winning."""
    first_line: dict[str, int] = {}
    for child in element:
        if not isinstance(child.tag, str):  # comments and processing instructions
            continue
        key = etree.QName(child).localname
        value = _value(key, child, locator)
        line = child.sourceline or 0
        if key not in into:
            if key in ARRAYS:
                into[key] = []
            else:
                into[key] = value
                first_line[key] = line
                locator.mark(into, key, line, 0)
                continue
            locator.mark(into, key, line, 0)
        elif key not in ARRAYS and key in first_line:  # a single member, repeated
            into[key] = [into[key]]
            locator.mark(into[key], 0, first_line.pop(key), 0)
        items = into[key]
        locator.mark(items, len(items), line, 0)
        items.append(value)


def _value(key: str, element: Any, locator: MarkLocator) -> Any:
    if any(isinstance(c.tag, str) for c in element):
        result: dict[str, Any] = {}
        _members(element, result, locator)
        return result
    text = (element.text or "").strip()
    if key in BOOLEANS and text in ("true", "false"):
        return text == "true"
    if key in INTEGERS and text.isdigit():
        return int(text)
    return text
