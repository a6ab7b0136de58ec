"""Positions recorded while converting another syntax (XML, tag-value) to JSON shape.

Each container the converter builds gets a small table: member key or item index ->
(line, column) of the element or tag it came from. A look-up walks the pointer through
the data itself and keeps the deepest recorded position, so a pointer into a value that
has no mark of its own (a string inside a list) lands on its nearest marked parent.
A mark that is a bare line number (XML records lines only) stands for (line, 0); the
column is then found on demand by `column_of`. A 100k-component SBOM has over a million
marks: a tuple each would cost ~80 MB more.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procgate.load.source import pointer_tokens

Position = tuple[int, int]


class MarkLocator:
    def __init__(self, data: Any, root: Position) -> None:
        self._data = data  # keeps every marked container alive, so ids stay unique
        self.root = root  # where a pointer with no mark on its way lands
        self._marks: dict[int, dict[str | int, Position | int]] = {}
        # XML records lines only (column 0); this finds the column on demand: the first
        # non-blank character of the line, where a pretty-printed element starts.
        self.column_of: Callable[[int], int] | None = None

    def mark(self, container: Any, key: str | int, line: int, column: int = 1) -> None:
        self._marks.setdefault(id(container), {})[key] = (line, column)

    def table(self, container: Any) -> dict[str | int, Position | int]:
        """The marks of one container, to fill directly: key -> (line, column) or line."""
        return self._marks.setdefault(id(container), {})

    def __call__(self, pointer: str) -> Position:
        node = self._data
        best = self.root
        for token in pointer_tokens(pointer):
            key: str | int = token
            if isinstance(node, list):
                if not token.isdigit() or int(token) >= len(node):
                    break
                key = int(token)
            elif not isinstance(node, dict) or token not in node:
                break
            marks = self._marks.get(id(node))
            if marks is not None and key in marks:
                mark = marks[key]
                best = (mark, 0) if isinstance(mark, int) else mark
            node = node[key]
        if best[1] == 0 and self.column_of is not None:
            return best[0], self.column_of(best[0])
        return best
