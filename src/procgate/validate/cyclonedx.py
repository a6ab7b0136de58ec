"""CycloneDX against the official schemas that cyclonedx-python-lib ships.

JSON: jsonschema-rs, because python-jsonschema (what cyclonedx-python-lib's own
validator uses) does not finish on a 100k-component SBOM; jsonschema-rs takes about
0.1 s. The schemas refer to spdx.SNAPSHOT.schema.json, jsf-0.82.SNAPSHOT.schema.json and
cryptography-defs.SNAPSHOT.schema.json by URL; a Registry hands it the local copies
(there is no network). Formats are not asserted, as in the reference validators: the
1.4 schema's "iri-reference" rejects URL templates such as /videos/{video_id} that real,
valid SBOMs contain.

XML: the official XSD through lxml; its errors carry their own line numbers.
Validators are compiled once per process and spec version.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from procgate.model import Document
from procgate.validate.messages import Problem, from_rust

_BASE = "http://cyclonedx.org/schema/"
_SHARED = ("spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json",
           "cryptography-defs.SNAPSHOT.schema.json")
_NAMESPACE = re.compile(r"\{http://cyclonedx\.org/schema/[^}]*\}")


def _resources() -> Path:
    import cyclonedx.schema  # the package that ships the schemas

    return Path(cyclonedx.schema.__file__).parent / "_res"


def versions(suffix: str) -> list[str]:
    """Spec versions with a shipped schema: suffix "schema.json" or "xsd"."""
    found = (p.name for p in _resources().glob(f"bom-*.SNAPSHOT.{suffix}"))
    return sorted(n.split("-")[1].split(".SNAPSHOT")[0] for n in found if "strict" not in n)


@cache
def _json_validator(version: str) -> tuple[Any, dict[str, Any]] | None:
    path = _resources() / f"bom-{version}.SNAPSHOT.schema.json"
    if not path.is_file():
        return None
    shared = [(_BASE + n, json.loads((_resources() / n).read_text(encoding="utf-8")))
              for n in _SHARED if (_resources() / n).is_file()]
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema_rs.validator_for(
        schema, registry=jsonschema_rs.Registry(shared), validate_formats=False
    )
    return validator, schema


@cache
def _xml_schema(version: str) -> Any:
    path = _resources() / f"bom-{version}.SNAPSHOT.xsd"
    if not path.is_file():
        return None
    from lxml import etree  # only for XML documents

    return etree.XMLSchema(etree.parse(str(path)))


def validate(doc: Document) -> Iterator[Problem]:
    if doc.syntax == "xml":
        return _xml(doc)
    return _json(doc)


def _json(doc: Document) -> Iterator[Problem]:
    compiled = _json_validator(doc.spec_version) if doc.spec_version else None
    if compiled is None:
        yield _unknown_version(doc, versions("schema.json"), "/specVersion")
        return
    validator, schema = compiled
    for error in validator.iter_errors(doc.data):
        yield from from_rust(error, schema)


def _xml(doc: Document) -> Iterator[Problem]:
    schema = _xml_schema(doc.spec_version)
    if schema is None:
        yield _unknown_version(doc, versions("xsd"), "")
        return
    if schema.validate(doc.source):
        return
    for entry in schema.error_log:
        message = _NAMESPACE.sub("", entry.message)
        yield Problem("", message, line=entry.line or 1, column=max(entry.column, 0))


def _unknown_version(doc: Document, known: list[str], pointer: str) -> Problem:
    found = doc.spec_version or "none"
    return Problem(
        pointer,
        f"CycloneDX specVersion {found!r} has no schema procgate knows "
        f"(known: {', '.join(known)}); the document cannot be checked",
    )
