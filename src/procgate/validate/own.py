"""procgate's own formats (purchase request, waiver, ban list) against schemas/*.json.

Speed: this runs on every pre-commit hook. The clean path is jsonschema-rs (Draft 2020-12,
formats on); python-jsonschema (with a FormatChecker) is imported only to explain a file that
failed: its errors carry the sub-schema, which the messages use to suggest the field a typo
meant, but importing it can cost over a second when optional format libraries are installed.
Should the two libraries ever disagree, jsonschema-rs's errors are reported: a file the fast
path refused never passes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from itertools import islice
from typing import Any

import jsonschema_rs

from procgate.errors import ProcgateError
from procgate.model import Document
from procgate.resources import schema_path
from procgate.validate.messages import (
    MAX_COUNTED,
    MAX_FINDINGS,
    Problem,
    from_python,
    from_rust,
)


@cache
def _schema(name: str) -> dict[str, Any]:
    """A schema procgate ships. One that is missing or unreadable is a broken installation
    (exit 2): checking nothing would pass every file."""
    path = schema_path(name)
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ProcgateError(
            f"procgate's {name} schema cannot be read ({path}): {exc}",
            "The installation is incomplete; reinstall procgate.",
        ) from exc
    if not isinstance(schema, dict):
        raise ProcgateError(
            f"procgate's {name} schema ({path}) is not a JSON Schema object",
            "The installation is incomplete; reinstall procgate.",
        )
    return schema


@cache
def _fast(name: str) -> Any:
    return jsonschema_rs.Draft202012Validator(_schema(name), validate_formats=True)


def _check(name: str, data: Any) -> Iterator[Problem]:
    schema = _schema(name)
    if _fast(name).is_valid(data):
        return
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    # in document order; at most as many as validate() counts (a hostile file has 100k)
    first = islice(validator.iter_errors(data), MAX_FINDINGS + MAX_COUNTED + 1)
    errors = sorted(first, key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        yield from from_python(error, schema)
    if not errors:  # the two libraries disagree: say what jsonschema-rs saw, never pass
        for rust_error in islice(_fast(name).iter_errors(data), MAX_FINDINGS + MAX_COUNTED + 1):
            yield from from_rust(rust_error, schema)


def purchase_request(doc: Document) -> Iterator[Problem]:
    return _check("purchase-request", doc.data)


def waiver(doc: Document) -> Iterator[Problem]:
    return _check("waiver", doc.data)


def ban_list(doc: Document) -> Iterator[Problem]:
    return _check("ban-list", doc.data)
