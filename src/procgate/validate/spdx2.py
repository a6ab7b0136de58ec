"""SPDX 2.x (JSON, YAML, tag-value, RDF/XML — all in SPDX JSON shape by now).

Why not spdx-tools: version 0.8.5 fails to *parse* real, valid documents (timestamps
with fractional seconds; originators without "Person:"/"Organization:"), and its
validator reports semantic matters (unresolved external document references, SPDX id
characters, files under a package with filesAnalyzed false) that the SPDX JSON schema
does not require and that make no difference to which vendors a document names. Either
would turn spdx-tools' opinions into blocking findings on good SBOMs.

Why not the official schema: no installed library ships the SPDX 2.3 JSON schema, and
procgate takes official schemas from libraries, not hand copies.

So procgate checks the structure the SPDX 2.3 specification requires, written down in
spdx2-structure.schema.json beside this module: required fields of the document,
creation info, packages, files, snippets, relationships, annotations, external
references and checksums; value types; the spec's enumerations; and field names
(additionalProperties: false, so a misspelt "suplier" is reported, not silently
ignored). It leaves out what the official schema adds beyond the specification's
cardinalities: the character set of SPDX ids and timestamps without fractional seconds.
SPDX 2.2 documents are checked with the same rules (2.3 only added optional fields),
as the corpus notes do. Validated with jsonschema-rs: the largest real SPDX documents
hold thousands of files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from procgate.model import Document
from procgate.validate.messages import Problem, from_rust

SCHEMA = Path(__file__).with_name("spdx2-structure.schema.json")


@cache
def _validator() -> tuple[Any, dict[str, Any]]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=False), schema


def validate(doc: Document) -> Iterator[Problem]:
    validator, schema = _validator()
    for error in validator.iter_errors(doc.data):
        yield from from_rust(error, schema)
