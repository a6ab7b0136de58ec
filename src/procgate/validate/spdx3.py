"""SPDX 3 JSON-LD against the SPDX 3.0.1 JSON schema.

The SPDX project publishes its JSON schema (https://spdx.org/schema/3.0.1/spdx-json-
schema.json) as the output of shacl2code, SPDX's own generator, run on the model. No
installed library ships it (spdx3-validate downloads it at run time, and there is no
network here), so ``spdx3-json-schema.json`` beside this module is that generator's
output, made with shacl2code 1.3.2 from the SPDX 3.0.1 model and JSON-LD annotations of
the SPDX specification repository (github.com/spdx/spdx-spec, commit
4b2f9d4158d7099a7beef99c8083a0d26f2d26f1, rdf/spdx-model.json-ld and
serialization/jsonld/annotations.ttl; the model is under the Community Specification
License 1.0):

    shacl2code generate -i spdx-model.json-ld -i annotations.ttl \\
        -u spdx-context.jsonld https://spdx.org/rdf/3.0.1/spdx-context.jsonld \\
        jsonschema -o spdx3-json-schema.json

It checks structure (types, required properties, value kinds, the @context) as the SPDX
project's recommended ajv/check-jsonschema runs do; the semantic SHACL check is not
run. Validated with jsonschema-rs, formats on (``created: "yesterday"`` is an error).
Before the schema, two checks the normalizer relies on give a plainer message.
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

SCHEMA = Path(__file__).with_name("spdx3-json-schema.json")


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return schema


@cache
def _validator(part: str) -> Any:
    """ "" for the whole document; a class name ("software_Package") for one element of
    that type; "@context" for the context. The whole document's errors come from an anyOf
    over every class, which reads badly, so a failing document is explained element by
    element against its own type's definition."""
    schema = _schema()
    if part == "":
        target: dict[str, Any] = schema
    elif part == "@context":
        target = {"$defs": schema["$defs"], **schema["properties"]["@context"]}
    else:
        target = {"$defs": schema["$defs"], "$ref": f"#/$defs/{part}"}
    return jsonschema_rs.validator_for(target, validate_formats=True)


def validate(doc: Document) -> Iterator[Problem]:
    data = doc.data
    graph = data.get("@graph") if isinstance(data, dict) else None
    if not isinstance(graph, list):
        yield Problem("/@graph", "@graph: must be a list of SPDX 3 elements")
        return
    if _validator("").is_valid(data):
        return
    schema = _schema()
    classes = schema["$defs"]
    context = _validator("@context")
    for error in context.iter_errors(data.get("@context")):
        yield from _at(from_rust(error, schema), "/@context", "@context")
    for i, element in enumerate(graph):
        where = f"/@graph/{i}"
        if not isinstance(element, dict):
            yield Problem(where, f"@graph[{i}]: must be an object, not {element!r:.40}")
            continue
        kind = element.get("type", element.get("@type"))
        if not isinstance(kind, str):
            yield Problem(where, f"@graph[{i}]: missing required field 'type'")
        elif kind not in classes or kind.endswith(("_props", "_derived")) or kind[:5] == "prop_":
            yield Problem(
                f"{where}/type",
                f"@graph[{i}].type: {kind!r:.60} is not an SPDX 3 "
                "element type (e.g. software_Package, Person)",
            )
        else:
            for error in _validator(kind).iter_errors(element):
                yield from _at(from_rust(error, schema), where, f"@graph[{i}]")


def _at(problems: list[Problem], prefix: str, label: str) -> list[Problem]:
    """Problems found in a part of the document, placed at that part."""
    out = []
    for p in problems:
        message = p.message
        if message.startswith("the document"):
            message = label + message[len("the document") :]
        elif not message.startswith(("unknown field",)):
            message = f"{label}.{message}" if message[:1] != "[" else label + message
        else:
            message = message.replace(" in the document", f" in {label}")
        out.append(Problem(prefix + p.pointer, message, p.line, p.column))
    return out
