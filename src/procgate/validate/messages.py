"""Schema errors -> sentences a person can act on, from either validator library.

python-jsonschema (our own formats) and jsonschema-rs (SBOMs) report the same JSON
Schema keywords in different objects; both are reduced to `Problem`s here, so that a
typo reads "unknown field 'vendr' (did you mean 'vendor'?)" whichever library found it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:  # importing jsonschema is slow; only type hints need it here
    import jsonschema

Path = Sequence[str | int]

MAX_FINDINGS = 50  # per file; then one "… and N more" finding
# Errors counted beyond those shown, then counting stops ("… and more than N more"): a
# hostile document with a million errors costs no more than one with this many.
MAX_COUNTED = 1000


@dataclass(frozen=True)
class Problem:
    pointer: str
    message: str
    line: int = 0  # set when the validator knows the line itself (XSD); else from pointer
    column: int = 0


def pointer(path: Path) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def where(path: Path) -> str:
    """`items[0].manufacturer.name`; "the document" for the root."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the document"


def short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "true/false",
    int: "an integer",
    float: "a number",
    type(None): "null",
}
_TYPE_WORDS = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _type_of(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _suggest(word: str, options: Iterable[Any]) -> str:
    names = [o for o in options if isinstance(o, str)]
    import difflib  # only for a file with an unknown key

    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""


def _known(word: str, allowed: Sequence[Any]) -> str:
    """The field a typo meant; else the fields there are."""
    suggestion = _suggest(word, allowed)
    if suggestion or not allowed:
        return suggestion
    return f" (allowed: {_choices(sorted(str(a) for a in allowed), 12)})"


def _choices(options: Sequence[Any], limit: int = 8) -> str:
    shown = ", ".join(str(o) for o in options[:limit])
    return shown + (f" (and {len(options) - limit} more)" if len(options) > limit else "")


def describe(keyword: str, path: Path, instance: Any, detail: dict[str, Any]) -> list[Problem]:
    """One keyword failure. `detail` carries what the keyword needs: property, unexpected,
    allowed, types, options, expected, limit, format, pattern, branches."""
    at, ptr = where(path), pointer(path)
    if keyword == "required":
        return [Problem(ptr, f"{at}: missing required field {detail['property']!r}")]
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = detail.get("allowed", ())
        return [
            Problem(pointer([*path, key]), f"unknown field {key!r} in {at}{_known(key, allowed)}")
            for key in detail["unexpected"]
        ]
    if keyword == "type":
        types = detail["types"]
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        hint = ""
        number = isinstance(instance, int | float) and not isinstance(instance, bool)
        if "string" in types and number:
            hint = f' (put it in quotes: "{instance}")'
        got = "null" if instance is None else f"{_type_of(instance)} {short(instance, 40)}"
        return [Problem(ptr, f"{at}: must be {wanted}, not {got}{hint}")]
    if keyword == "enum":
        options = detail["options"]
        suggestion = _suggest(instance, options) if isinstance(instance, str) else ""
        return [
            Problem(
                ptr,
                f"{at}: {short(instance)} is not allowed{suggestion}; "
                f"use one of: {_choices(options)}",
            )
        ]
    if keyword == "const":
        return [Problem(ptr, f"{at}: must be {short(detail['expected'])}, not {short(instance)}")]
    if keyword == "minItems":
        n = detail["limit"]
        return [Problem(ptr, f"{at}: needs at least {n} entr{'y' if n == 1 else 'ies'}")]
    if keyword == "minLength":
        n = detail["limit"]
        text = "must not be empty" if n == 1 else f"must be at least {n} characters long"
        return [Problem(ptr, f"{at}: {text}")]
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[keyword]
        return [Problem(ptr, f"{at}: must be {bound} {detail['limit']}, not {short(instance)}")]
    if keyword == "format":
        fmt = detail["format"]
        example = {
            "date": " (write dates as YYYY-MM-DD, e.g. 2024-05-31)",
            "email": " (an e-mail address, e.g. name@example.org)",
        }.get(fmt, "")
        return [Problem(ptr, f"{at}: {short(instance)} is not a valid {fmt}{example}")]
    if keyword == "pattern":
        return [
            Problem(
                ptr,
                f"{at}: {short(instance)} does not have the required form "
                f"(pattern {detail['pattern']})",
            )
        ]
    if keyword == "uniqueItems":
        return [Problem(ptr, f"{at}: has duplicate entries; each entry must be unique")]
    if keyword in ("anyOf", "oneOf"):
        return [Problem(ptr, f"{at}: {_branches(detail, at)}")]
    if keyword == "oneOfMultipleValid":
        return [
            Problem(
                ptr, f"{at}: matches more than one of the allowed forms; it must match exactly one"
            )
        ]
    return [Problem(ptr, f"{at}: {detail.get('text', 'does not match the schema')}")]


def _branches(detail: dict[str, Any], at: str) -> str:
    required = detail.get("required_only")
    if required:
        names = " or ".join(repr(r) for r in required)
        return f"needs {names}"
    reasons = [b.removeprefix(f"{at}: ") for b in detail.get("branches", []) if b]
    if not reasons:
        return "does not match any of the allowed forms"
    return "does not match any of the allowed forms (" + "; or ".join(reasons[:3]) + ")"


# --- python-jsonschema -------------------------------------------------------------


def from_python(
    error: jsonschema.ValidationError, root: dict[str, Any] | None = None
) -> list[Problem]:
    """`root` is the whole schema, to follow a `$ref` to the properties an object declares
    (an `unevaluatedProperties` beside `allOf: [$ref]`)."""
    problems = _from_python(error, root)
    path = list(error.absolute_schema_path)
    if "dependentSchemas" in path:  # say which key brought the requirement
        when = f" when `{path[path.index('dependentSchemas') + 1]}` is given"
        problems = [Problem(p.pointer, p.message + when, p.line, p.column) for p in problems]
    return problems


def _from_python(error: jsonschema.ValidationError, root: dict[str, Any] | None) -> list[Problem]:
    keyword = str(error.validator)
    schema = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.validator_value  # typed Unset-able; set on every error raised
    instance: Any = error.instance
    detail: dict[str, Any] = {"text": error.message}
    if keyword == "required":
        # python-jsonschema raises one error per missing property ("'id' is a required
        # property"), each carrying the whole `required` list: name only its own property,
        # or N missing fields would give N² findings.
        missing = [p for p in value if isinstance(error.instance, dict) and p not in error.instance]
        own = [m for m in missing if error.message == f"{m!r} is a required property"]
        return [
            p
            for m in own or missing[:1]
            for p in describe(keyword, error.absolute_path, None, {"property": m})
        ]
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = declared(schema, root or {})
        detail.update(allowed=allowed, unexpected=[k for k in instance if k not in allowed])
    elif keyword == "type":
        detail["types"] = [value] if isinstance(value, str) else list(value)
    elif keyword == "enum":
        detail["options"] = list(value)
    elif keyword == "const":
        detail["expected"] = value
    elif keyword in (
        "minItems",
        "minLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ):
        detail["limit"] = value
    elif keyword == "format":
        detail["format"] = value
    elif keyword == "pattern":
        detail["pattern"] = value
    elif keyword in ("anyOf", "oneOf"):
        detail.update(_python_branches(value, error.context or [], root))
    return describe(keyword, error.absolute_path, error.instance, detail)


def declared(schema: Any, root: dict[str, Any]) -> list[str]:
    """Property names a (sub)schema declares, following local `$ref`s and `allOf`."""
    if not isinstance(schema, dict):
        return []
    names = list(schema.get("properties", {}))
    ref = schema.get("$ref", "")
    subschemas = list(schema.get("allOf", []))
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        subschemas.append(root.get("$defs", {}).get(ref.removeprefix("#/$defs/")))
    for sub in subschemas:
        names += [n for n in declared(sub, root) if n not in names]
    return names


def _python_branches(
    subschemas: list[Any], context: list[Any], root: dict[str, Any] | None
) -> dict[str, Any]:
    if all(isinstance(s, dict) and set(s) == {"required"} for s in subschemas):
        return {"required_only": [r for s in subschemas for r in s["required"]]}
    by_branch: dict[int, str] = {}
    for sub in context:
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
        if branch not in by_branch:
            problems = from_python(sub, root)
            by_branch[branch] = problems[0].message if problems else sub.message
    return {"branches": [by_branch[b] for b in sorted(by_branch)]}


# --- jsonschema-rs -----------------------------------------------------------------

_Kinds = jsonschema_rs.ValidationErrorKind


def from_rust(error: jsonschema_rs.ValidationError, schema: dict[str, Any]) -> list[Problem]:
    """`schema` is the root schema, to find the property names a typo was meant to be."""
    kind = error.kind
    keyword = kind.name
    detail: dict[str, Any] = {"text": _strip_instance(error.message)}
    if isinstance(kind, _Kinds.Required):
        detail["property"] = kind.property
    elif isinstance(kind, _Kinds.AdditionalProperties | _Kinds.UnevaluatedProperties):
        parent = _walk(schema, error.schema_path[:-1])
        detail.update(
            unexpected=list(kind.unexpected),
            allowed=list(parent.get("properties", {})) if parent else [],
        )
    elif isinstance(kind, _Kinds.Type):
        detail["types"] = list(kind.types)
    elif isinstance(kind, _Kinds.Enum):
        detail["options"] = list(kind.options)
    elif isinstance(kind, _Kinds.Constant):
        detail["expected"] = kind.expected_value
    elif keyword in (
        "minItems",
        "minLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ):
        detail["limit"] = kind.limit  # type: ignore[attr-defined]
    elif isinstance(kind, _Kinds.Format):
        detail["format"] = kind.format
    elif isinstance(kind, _Kinds.Pattern):
        detail["pattern"] = kind.pattern
    elif isinstance(kind, _Kinds.AnyOf | _Kinds.OneOfNotValid):
        keyword = "anyOf"
        detail["branches"] = [
            from_rust(branch[0], schema)[0].message if branch else "" for branch in kind.context
        ]
    return describe(keyword, error.instance_path, error.instance, detail)


def _walk(schema: Any, path: Path) -> dict[str, Any] | None:
    node = schema
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node if isinstance(node, dict) else None


def _strip_instance(message: str) -> str:
    """jsonschema-rs messages start with the whole instance (a whole array for
    uniqueItems): keep only the words after it."""
    for marker in (
        " is not ",
        " has ",
        " does not ",
        " is a ",
        " is too ",
        " is less ",
        " is greater ",
    ):
        if marker in message:
            return message[message.index(marker) + 1 :]
    return message[:200]
