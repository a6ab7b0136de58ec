"""JSON: data from orjson at full speed; positions only when someone asks for one.

A clean 100k-component SBOM never asks, so it pays nothing for positions. A look-up first
tries the value's own text: a finding almost always points at a string (a supplier name), and
searching for it (str.find) takes a few milliseconds over 60 MB; when the string
occurs several times, its rank among equal values in the data picks the occurrence. Otherwise
the text is walked from the root, skipping sibling values with the C scanner of the standard
json module (`raw_decode`, about 2 s for 60 MB); the offsets it passes are kept, so later
look-ups in the same array or object start where the last one stopped.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import orjson

from procgate import gcpause, rules
from procgate.load.source import LineIndex, LoadProblem, decode, pointer_tokens

_WS = re.compile(r"[ \t\n\r]*")
_VALUE_END = re.compile(r"[ \t\n\r]*[,}\]]")  # a string followed by , } or ] is a value
_DECODER = json.JSONDecoder()


def parse(content: bytes, codec: str, bom: int) -> tuple[Any, JsonLocator]:
    """(data, locator) of a JSON file; LoadProblem with line and column when malformed."""
    if codec == "utf-8":
        body: bytes | str = content[bom:]
    else:
        body = decode(content, codec, bom)
    try:
        with gcpause.bulk():  # 0.76 s -> 0.28 s for a 63 MB SBOM
            data = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        if "depth" in e.msg or "recursion" in e.msg:
            raise LoadProblem(
                rules.PARSE_LIMIT, "JSON is nested more than 1024 levels deep", e.lineno, e.colno
            ) from e
        # orjson stops at some valid JSON (integers beyond 64 bits) and words its errors
        # tersely: ask the standard parser, which either reads the file or says why not.
        data = _stdlib(body if isinstance(body, str) else decode(content, codec, bom))
    return data, JsonLocator(body, data)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _stdlib(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise LoadProblem(rules.PARSE_ERROR, f"invalid JSON: {e.msg}", e.lineno, e.colno) from e
    except RecursionError as e:
        raise LoadProblem(rules.PARSE_LIMIT, "JSON is nested too deeply") from e
    except ValueError as e:
        raise LoadProblem(rules.PARSE_ERROR, f"invalid JSON: {e}") from e


class JsonLocator:
    """JSON pointer -> (line, column) of the member's key (object) or the item (array)."""

    def __init__(self, body: bytes | str, data: Any = None) -> None:
        self._body: bytes | str | None = body
        self._data = data
        self._anchors: dict[str, list[int]] = {}  # string value -> offsets of it in the text
        self._ranks: dict[str, list[str]] = {}  # string value -> pointers to it, in order
        self._text = ""
        self._lines: LineIndex | None = None
        # container offset -> [members found so far, offset to resume scanning or -1]
        self._objects: dict[int, tuple[dict[str, tuple[int, int]], list[int]]] = {}
        self._arrays: dict[int, tuple[list[int], list[int]]] = {}

    def __call__(self, pointer: str) -> tuple[int, int]:
        if self._body is not None:  # first look-up: decode once, drop the bytes
            body = self._body
            self._text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
            self._body = None
            self._lines = LineIndex(self._text)
        assert self._lines is not None
        anchored = self._by_value(pointer)
        if anchored is not None:
            return self._lines(anchored)
        pos = _WS.match(self._text, 0).end()
        best = pos
        try:
            for token in pointer_tokens(pointer):
                found = self._child(pos, token)
                if found is None:
                    break
                best, pos = found
        except (ValueError, IndexError):  # text and data disagree: keep the nearest parent
            pass
        return self._lines(best)

    def _by_value(self, pointer: str) -> int | None:
        """Offset of the member's key (or the array item) found by searching for its string
        value; None when the value is not a string or the text and data disagree."""
        tokens = pointer_tokens(pointer)
        value = _resolve(self._data, tokens)
        if not isinstance(value, str) or not tokens or len(value) < 2:
            return None
        offsets = self._anchors.get(value)
        if offsets is None:
            offsets = self._anchors[value] = _value_offsets(self._text, value)
        if len(offsets) == 1:
            at = offsets[0]
        elif offsets:
            ranks = self._ranks.get(value)
            if ranks is None:
                ranks = self._ranks[value] = _pointers_to(self._data, value)
            if len(ranks) != len(offsets) or pointer not in ranks:
                return None
            at = offsets[ranks.index(pointer)]
        else:
            return None
        return _key_before(self._text, at, tokens[-1])

    def _child(self, pos: int, token: str) -> tuple[int, int] | None:
        """(position to report, offset of the value) of one step down, or None."""
        opener = self._text[pos : pos + 1]
        if opener == "{":
            return self._member(pos, token)
        if opener == "[" and token.isdigit():
            offset = self._item(pos, int(token))
            return None if offset is None else (offset, offset)
        return None

    def _member(self, pos: int, key: str) -> tuple[int, int] | None:
        members, resume = self._objects.setdefault(pos, ({}, [pos + 1]))
        text = self._text
        while key not in members and resume[0] >= 0:
            at = _WS.match(text, resume[0]).end()
            if text[at] == ",":
                at = _WS.match(text, at + 1).end()
            if text[at] != '"':  # "}" or garbage: the object is done
                resume[0] = -1
                break
            name, end = scanstring(text, at + 1)
            colon = _WS.match(text, end).end()
            value = _WS.match(text, colon + 1).end()
            members.setdefault(name, (at, value))
            resume[0] = _skip(text, value)
        return members.get(key)

    def _item(self, pos: int, index: int) -> int | None:
        items, resume = self._arrays.setdefault(pos, ([], [pos + 1]))
        text = self._text
        while len(items) <= index and resume[0] >= 0:
            at = _WS.match(text, resume[0]).end()
            if text[at] == ",":
                at = _WS.match(text, at + 1).end()
            if text[at] == "]":
                resume[0] = -1
                break
            items.append(at)
            resume[0] = _skip(text, at)
        return items[index] if index < len(items) else None


