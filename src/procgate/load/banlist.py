"""One ban-list file (policies/data/*.yaml, --data FILE) -> a Document of kind ban-list.

    read_ban_list(path) -> Document          raises DataError (exit 2) naming file and line
    error_at(doc, pointer, message, hint)    a DataError at a pointer's line in the file

A ban list is read like any document (then validated by validate/ and merged into BanData by
procgate.lists), except that a file that cannot be read or parsed is an error, not a finding:
every decision depends on it, so the run cannot go on without it.

Speed: this runs on every pre-commit hook. A YAML list is parsed by libyaml's loader and
nothing else (load/yamlfile.py's bomb and depth walks cost half again as much on the shipped
list); a JSON list (an imported screening list: tens of thousands of entities) by orjson, 20x
faster than the YAML parser on a 10 MB file. Line numbers are found only for an error: the
YAML node tree is composed then, and a JSON file's members are located by load/jsonfile.py.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import orjson
import yaml

from procgate.errors import DataError
from procgate.load.jsonfile import JsonLocator
from procgate.load.yamlfile import YamlLocator
from procgate.model import Document, Kind, Locator

HINT = "A ban list must match schemas/ban-list.schema.json; see policies/data/README.md."

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_BOOL_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]  # CSafeLoader if built, else SafeLoader
    """Safe YAML loader that keeps dates as strings and refuses duplicate keys."""


# Dates stay "YYYY-MM-DD" strings, so the schema sees what was written (format: date) and
# the data stays JSON-shaped; procgate.lists converts them afterwards. Booleans are YAML
# 1.2's (`country: NO` is Norway, not false), as in load/yamlfile.py.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, _BOOL_1_2 if tag == _BOOL else regexp)
        for tag, regexp in resolvers
        if tag != _TIMESTAMP
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # PyYAML keeps the last of two equal keys; in curated data that hides a typo or a lost
    # fact (two `source:` lines), so it is an error here.
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable) or key in mapping:
            problem = (
                "unhashable key" if not isinstance(key, Hashable) else f"duplicate key {key!r}"
            )
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, problem, key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def read_ban_list(path: Path, raw: bytes | None = None) -> Document:
    """Parse one ban-list file (its bytes, when the caller has read them already)."""
    if raw is None:
        raw = read_bytes(path)
    data = _json(raw)
    if data is not None:
        return Document(str(path), Kind.BAN_LIST, data, "json", JsonLocator(raw))
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = e.problem or e.context or "invalid YAML"
        raise DataError(f"{where}: {problem}", "Fix the YAML syntax at that line.") from e
    except yaml.YAMLError as e:
        raise DataError(f"{path}: not valid YAML: {e}", "Fix the YAML syntax.") from e
    if data is None:
        raise DataError(f"{path}: the ban list is empty", HINT)
    return Document(str(path), Kind.BAN_LIST, data, "yaml", _YamlLines(raw))


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataError(
            f"{path}: cannot read ban list: {e.strerror or e}", "Check the --data path."
        ) from e


def error_at(doc: Document, pointer: str, message: str, hint: str = HINT) -> DataError:
    """`FILE:LINE:COLUMN: POINTER: MESSAGE` (the file alone when the line is unknown)."""
    return DataError(located(doc, pointer, message), hint)


def located(doc: Document, pointer: str, message: str) -> str:
    position = doc.position(pointer)
    where = f"{doc.path}:{position.line}:{position.column}" if position.line else doc.path
    return f"{where}: {pointer or '/'}: {message}"


def _json(raw: bytes) -> Any:
    """A ban list written as JSON, parsed by orjson; None when it is not JSON (the YAML
    parser then reads it, and explains any syntax error with its line). JSON duplicate keys
    keep the last value (the YAML path refuses them)."""
    if raw.lstrip()[:1] != b"{":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None


class _YamlLines:
    """JSON pointer -> (line, column) in a YAML ban list; the node tree is composed on the
    first look-up (only an error asks for one), and (0, 0) when it cannot be."""

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._locator: Locator | None = None

    def __call__(self, pointer: str) -> tuple[int, int]:
        if self._locator is None:
            try:
                node = yaml.compose(self._raw, Loader=_Loader)
            except yaml.YAMLError:
                node = None
            self._locator = YamlLocator(node) if node is not None else _nowhere
        return self._locator(pointer)


def _nowhere(pointer: str) -> tuple[int, int]:
    return 0, 0
