"""File hashes as OPA computes them for `.signatures.json` (bundle signing).

OPA (bundle/hash.go, docs "Signature Format") hashes a file's bytes, except for structured
files — a file named `data.json`, `data.yaml` or `.manifest` — which it parses and hashes in a
canonical form: objects with their keys in byte order, `{"k":v,...}` and `[a,b]` with no
spaces, strings JSON-encoded the way Go's encoder does without HTML escaping, and numbers as
written (OPA decodes them as json.Number, so `1.50` stays `1.50`).

    file_hash(name, data, algorithm) -> hex digest
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from procgate.errors import BundleError

# OPA's hashing algorithms, minus MD5 and SHA-1: they no longer resist collisions, and a
# collision is exactly what a forged bundle file would need.
ALGORITHMS = {
    "SHA-224": "sha224",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
    "SHA-512-224": "sha512_224",
    "SHA-512-256": "sha512_256",
}
DEFAULT_ALGORITHM = "SHA-256"
_STRUCTURED = {"data.json", "data.yaml", ".manifest"}


class _Number(str):
    """A JSON number kept as written."""


def is_structured(name: str) -> bool:
    return name.rsplit("/", 1)[-1] in _STRUCTURED


def file_hash(name: str, data: bytes, algorithm: str = DEFAULT_ALGORITHM) -> str:
    """The hex digest OPA records for the file `name` (a path inside the bundle)."""
    if algorithm not in ALGORITHMS:
        weak = algorithm.upper() in ("MD5", "SHA-1", "SHA1")
        raise BundleError(
            f"{name}: hashing algorithm {algorithm!r} is not accepted",
            "MD5 and SHA-1 are broken; sign with SHA-256"
            if weak
            else f"use one of {', '.join(ALGORITHMS)}",
        )
    h = hashlib.new(ALGORITHMS[algorithm])
    h.update(canonical(name, data) if is_structured(name) else data)
    return h.hexdigest()


def canonical(name: str, data: bytes) -> bytes:
    """The canonical bytes of a structured file, as OPA hashes them."""
    if name.endswith(".yaml"):
        raise BundleError(
            f"{name}: procgate cannot hash YAML data as OPA does", "store the data as data.json"
        )
    try:
        value = json.loads(
            data.decode("utf-8"),
            parse_int=_Number,
            parse_float=_Number,
            parse_constant=_reject_constant,
        )
        out: list[str] = []
        _walk(value, out)
        return "".join(out).encode("utf-8")
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(f"{name} is not valid JSON: {str(exc)[:200]}") from exc


def _reject_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _walk(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value, key=_go_order)):
            if i:
                out.append(",")
            out.append(go_string(key))
            out.append(":")
            _walk(value[key], out)
        out.append("}")
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _walk(item, out)
        out.append("]")
    elif isinstance(value, _Number):
        out.append(str.__str__(value))
    elif isinstance(value, str):
        out.append(go_string(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    else:
        out.append("null")


def _go_order(key: str) -> bytes:
    """Go's sort.Strings compares bytes: the UTF-8 encoding's order."""
    return key.encode("utf-8", "surrogatepass")


_ESCAPE = re.compile(r'["\\\x00-\x1f\u2028\u2029\ud800-\udfff]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def go_string(text: str) -> str:
    """A string as Go's encoding/json writes it with SetEscapeHTML(false) (Go 1.22+): `"`,
    `\\`, \\n \\r \\t \\b \\f short, other control characters and U+2028/U+2029 as \\u00XX,
    everything else as itself. A lone surrogate (which Go decodes to U+FFFD) becomes U+FFFD."""

    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        if ch in _SHORT:
            return _SHORT[ch]
        if "\ud800" <= ch <= "\udfff":
            return "\ufffd"
        return f"\\u{ord(ch):04x}"

    return '"' + _ESCAPE.sub(escape, text) + '"'