def _skip(text: str, pos: int) -> int:
    """Offset just after the JSON value at `pos`, at C speed."""
    if text[pos] == '"':
        return scanstring(text, pos + 1)[1]
    return _DECODER.raw_decode(text, pos)[1]



def _resolve(data: Any, tokens: list[str]) -> Any:
    for token in tokens:
        if isinstance(data, dict):
            data = data.get(token)
        elif isinstance(data, list) and token.isdigit() and int(token) < len(data):
            data = data[int(token)]
        else:
            return None
    return data


def _value_offsets(text: str, value: str) -> list[int]:
    """Offsets of `value` written as a JSON string in value position (not as a key).
    str.find, not a regular expression: over 60 MB it is ten times faster."""
    found: set[int] = set()
    for form in {json.dumps(value), json.dumps(value, ensure_ascii=False)}:
        at = text.find(form)
        while at >= 0:
            if _VALUE_END.match(text, at + len(form)):
                found.add(at)
                at = text.find(form, at + len(form))
            else:  # a key, or text inside a longer string: its closing quote may open ours
                at = text.find(form, at + 1)
    return sorted(found)


def _pointers_to(data: Any, value: str) -> list[str]:
    """Pointers of every string equal to `value`, in document order (orjson keeps key order)."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, dict):
            children = [(f"{prefix}/{_escape(k)}", v) for k, v in node.items()]
        elif isinstance(node, list):
            children = [(f"{prefix}/{i}", v) for i, v in enumerate(node)]
        else:
            if node == value:
                found.append(prefix)
            continue
        stack.extend(reversed(children))
    return found


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _key_before(text: str, at: int, token: str) -> int:
    """The member's key when the value at `at` is preceded by `"token":`, else the value."""
    colon = at - 1
    while colon >= 0 and text[colon] in " \t\n\r":
        colon -= 1
    if colon < 0 or text[colon] != ":":
        return at  # an array item: report the item itself
    end = colon - 1
    while end >= 0 and text[end] in " \t\n\r":
        end -= 1
    for form in {json.dumps(token), json.dumps(token, ensure_ascii=False)}:
        start = end - len(form) + 1
        if start >= 0 and text[start : end + 1] == form:
            return start
    return at
