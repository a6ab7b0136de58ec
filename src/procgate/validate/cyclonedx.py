"""CycloneDX against the official schemas that cyclonedx-python-lib ships.

JSON: jsonschema-rs, because python-jsonschema (what cyclonedx-python-lib's own
validator uses) does not finish on a 100k-component SBOM; jsonschema-rs takes about
0.1 s. The schemas refer to spdx.SNAPSHOT.schema.json, jsf-0.82.SNAPSHOT.schema.json and
cryptography-defs.SNAPSHOT.schema.json by URL; a Registry hands it the local copies
(there is no network).

Formats are asserted, as cyclonedx-python-lib's own validator does (python-jsonschema's
FORMAT_CHECKER): a ``timestamp`` of "yesterday" is an error, and the JSF signature schema
only works with them: its ``algorithm`` must match exactly one of a list of names or a
``uri``-format string, and without formats ``ES256`` fits both, so every signed BOM
failed. One leniency: ``iri-reference`` accepts URL templates (``/videos/{video_id}``,
``https://github.com/x/${project.artifactId}``) that real, valid SBOMs carry (cdxgen,
the Maven plugin); the rest of such a value must still be an IRI reference.

XML: the official XSD through lxml; its errors carry their own line numbers. The loader
checks a CycloneDX XML file against it while parsing (load/xmlfile.py) and hands over
XsdValid when the file passed; otherwise the lxml tree, checked here to list the errors.
Validators are compiled once per process and spec version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from procgate.model import Document
from procgate.validate.messages import Problem, from_rust

_BASE = "http://cyclonedx.org/schema/"
_SHARED = (
    "spdx.SNAPSHOT.schema.json",
    "jsf-0.82.SNAPSHOT.schema.json",
    "cryptography-defs.SNAPSHOT.schema.json",
)
_NAMESPACE = re.compile(r"\{http://cyclonedx\.org/schema/[^}]*\}")
_TEMPLATE = re.compile(r"\$?\{[^{}\s]*\}")
_IRI_REFERENCE = jsonschema_rs.validator_for({"format": "iri-reference"}, validate_formats=True)


def lenient_iri_reference(value: str) -> bool:
    """An IRI reference, where ``{name}`` / ``${name}`` template placeholders count as
    a path segment's text."""
    if "{" in value:
        value = _TEMPLATE.sub("x", value)
    return _IRI_REFERENCE.is_valid(value)


def _resources() -> Path:
    import cyclonedx.schema  # the package that ships the schemas

    return Path(cyclonedx.schema.__file__).parent / "_res"


@cache
def versions(suffix: str) -> tuple[str, ...]:
    """Spec versions with a shipped schema: suffix "schema.json" or "xsd". A document's
    specVersion is looked up here before it names a file: it is the author's text
    (``../x``, a 10 KB string) and must never become part of a path."""
    found = (p.name for p in _resources().glob(f"bom-*.SNAPSHOT.{suffix}"))
    return tuple(sorted(n.split("-")[1].split(".SNAPSHOT")[0] for n in found if "strict" not in n))


@cache
def _json_validators(version: str) -> tuple[Any, Any, dict[str, Any]] | None:
    """(strict, lenient, schema): formats checked by jsonschema-rs alone, and with the
    lenient iri-reference. The lenient one calls back into Python for every IRI (about
    5 µs each: +1.5 s on a 100k-component SBOM with two URLs per component), so it only
    explains a document the strict one rejected. Lenient accepts every string strict
    accepts, so a document valid for strict is valid for lenient."""
    if version not in versions("schema.json"):
        return None
    path = _resources() / f"bom-{version}.SNAPSHOT.schema.json"
    shared = [
        (_BASE + n, json.loads((_resources() / n).read_text(encoding="utf-8")))
        for n in _SHARED
        if (_resources() / n).is_file()
    ]
    schema = json.loads(path.read_text(encoding="utf-8"))
    registry = jsonschema_rs.Registry(shared)
    strict = jsonschema_rs.validator_for(schema, registry=registry, validate_formats=True)
    lenient = jsonschema_rs.validator_for(
        schema,
        registry=registry,
        validate_formats=True,
        formats={"iri-reference": lenient_iri_reference},
    )
    return strict, lenient, schema


@dataclass(frozen=True)
class XsdValid:
    """Document.source of CycloneDX XML that passed `version`'s XSD while it was parsed."""

    version: str


@cache
def xml_schema(version: str) -> Any:
    """The compiled XSD of a spec version; None when none is shipped for it."""
    if version not in versions("xsd"):
        return None
    path = _resources() / f"bom-{version}.SNAPSHOT.xsd"
    from lxml import etree  # only for XML documents

    return etree.XMLSchema(etree.parse(str(path)))


def validate(doc: Document) -> Iterator[Problem]:
    if doc.syntax == "xml":
        return _xml(doc)
    return _json(doc)


def _json(doc: Document) -> Iterator[Problem]:
    compiled = _json_validators(doc.spec_version) if doc.spec_version else None
    if compiled is None:
        yield _unknown_version(doc, versions("schema.json"), "/specVersion")
        return
    strict, lenient, schema = compiled
    if strict.is_valid(doc.data):
        return
    for error in lenient.iter_errors(doc.data):
        yield from from_rust(error, schema)


def _xml(doc: Document) -> Iterator[Problem]:
    if doc.source == XsdValid(doc.spec_version):
        return
    schema = xml_schema(doc.spec_version)
    if schema is None:
        yield _unknown_version(doc, versions("xsd"), "")
        return
    if schema.validate(doc.source):
        return
    for entry in schema.error_log:
        message = _NAMESPACE.sub("", entry.message)
        yield Problem("", message, line=entry.line or 1, column=max(entry.column, 0))


def _unknown_version(doc: Document, known: tuple[str, ...], pointer: str) -> Problem:
    found = doc.spec_version or "none"
    if len(found) > 40:
        found = found[:40] + "…"
    return Problem(
        pointer,
        f"CycloneDX specVersion {found!r} has no schema procgate knows "
        f"(known: {', '.join(known)}); the document cannot be checked",
    )
