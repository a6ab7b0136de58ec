"""JSON: jiter parses, msgspec finds positions; both at C speed, whatever the file holds.

jiter (pydantic's parser) reads the file once and stops, with a line, at what JSON lets
other tools read differently: a duplicate key (the last one would silently win) and
nesting deeper than its limit. Equal strings share one object, so a 100k-component SBOM
takes less memory than with `json.load`.

Positions cost nothing until a finding asks for one. A look-up follows the pointer from
the root; each container on the way is split once by msgspec into the raw byte spans of
its members (C speed, no Python values built) and the spans are kept, so any number of
look-ups in one document together read its text at most once per level they descend.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from procgate import gcpause, rules
from procgate.load.source import LoadProblem, decode, pointer_tokens

Span = tuple[int, int, int]  # offset to report (key or item), value offset, value end
MAX_JSON_DEPTH = 201  # jiter's fixed limit: deeper files are a parse.limit finding

_GAP = re.compile(rb"[ \t\n\r,]*")  # between two members: blanks and one comma
# A member up to its value: the gap before it, its key (group 1), the colon.
_MEMBER = re.compile(rb'[ \t\n\r,]*("[^"\\]*(?:\\.[^"\\]*)*")[ \t\n\r]*:[ \t\n\r]*', re.DOTALL)
_AT = re.compile(r" at line (\d+) column (\d+)$")


def parse(content: bytes, codec: str, bom: int) -> tuple[Any, JsonLocator]:
    """(data, locator) of a JSON file; LoadProblem with line and column when malformed,
    when a key is repeated in one object, or when it is nested too deeply."""
    import jiter  # here, not above: a hook run on YAML files never loads it

    body = content[bom:] if codec == "utf-8" else decode(content, codec, bom).encode()
    try:
        with gcpause.bulk():
            data = jiter.from_json(body, allow_inf_nan=False, catch_duplicate_keys=True)
    except ValueError as e:
        raise _problem(body, content, codec, bom, str(e)) from e
    return data, JsonLocator(body)


def _problem(body: bytes, content: bytes, codec: str, bom: int, message: str) -> LoadProblem:
    at = _AT.search(message)
    line, column = (int(at[1]), int(at[2])) if at else (1, 1)
    what = message[: at.start()] if at else message
    if what.startswith("Detected duplicate key"):
        return _duplicate(body)
    if what.startswith("recursion limit"):
        return LoadProblem(
            rules.PARSE_LIMIT,
            f"JSON is nested more than {MAX_JSON_DEPTH} levels deep",
            line,
            column,
        )
    # The standard parser words most errors better ("Expecting ',' delimiter"), and
    # decode() names a bad byte or a binary file.
    try:
        json.loads(decode(content, codec, bom), parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        return LoadProblem(rules.PARSE_ERROR, f"invalid JSON: {e.msg}", e.lineno, e.colno)
    except ValueError as e:  # NaN, Infinity
        return LoadProblem(rules.PARSE_ERROR, f"invalid JSON: {e}", line, max(column, 1))
    except RecursionError:
        pass
    # What the standard parser accepts but jiter does not: half of a surrogate pair
    # ("\ud800"), which is no character and which no later stage could print or compare.
    return LoadProblem(rules.PARSE_ERROR, f"invalid JSON: {what}", line, max(column, 1))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# A string (with its colon, when it is a key) or a bracket: enough to know, walking the
# text, which object each key is in.
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"(?:[ \t\n\r]*:)?|[{}\[\]]', re.DOTALL)


def _duplicate(body: bytes) -> LoadProblem:
    """parse.error at the first key that repeats one before it in the same object. Only a
    file that has one comes here; the walk is plain Python, but stops at that key."""
    stack: list[dict[str, int] | None] = []  # per open container: first offset of each key
    for token in _TOKEN.finditer(body):
        first = token[0][:1]
        if first == b"{":
            stack.append({})
        elif first == b"[":
            stack.append(None)
        elif first in b"}]":
            if stack:
                stack.pop()
        elif token[0].endswith(b":") and stack and stack[-1] is not None:
            key = json.loads(token[0][:-1].rstrip())
            keys = stack[-1]
            if key in keys:
                lines = _Lines(body)
                first_line = lines(keys[key])[0]
                line, column = lines(token.start())
                return LoadProblem(
                    rules.PARSE_ERROR,
                    f"duplicate key {key!r} (first at line {first_line}): "
                    "only one of them would count",
                    line,
                    column,
                )
            keys[key] = token.start()
    return LoadProblem(rules.PARSE_ERROR, "duplicate key: only one of them would count")


class JsonLocator:
    """JSON pointer -> (line, column) of the member's key (object) or the item (array)."""

    def __init__(self, body: bytes) -> None:
        self._members: Callable[[memoryview], dict[str, Any]] | None = None
        self._items: Callable[[memoryview], list[Any]] | None = None
        self._body = body
        self._view = memoryview(body)
        self._lines: _Lines | None = None
        # object offset -> (key -> (key offset, value offset, value end) of the members
        # stepped over so far, the members still to step over, where to go on)
        self._objects: dict[int, tuple[dict[str, Span], Iterator[tuple[str, Any]], list[int]]]
        self._objects = {}
        # array offset -> (raw length of every item, offsets of the items found so far)
        self._arrays: dict[int, tuple[list[int], list[int]]] = {}

    def __call__(self, pointer: str) -> tuple[int, int]:
        lines = self._start()
        return lines(self._offset(pointer))

    def many(self, pointers: Sequence[str]) -> list[tuple[int, int]]:
        """(line, column) of each pointer: their offsets first, then the lines counted
        in one pass in text order (Document.locate calls this for a run's findings)."""
        lines = self._start()
        return lines.many([self._offset(p) for p in pointers])

    def _start(self) -> _Lines:
        if self._lines is None:  # the first look-up
            import msgspec  # not before: a clean document never asks for a position

            self._members = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode
            self._items = msgspec.json.Decoder(list[msgspec.Raw]).decode
            self._lines = _Lines(self._body)
        return self._lines

    def _offset(self, pointer: str) -> int:
        """Offset of the pointer's key or item, else of its nearest parent that exists."""
        gap = _GAP.match(self._body)
        assert gap is not None  # `*`: it matches everywhere
        pos = gap.end()
        end, best = len(self._body), pos
        for token in pointer_tokens(pointer):
            try:
                found = self._child(pos, end, token)
            except ValueError:  # msgspec.DecodeError: not for text jiter read; be safe
                found = None
            if found is None:  # not in the document: its nearest parent that is
                break
            best, pos, end = found
        return best

    def _child(self, pos: int, end: int, token: str) -> Span | None:
        """(offset to report, value offset, value end) of one step down, or None."""
        opener = self._body[pos : pos + 1]
        if opener == b"{":
            return self._member(pos, end, token)
        if opener == b"[" and token.isdigit():
            return self._item(pos, end, int(token))
        return None

    def _member(self, pos: int, end: int, key: str) -> Span | None:
        """msgspec gives the values' raw lengths in text order (keys are unique: jiter
        refused the file otherwise); the keys are stepped over here, only as far as the
        one asked for, and where that stopped is kept for the next look-up."""
        entry = self._objects.get(pos)
        if entry is None:
            assert self._members is not None
            raws = iter(self._members(self._view[pos:end]).items())
            entry = self._objects[pos] = ({}, raws, [pos + 1])
        members, rest, cursor = entry
        body = self._body
        member = _MEMBER.match
        while key not in members:
            following = next(rest, None)
            if following is None:
                return None
            found = member(body, cursor[0])
            assert found is not None  # msgspec read this member: its key is here
            value = found.end()
            cursor[0] = value + len(following[1])
            members[following[0]] = (found.start(1), value, cursor[0])
        return members[key]

    def _item(self, pos: int, end: int, index: int) -> Span | None:
        entry = self._arrays.get(pos)
        if entry is None:
            assert self._items is not None
            lengths = list(map(len, self._items(self._view[pos:end])))
            entry = self._arrays[pos] = (lengths, [])
        lengths, offsets = entry
        if index >= len(lengths):
            return None
        match = _GAP.match
        body = self._body
        cursor = offsets[-1] + lengths[len(offsets) - 1] if offsets else pos + 1
        for i in range(len(offsets), index + 1):
            gap = match(body, cursor)
            assert gap is not None
            at = gap.end()
            offsets.append(at)
            cursor = at + lengths[i]
        at = offsets[index]
        return at, at, at + lengths[index]


class _Lines:
    """Byte offset -> (line, column in characters) for many look-ups in a large UTF-8
    text: newlines are counted from the nearest offset already looked up, so N look-ups in
    any order cost about one pass over the text. (source.LineIndex does the same for str;
    this file's text stays bytes, as jiter and msgspec read it.)"""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._offsets: list[int] = [0]
        self._lines: list[int] = [1]

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._offsets, offset) - 1
        line = self._lines[i] + self._body.count(b"\n", self._offsets[i], offset)
        if self._offsets[i] != offset:
            self._offsets.insert(i + 1, offset)
            self._lines.insert(i + 1, line)
        start = self._body.rfind(b"\n", 0, offset) + 1
        return line, len(self._body[start:offset].decode("utf-8", errors="replace")) + 1

    def many(self, offsets: list[int]) -> list[tuple[int, int]]:
        """Each offset's (line, column), looked up in text order: each count then starts
        at the offset before it, and no look-up inserts into the middle of the index."""
        found = {offset: self(offset) for offset in sorted(set(offsets))}
        return [found[offset] for offset in offsets]
