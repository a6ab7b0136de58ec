"""Subjects as rows: what the SBOM normalizers emit.

A 100k-component SBOM names about half a million values, and almost none of them matches
a listed name. Making a Subject, its pointer string and an Owner for each of them was the
largest stage of a clean check (issue 11). A normalizer instead appends one plain tuple
per value (a C-level build, no call) and keeps, per component, what its Owner is made
from; Subjects and Owners are made only for the rows someone reads: the matcher's hits, a
value that hides characters, a policy or report that walks them all.

SubjectTable is a read-only ``Sequence[Subject]``: indexing and iterating give Subjects
equal to those the old lists held, in the same order; each Owner is made once and shared
by its subjects. The matcher reads `keys()` (role, value, party per row: built in C) and
makes Subjects for its hits alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from operator import itemgetter, not_
from typing import Any, overload

from procgate.model import Owner, Subject
from procgate.normalize._emit import subject as make_subject

# role, value, party, owner index, pointer head, pointer tail (the pointer is head + tail:
# the head is the component's pointer, one string shared by its rows).
Row = tuple[str, str, str, int, str, str]
# Index of a row's fields.
ROLE, VALUE, PARTY, OWNER, HEAD, TAIL = range(6)
OwnerMaker = Callable[..., Owner]

_KEY = itemgetter(ROLE, VALUE, PARTY)
_VALUE = itemgetter(VALUE)


class SubjectTable(Sequence[Subject]):
    """Rows and the owners they point to. `owners[i]` is an Owner, or the arguments of
    `make_owner` that make it (made on first use, then kept in its place)."""

    __slots__ = ("_make_owner", "owners", "rows")

    def __init__(
        self, rows: list[Row], owners: list[Owner | tuple[Any, ...]], make_owner: OwnerMaker
    ) -> None:
        self.rows = rows
        self.owners = owners
        self._make_owner = make_owner

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Subject: ...

    @overload
    def __getitem__(self, index: slice) -> list[Subject]: ...

    def __getitem__(self, index: int | slice) -> Subject | list[Subject]:
        if isinstance(index, slice):
            return [self.subject(row) for row in self.rows[index]]
        return self.subject(self.rows[index])

    def __iter__(self) -> Iterator[Subject]:
        subject = self.subject
        for row in self.rows:
            yield subject(row)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SubjectTable | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a mutable-by-identity sequence, like list

    def __repr__(self) -> str:
        return f"SubjectTable({list(self)!r})"

    def owner(self, index: int) -> Owner:
        made = self.owners[index]
        if isinstance(made, Owner):
            return made
        owner = self.owners[index] = self._make_owner(*made)
        return owner

    def subject(self, row: Row) -> Subject:
        role, value, party, owner, head, tail = row
        return make_subject(role, value, head + tail, self.owner(owner), party)

    def keys(self) -> list[tuple[str, str, str]]:
        """(role, value, party) of every row, in order."""
        return list(map(_KEY, self.rows))

    def where(self, selected: Iterable[bool]) -> list[Subject]:
        """The Subjects of the rows whose flag in `selected` is true."""
        return [self.subject(row) for row in compress(self.rows, selected)]

    def values(self) -> Iterator[str]:
        return map(_VALUE, self.rows)

    def not_ascii(self) -> list[Subject]:
        """The Subjects whose value is not all ASCII (selected in C; the usual all-ASCII
        table is told by one test of all its values joined)."""
        if "".join(self.values()).isascii():
            return []
        return self.where(map(not_, map(str.isascii, self.values())))
