"""JSON: data from orjson at full speed; positions only when someone asks for one.

A clean 100k-component SBOM never asks, so it pays nothing for positions. The first
look-up decodes the text and walks it from the root, skipping sibling values with the
C scanner of the standard json module (`raw_decode`); the offsets it passes are kept, so
later look-ups in the same array or object start where the last one stopped.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import orjson

from procgate import rules
from procgate.load.source import LineIndex, LoadProblem, decode, pointer_tokens

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def parse(content: bytes, codec: str, bom: int) -> tuple[Any, JsonLocator]:
    """(data, locator) of a JSON file; LoadProblem with line and column when malformed."""
    if codec == "utf-8":
        body: bytes | str = content[bom:]
    else:
        body = decode(content, codec, bom)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        if "depth" in e.msg or "recursion" in e.msg:
            raise LoadProblem(
                rules.PARSE_LIMIT, "JSON is nested more than 1024 levels deep", e.lineno, e.colno
            ) from e
        # orjson stops at some valid JSON (integers beyond 64 bits) and words its errors
        # tersely: ask the standard parser, which either reads the file or says why not.
        data = _stdlib(body if isinstance(body, str) else decode(content, codec, bom))
    return data, JsonLocator(body)


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

    def __init__(self, body: bytes | str) -> None:
        self._body: bytes | str | None = body
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

