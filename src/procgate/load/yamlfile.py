"""YAML, safely: libyaml's SafeLoader composes a node tree (with line marks), procgate
checks it for bombs, then builds JSON-shaped data from it.

The resolver follows YAML 1.2's core schema instead of PyYAML's YAML 1.1 one, so that
`country: NO` stays the string "NO" (not False), `date: 2024-05-01` stays a string (as
the JSON Schema `format: date` expects) and `duns: 012345678` keeps its leading zero.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import yaml

from procgate import rules
from procgate.load.source import (
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    LoadProblem,
    pointer_tokens,
)

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader with YAML 1.2 core-schema scalars."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
    ("merge", r"^(?:<<)$", "<"),
):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_regexp), list(_first))


def parse(text: str) -> tuple[Any, YamlLocator]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise LoadProblem(rules.PARSE_ERROR, "file is empty: no YAML document in it")
        _check(node)
        data = _json_shaped(loader.construct_document(node))
    except _Binary as e:
        mark = e.node.start_mark
        raise LoadProblem(
            rules.PARSE_ERROR,
            "!!binary value that is not text: binary data cannot be checked for vendor names",
            mark.line + 1,
            mark.column + 1,
        ) from e
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(p) for p in (e.context, e.problem) if p)
        rule = rules.PARSE_LIMIT if "nesting depth" in what else rules.PARSE_ERROR
        raise LoadProblem(rule, f"invalid YAML: {what}", line, column) from e
    except yaml.YAMLError as e:
        raise LoadProblem(rules.PARSE_ERROR, f"invalid YAML: {e}") from e
    except RecursionError as e:
        line, column = _too_deep(text)
        raise LoadProblem(
            rules.PARSE_LIMIT, f"YAML is nested more than {MAX_DEPTH} levels deep", line, column
        ) from e
    finally:
        loader.dispose()
    return data, YamlLocator(node)


def _too_deep(text: str) -> tuple[int, int]:
    """Where the nesting first passes MAX_DEPTH, from the event stream (which, unlike the
    composer, does not recurse): for a file too deep to compose."""
    depth = 0
    loader = _Loader(text)
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    assert mark is not None  # the parser marks every event it makes
                    return mark.line + 1, mark.column + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return 1, 1


class _Binary(ValueError):
    """A !!binary scalar whose bytes are not UTF-8 text."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__("binary")
        self.node = node


def _binary(loader: Any, node: yaml.ScalarNode) -> str:
    """`!!binary` holding UTF-8 text is that text: a vendor name written in base64 is read
    and matched like any other. Bytes that are not text have no place in a purchase request
    or an SBOM, and would hide what they say: a finding (see parse())."""
    raw: bytes = loader.construct_yaml_binary(node)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _Binary(node) from e


_Loader.add_constructor("tag:yaml.org,2002:binary", _binary)


def _check(root: yaml.Node) -> None:
    """Depth, alias expansion (billion laughs) and duplicate keys, without recursion."""
    sizes: dict[int, int] = {}  # node id -> nodes in it, aliases expanded
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    active: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise _limit(node, f"YAML is nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = _children(node)
        if done:
            active.discard(id(node))
            size = 1 + sum(sizes[id(c)] for c in children)
            if size > MAX_EXPANDED_NODES:
                raise _limit(
                    node, "YAML aliases expand to over a million nodes (a 'billion laughs' file?)"
                )
            sizes[id(node)] = size
            continue
        if id(node) in sizes:
            continue  # an alias of a node already measured
        if id(node) in active:
            raise _limit(node, "YAML alias refers to itself")
        active.add(id(node))
        if isinstance(node, yaml.MappingNode):
            _duplicates(node)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value)


def _duplicates(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
            if key.value in seen:
                raise LoadProblem(
                    rules.PARSE_ERROR,
                    f"duplicate key {key.value!r} (first at line {seen[key.value]}): "
                    "only one of them would count",
                    key.start_mark.line + 1,
                    key.start_mark.column + 1,
                )
            seen[key.value] = key.start_mark.line + 1


def _limit(node: yaml.Node, message: str) -> LoadProblem:
    mark = node.start_mark
    return LoadProblem(rules.PARSE_LIMIT, message, mark.line + 1, mark.column + 1)


def _json_shaped(value: Any) -> Any:
    """Keys become strings; the few YAML types JSON lacks become their usual JSON form."""
    if isinstance(value, dict):
        return {k if isinstance(k, str) else _key(k): _json_shaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_shaped(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):  # only from an explicit !!timestamp tag
        return value.isoformat()
    if isinstance(value, bytes):  # !!binary
        return base64.b64encode(value).decode("ascii")
    return value


def _key(key: Any) -> str:
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    return str(key)


class YamlLocator:
    """JSON pointer -> (line, column) from the composed node tree's marks."""

    def __init__(self, root: yaml.Node) -> None:
        self._root = root

    def __call__(self, pointer: str) -> tuple[int, int]:
        node = self._root
        mark = node.start_mark
        for token in pointer_tokens(pointer):
            if isinstance(node, yaml.MappingNode):
                pair = _find_key(node, token)
                if pair is None:
                    break
                mark, node = pair[0].start_mark, pair[1]
            elif (
                isinstance(node, yaml.SequenceNode)
                and token.isdigit()
                and int(token) < len(node.value)
            ):
                node = node.value[int(token)]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1


def _find_key(node: yaml.MappingNode, token: str) -> tuple[yaml.Node, yaml.Node] | None:
    found: tuple[yaml.Node, yaml.Node] | None = None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == token:
            found = (key, value)
        elif key.tag == "tag:yaml.org,2002:merge" and found is None:
            merged = [value] if isinstance(value, yaml.MappingNode) else list(value.value)
            for source in merged:
                if isinstance(source, yaml.MappingNode):
                    found = _find_key(source, token) or found
    return found
