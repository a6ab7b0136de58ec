"""procgate's own formats (purchase request, waiver, ban list) against schemas/*.json.

python-jsonschema (Draft 2020-12, with a FormatChecker so that `format: date` is
enforced) is used here rather than jsonschema-rs: these files are small, and its errors
carry the sub-schema, which the messages use to suggest the field a typo meant.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema

from procgate.model import Document
from procgate.resources import schema_path
from procgate.validate.messages import Problem, from_python


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator | None:
    path = schema_path(name)
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _check(name: str, data: Any) -> Iterator[Problem]:
    validator = _validator(name)
    if validator is None:  # schema not written yet: nothing to check against
        return
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield from from_python(error)


def purchase_request(doc: Document) -> Iterator[Problem]:
    return _check("purchase-request", doc.data)


def waiver(doc: Document) -> Iterator[Problem]:
    return _check("waiver", doc.data)


def ban_list(doc: Document) -> Iterator[Problem]:
    return _check("ban-list", doc.data)
