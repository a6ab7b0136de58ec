"""SPDX 2.x tag-value -> the shape of SPDX 2.x JSON, with the line of every tag.

procgate reads tag-value itself instead of through spdx-tools: spdx-tools 0.8.5 rejects
real, valid files (originators without "Person:"/"Organization:", fractional seconds)
and keeps no line numbers. A tag procgate does not know is kept under its own name in
the element it appeared in, so the SPDX schema check reports it ("unknown field
'PackageSuplier'") instead of a typo hiding a supplier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from procgate import rules
from procgate.load.marks import MarkLocator
from procgate.load.source import LoadProblem

_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):[ \t]?(.*)")
_CHECKSUM = re.compile(r"([A-Za-z0-9-]+):\s*(\S+)")

Value = Any
Convert = Callable[[str], Value]

# tag -> (element it belongs to, JSON key, conversion, repeats)
_SECTION_TAGS = {
    "PackageName": "package",
    "FileName": "file",
    "SnippetSPDXID": "snippet",
    "LicenseID": "license",
    "Annotator": "annotation",
    "Reviewer": "review",
}


def _checksum(value: str) -> dict[str, str]:
    m = _CHECKSUM.fullmatch(value.strip())
    if not m:
        return {"algorithm": "", "checksumValue": value.strip()}
    return {"algorithm": m.group(1), "checksumValue": m.group(2)}


def _external_ref(value: str) -> dict[str, str]:
    parts = value.split(None, 2)
    parts += [""] * (3 - len(parts))
    return {"referenceCategory": parts[0], "referenceType": parts[1], "referenceLocator": parts[2]}


def _verification_code(value: str) -> dict[str, Any]:
    code, _, rest = value.partition("(")
    result: dict[str, Any] = {"packageVerificationCodeValue": code.strip()}
    if rest:
        excluded = rest.rstrip(") \t").split(":", 1)[-1]
        result["packageVerificationCodeExcludedFiles"] = [
            f.strip() for f in excluded.split(",") if f.strip()
        ]
    return result


def _document_ref(value: str) -> dict[str, Any]:
    parts = value.split(None, 2)
    parts += [""] * (3 - len(parts))
    return {
        "externalDocumentId": parts[0],
        "spdxDocument": parts[1],
        "checksum": _checksum(parts[2]),
    }


def _bool(value: str) -> Value:
    lowered = value.strip().lower()
    return {"true": True, "false": False}.get(lowered, value)


def _text(value: str) -> str:
    return value


_TAGS: dict[str, tuple[str, str, Convert, bool]] = {
    # document and creation info
    "SPDXVersion": ("document", "spdxVersion", _text, False),
    "DataLicense": ("document", "dataLicense", _text, False),
    "DocumentName": ("document", "name", _text, False),
    "DocumentNamespace": ("document", "documentNamespace", _text, False),
    "DocumentComment": ("document", "comment", _text, False),
    "ExternalDocumentRef": ("document", "externalDocumentRefs", _document_ref, True),
    "LicenseListVersion": ("creation", "licenseListVersion", _text, False),
    "Creator": ("creation", "creators", _text, True),
    "Created": ("creation", "created", _text, False),
    "CreatorComment": ("creation", "comment", _text, False),
    # packages
    "PackageName": ("package", "name", _text, False),
    "PackageVersion": ("package", "versionInfo", _text, False),
    "PackageFileName": ("package", "packageFileName", _text, False),
    "PackageSupplier": ("package", "supplier", _text, False),
    "PackageOriginator": ("package", "originator", _text, False),
    "PackageDownloadLocation": ("package", "downloadLocation", _text, False),
    "FilesAnalyzed": ("package", "filesAnalyzed", _bool, False),
    "PackageVerificationCode": ("package", "packageVerificationCode", _verification_code, False),
    "PackageChecksum": ("package", "checksums", _checksum, True),
    "PackageHomePage": ("package", "homepage", _text, False),
    "PackageSourceInfo": ("package", "sourceInfo", _text, False),
    "PackageLicenseConcluded": ("package", "licenseConcluded", _text, False),
    "PackageLicenseInfoFromFiles": ("package", "licenseInfoFromFiles", _text, True),
    "PackageLicenseDeclared": ("package", "licenseDeclared", _text, False),
    "PackageLicenseComments": ("package", "licenseComments", _text, False),
    "PackageCopyrightText": ("package", "copyrightText", _text, False),
    "PackageSummary": ("package", "summary", _text, False),
    "PackageDescription": ("package", "description", _text, False),
    "PackageComment": ("package", "comment", _text, False),
    "PackageAttributionText": ("package", "attributionTexts", _text, True),
    "ExternalRef": ("package", "externalRefs", _external_ref, True),
    "PrimaryPackagePurpose": ("package", "primaryPackagePurpose", _text, False),
    "ReleaseDate": ("package", "releaseDate", _text, False),
    "BuiltDate": ("package", "builtDate", _text, False),
    "ValidUntilDate": ("package", "validUntilDate", _text, False),
    # files
    "FileName": ("file", "fileName", _text, False),
    "FileType": ("file", "fileTypes", _text, True),
    "FileChecksum": ("file", "checksums", _checksum, True),
    "LicenseConcluded": ("file", "licenseConcluded", _text, False),
    "LicenseInfoInFile": ("file", "licenseInfoInFiles", _text, True),
    "LicenseComments": ("file", "licenseComments", _text, False),
    "FileCopyrightText": ("file", "copyrightText", _text, False),
    "FileComment": ("file", "comment", _text, False),
    "FileNotice": ("file", "noticeText", _text, False),
    "FileContributor": ("file", "fileContributors", _text, True),
    "FileAttributionText": ("file", "attributionTexts", _text, True),
    "FileDependency": ("file", "fileDependencies", _text, True),
    # snippets
    "SnippetSPDXID": ("snippet", "SPDXID", _text, False),
    "SnippetFromFileSPDXID": ("snippet", "snippetFromFile", _text, False),
    "SnippetName": ("snippet", "name", _text, False),
    "SnippetLicenseConcluded": ("snippet", "licenseConcluded", _text, False),
    "LicenseInfoInSnippet": ("snippet", "licenseInfoInSnippets", _text, True),
    "SnippetLicenseComments": ("snippet", "licenseComments", _text, False),
    "SnippetCopyrightText": ("snippet", "copyrightText", _text, False),
    "SnippetComment": ("snippet", "comment", _text, False),
    "SnippetAttributionText": ("snippet", "attributionTexts", _text, True),
    # other licensing information
    "LicenseID": ("license", "licenseId", _text, False),
    "ExtractedText": ("license", "extractedText", _text, False),
    "LicenseName": ("license", "name", _text, False),
    "LicenseCrossReference": ("license", "seeAlsos", _text, True),
    "LicenseComment": ("license", "comment", _text, False),
    # annotations and (deprecated) reviews
    "Annotator": ("annotation", "annotator", _text, False),
    "AnnotationDate": ("annotation", "annotationDate", _text, False),
    "AnnotationType": ("annotation", "annotationType", _text, False),
    "AnnotationComment": ("annotation", "comment", _text, False),
    "Reviewer": ("review", "reviewer", _text, False),
    "ReviewDate": ("review", "reviewDate", _text, False),
    "ReviewComment": ("review", "comment", _text, False),
}

# JSON array each new element goes into.
_LISTS = {
    "package": "packages",
    "file": "files",
    "snippet": "snippets",
    "license": "hasExtractedLicensingInfos",
    "review": "revieweds",
}


def parse(text: str) -> tuple[dict[str, Any], MarkLocator]:
    doc: dict[str, Any] = {}
    locator = MarkLocator(doc, (1, 1))
    reader = _Reader(doc, locator)
    for line, tag, value in _lines(text):
        reader.tag(line, tag, value)
    reader.finish()
    if "spdxVersion" not in doc:
        raise LoadProblem(rules.PARSE_ERROR, "SPDX tag-value file without an SPDXVersion: tag")
    return doc, locator


def _lines(text: str) -> list[tuple[int, str, str]]:
    """(line, tag, value) triples; a <text>…</text> value may span lines."""
    out: list[tuple[int, str, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        i += 1
        if not stripped or stripped.startswith("#"):
            continue
        m = _LINE.match(stripped)
        if not m:
            raise LoadProblem(
                rules.PARSE_ERROR,
                f"invalid SPDX tag-value line {stripped[:60]!r}: expected 'Tag: value'",
                i,
                1,
            )
        start, tag, value = i, m.group(1), m.group(2)
        if value.lstrip().startswith("<text>"):
            value = value.lstrip()[len("<text>") :]
            parts = []
            while "</text>" not in value:
                parts.append(value)
                if i >= len(lines):
                    raise LoadProblem(
                        rules.PARSE_ERROR, f"<text> of {tag} is never closed with </text>", start, 1
                    )
                value = lines[i]
                i += 1
            parts.append(value[: value.index("</text>")])
            value = "\n".join(parts)
        else:
            value = value.strip()
        out.append((start, tag, value))
    return out


class _Reader:
    """Follows which package, file, snippet, licence or annotation a tag belongs to."""

    def __init__(self, doc: dict[str, Any], locator: MarkLocator) -> None:
        self.doc = doc
        self.marks = locator
        self.current: dict[str, Any] = doc  # element that SPDXID and unknown tags go to
        self.last: dict[str, dict[str, Any]] = {}
        self.annotations: list[tuple[dict[str, Any], int]] = []
        self.relationship: dict[str, Any] | None = None
        self.external_ref: dict[str, Any] | None = None
        self.lines: dict[tuple[int, str], int] = {}  # (element id, key) -> line it was set

    def tag(self, line: int, tag: str, value: str) -> None:
        if tag == "SPDXID":
            self._once(self.current, "SPDXID", tag, line)
            self._set(self.current, "SPDXID", value, line)
        elif tag == "Relationship":
            self._relationship(line, value)
        elif tag == "RelationshipComment" and self.relationship is not None:
            self._set(self.relationship, "comment", value, line)
        elif tag == "ExternalRefComment" and self.external_ref is not None:
            self._set(self.external_ref, "comment", value, line)
        elif tag == "SPDXREF" and "annotation" in self.last:
            self.last["annotation"]["_target"] = value
        elif tag in ("SnippetByteRange", "SnippetLineRange") and "snippet" in self.last:
            self._range(line, tag, value)
        elif tag in _TAGS:
            self._known(line, tag, value)
        else:
            self._set(self.current, tag, value, line)  # unknown: the schema check names it

    def _known(self, line: int, tag: str, value: str) -> None:
        section, key, convert, repeats = _TAGS[tag]
        element: dict[str, Any] | None
        if tag in _SECTION_TAGS:
            element = self._start(section, line)
        elif section == "document":
            element = self.doc
        elif section == "creation":
            element = self.doc.get("creationInfo")
            if element is None:
                element = self._set(self.doc, "creationInfo", {}, line)
        else:
            element = self.last.get(section)
            if element is None:  # e.g. FileType before any FileName: keep it visible
                self._set(self.current, tag, value, line)
                return
        converted = convert(value)
        if repeats:
            items = element.get(key)
            if not isinstance(items, list):
                items = self._set(element, key, [], line)
            self.marks.mark(items, len(items), line)
            items.append(converted)
            if tag == "ExternalRef":
                self.external_ref = converted
        else:
            self._once(element, key, tag, line)
            self._set(element, key, converted, line)

    def _once(self, element: dict[str, Any], key: str, tag: str, line: int) -> None:
        """A tag that holds one value, given twice for one element: only one would count
        (a second PackageSupplier: could hide the first), so the file is refused."""
        if key in element:
            first = self.lines.get((id(element), key), 0)
            raise LoadProblem(
                rules.PARSE_ERROR,
                f"{tag}: given twice for one element (first at line {first}): only one of "
                "them would count",
                line,
                1,
            )

    def _start(self, section: str, line: int) -> dict[str, Any]:
        element: dict[str, Any] = {}
        if section == "annotation":
            self.annotations.append((element, line))
        else:
            items = self.doc.setdefault(_LISTS[section], [])
            if len(items) == 0:
                self.marks.mark(self.doc, _LISTS[section], line)
            self.marks.mark(items, len(items), line)
            items.append(element)
            if section in ("package", "file", "snippet"):
                self.current = element
        self.last[section] = element
        return element

    def _set(self, element: dict[str, Any], key: str, value: Any, line: int) -> Any:
        element[key] = value
        self.lines[(id(element), key)] = line
        self.marks.mark(element, key, line)
        return value

    def _relationship(self, line: int, value: str) -> None:
        parts = value.split(None, 2)
        parts += [""] * (3 - len(parts))
        rel = {
            "spdxElementId": parts[0],
            "relationshipType": parts[1],
            "relatedSpdxElement": parts[2],
        }
        items = self.doc.setdefault("relationships", [])
        if not items:
            self.marks.mark(self.doc, "relationships", line)
        self.marks.mark(items, len(items), line)
        items.append(rel)
        self.relationship = rel

    def _range(self, line: int, tag: str, value: str) -> None:
        snippet = self.last["snippet"]
        unit = "offset" if tag == "SnippetByteRange" else "lineNumber"
        start, _, end = value.partition(":")
        ranges = snippet.get("ranges")
        if not isinstance(ranges, list):
            ranges = self._set(snippet, "ranges", [], line)
        self.marks.mark(ranges, len(ranges), line)
        ranges.append({"startPointer": {unit: _int(start)}, "endPointer": {unit: _int(end)}})

    def finish(self) -> None:
        """Snippet ranges name their file; annotations move to the element they annotate."""
        for snippet in self.doc.get("snippets", []):
            for r in snippet.get("ranges", []):
                for pointer in r.values():
                    pointer["reference"] = snippet.get("snippetFromFile", "")
        by_id = {
            e.get("SPDXID"): e
            for key in ("packages", "files", "snippets")
            for e in self.doc.get(key, [])
        }
        by_id[self.doc.get("SPDXID")] = self.doc
        for annotation, line in self.annotations:
            target = by_id.get(annotation.pop("_target", None), self.doc)
            items = target.get("annotations")
            if not isinstance(items, list):
                items = self._set(target, "annotations", [], line)
            self.marks.mark(items, len(items), line)
            items.append(annotation)


def _int(value: str) -> Value:
    value = value.strip()
    return int(value) if value.isdigit() else value
