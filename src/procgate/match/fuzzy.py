"""Typos: listed words within one edit of a document's word, and how alike two names are.

Candidates come from a deletion index (symmetric delete): every listed word is stored under
itself and under each string it gives with one letter deleted; a document's word is looked
up the same way. Two words share a key exactly when one edit (insertion, deletion,
substitution, or, via a shared deletion, a swap of neighbours) separates them, so a lookup
costs one dict probe per letter, whatever the size of the list. rapidfuzz (a wheel, C++)
then checks each candidate and scores whole names.

Only words of MIN_LENGTH letters or more take part: one edit turns a short word into
another real word too often ("Lorex"/"Lorem", "Honor"/"Donor").
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

MIN_LENGTH = 6


def eligible(word: str) -> bool:
    """A plain word long enough to be told apart from its one-edit neighbours. Words with
    digits are model numbers and codes, where one character makes a different thing."""
    return len(word) >= MIN_LENGTH and word.isalpha() and word.isascii()


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


class Neighbours:
    """Listed words within one edit of a word."""

    def __init__(self, words: Iterable[str]) -> None:
        # key -> one word (the usual case, no tuple to allocate) or a tuple of words
        table: dict[str, str | tuple[str, ...]] = {}
        for word in words:
            if not eligible(word):
                continue
            for key in (word, *_deletes(word)):
                held = table.get(key)
                if held is None:
                    table[key] = word
                elif held != word and (type(held) is str or word not in held):
                    table[key] = (held, word) if type(held) is str else (*held, word)
        self._table = table
        self._keys = table.keys()

    def __len__(self) -> int:
        return len(self._table)

    def near(self, word: str) -> list[str]:
        """Listed words one edit away from `word` (not `word` itself), closest first."""
        keys = _deletes(word)
        keys.append(word)
        if self._keys.isdisjoint(keys):  # the usual case: one C-level pass
            return []
        found: set[str] = set()
        for key in keys:
            held = self._table.get(key)
            if held is not None:
                found.update((held,) if type(held) is str else held)
        found.discard(word)
        close = [w for w in found if OSA.distance(word, w, score_cutoff=1) <= 1]
        return sorted(close, key=lambda w: (-similarity(word, w), w))


def similarity(a: str, b: str) -> float:
    """1.0 for equal strings, down by the share of letters edited (a swap counts once)."""
    return OSA.normalized_similarity(a, b)
