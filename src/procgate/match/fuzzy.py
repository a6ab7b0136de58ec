"""Typos: listed words within one edit of a document's word, and how alike two names are.

Candidates come from an index of word ends. When one edit (insertion, deletion,
substitution, swap of neighbours) separates two words of five letters or more, they still
share their first or their last END letters (2, or 3 from seven letters on): an edit near
the start leaves the end alone and the other way round. So every listed word is filed under
its first and last letters, once for each length a one-edit neighbour can have, and a
lookup costs two dict probes, whatever the size of the list. rapidfuzz (a wheel, C++) then
checks each candidate and scores whole names.

Only listed words of MIN_LENGTH letters or more take part (a document's word may have one
letter less): one edit turns a short word into another real word too often ("Lorex"/
"Lorem", "Honor"/"Donor").
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

MIN_LENGTH = 6  # of a listed word
MIN_QUERY = MIN_LENGTH - 1  # a document's word may have lost a letter ("Huaei")


def eligible(word: str, minimum: int = MIN_QUERY) -> bool:
    """A plain word long enough to be told apart from its one-edit neighbours. Words with
    digits are model numbers and codes, where one character makes a different thing."""
    return len(word) >= minimum and word.isalpha() and word.isascii()


def _end(length: int) -> int:
    """Letters of each end that a one-edit neighbour of a `length`-letter word keeps."""
    return 3 if length >= 7 else 2


class Neighbours:
    """Listed words within one edit of a word."""

    def __init__(self, words: Iterable[str]) -> None:
        # By length: [length] -> {first END letters: words}, [length] -> {last END letters: ...}
        starts: list[dict[str, list[str]]] = []
        ends: list[dict[str, list[str]]] = []
        for word in words:
            if not eligible(word, MIN_LENGTH):
                continue
            size = len(word)
            while len(starts) <= size + 1:
                starts.append({})
                ends.append({})
            # Filed for each length a neighbour can have, under that length's end size.
            for length in (size - 1, size, size + 1):
                if length >= MIN_QUERY:
                    end = _end(length)
                    starts[length].setdefault(word[:end], []).append(word)
                    ends[length].setdefault(word[-end:], []).append(word)
        # Tuples: the garbage collector stops tracking them, so a big list costs no GC time.
        self._starts = [{k: tuple(v) for k, v in d.items()} for d in starts]
        self._ends = [{k: tuple(v) for k, v in d.items()} for d in ends]
        self._memo: dict[str, list[str]] = {}  # a document repeats its words

    def __len__(self) -> int:
        return sum(map(len, self._starts)) + sum(map(len, self._ends))

    def near(self, word: str) -> list[str]:
        """Listed words one edit away from `word` (not `word` itself), closest first."""
        size = len(word)
        if size >= len(self._starts):
            return []
        end = 3 if size >= 7 else 2  # _end(size), inlined: this runs for every long word
        first = self._starts[size].get(word[:end])
        last = self._ends[size].get(word[-end:])
        if first is None and last is None:  # the usual case
            return []
        held = self._memo.get(word)
        if held is not None:
            return held
        found = (*(first or ()), *(last or ()))
        close = sorted(
            {w for w in found if w != word and _one_typo(word, w)},
            key=lambda w: (-similarity(word, w), w),
        )
        if len(self._memo) > 100_000:  # bounded, for a long-lived matcher
            self._memo.clear()
        self._memo[word] = close
        return close


def _one_typo(word: str, listed: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours."""
    distance: int = _osa().distance(word, listed, score_cutoff=1)
    return distance <= 1


def similarity(a: str, b: str) -> float:
    """1.0 for equal strings, down by the share of letters edited (a swap counts once)."""
    score: float = _osa().normalized_similarity(a, b)
    return score


@cache
def _osa() -> Any:
    """rapidfuzz's OSA distance, imported when first needed: importing rapidfuzz loads
    its 41 modules (40 ms of CPU), and a check where no word is near a listed one never
    compares two words."""
    from rapidfuzz.distance import OSA

    return OSA
