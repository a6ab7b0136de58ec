"""Helpers for the normalize tests: build Documents from real files, resolve pointers.

A uniquely named module (not conftest.py) so that test files can import it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from corpus_manifest import CORPUS, rows

from procgate.model import Document, Kind

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
__all__ = ["CORPUS", "DATA", "JSON_FORMATS", "corpus_rows", "make_doc", "read_json", "resolve"]
JSON_FORMATS = {
    "cyclonedx-json": Kind.CYCLONEDX,
    "spdx-json": Kind.SPDX2,
    "spdx3-jsonld": Kind.SPDX3,
}


def read_json(path: Path) -> Any:
    """JSON in UTF-8 (with or without BOM) or UTF-16 (the ODD_utf16le corpus file)."""
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return json.loads(raw.decode("utf-16"))
    return json.loads(raw.decode("utf-8-sig"))


def make_doc(path: Path, kind: Kind) -> Document:
    """What load/ will produce for a JSON or YAML file, built by hand."""
    if path.suffix in (".yaml", ".yml"):
        return Document(str(path), kind, yaml.safe_load(path.read_text()), "yaml")
    return Document(str(path), kind, read_json(path), "json")


def corpus_rows() -> list[dict[str, str]]:
    return [row for row in rows() if row["format"] in JSON_FORMATS]


def resolve(data: Any, pointer: str) -> Any:
    """RFC 6901: the value at `pointer` (KeyError/IndexError if it does not exist)."""
    if pointer == "":
        return data
    assert pointer.startswith("/"), pointer
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data
