"""Respellings: a name's words as the ban lists write them, when it hides a listed word.

    Hua-wei Technologies   -> huawei Technologies   pieces of a listed word joined
    hu4wei, kasp3rsky      -> huawei, kaspersky     digits inside a word read as letters

Words written together ("KasperskyLab", "chinatelecom") need no respelling: the index
files every listed name under its words joined too (index.py).

Digits count as letters only inside a word, between letters ("hikvisi0n"): a number on its
own, or at a word's start or end ("Trading 28", "3Com", "x86"), is part of the name's
identity, never a typo (`codes`).
"""

from __future__ import annotations

import re
from collections.abc import Container

# The letters a digit stands for in "leet" spelling; 1 is i or l.
_LEET = {"0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b",
         "9": "g"}
_LEET_L = {**_LEET, "1": "l"}
_TABLE = str.maketrans(_LEET)
_TABLE_L = str.maketrans(_LEET_L)
_INSIDE = re.compile(r"[^\W\d_]+(?:\d[^\W\d_]+)+")  # single digits, letters around each
_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
_PIECE = _WORD
# Word pieces split by punctuation but no space: "Hua-wei", "Kas.per.sky", "Z_T_E".
_COMPOUND = re.compile(r"[^\W_]+(?:(?:[^\w\s]|_)+[^\W_]+)+")
_SPLIT_WORD = re.compile(r"[^\W_](?:[^\w\s]|_)+[^\W_]")
_JOIN_MIN = 5  # letters of a listed word that pieces may join into ("Da-hua")
_PIECE_MAX = 6  # a piece longer than this is a word of its own


def is_leet(token: str) -> bool:
    """Digits inside a word, each between letters: hu4wei, k4sp3rsky; not 28, 3com, x86."""
    return not token.isalpha() and not token.isdigit() and _INSIDE.fullmatch(token) is not None


def unleet(token: str) -> list[str]:
    """The word with its digits read as letters (1 as i, then as l)."""
    first = token.translate(_TABLE)
    return [first, token.translate(_TABLE_L)] if "1" in token else [first]


def codes(tokens: list[str]) -> list[str]:
    """The number and code tokens of a name (28, 2b, t800), sorted: they identify it."""
    return sorted(t for t in tokens if not t.isalpha() and not is_leet(t) and _has_digit(t))


def _has_digit(token: str) -> bool:
    return any(c.isdigit() for c in token)


def respell(text: str, words: Container[str]) -> tuple[str, bool] | None:
    """(text, by_digits): the text with leet words read as letters and the pieces of a word
    split by punctuation joined, wherever that makes a listed word (`words`, casefolded);
    None when nothing changes. `by_digits`: a digit was read as a letter (a different
    spelling, scored like a typo); else only punctuation went ("Hua-wei": the same name).
    A space is a word boundary: "Da Hua Trading" is another company than Dahua."""
    by_digits = False

    def read(match: re.Match[str]) -> str:
        nonlocal by_digits
        word = match.group()
        lowered = word.casefold()
        if is_leet(lowered):
            for reading in unleet(lowered):
                if reading in words:
                    by_digits = True
                    return reading
        return word

    out = _WORD.sub(read, text) if _DIGIT.search(text) else text
    if _SPLIT_WORD.search(out):
        out = _COMPOUND.sub(lambda m: _join_pieces(m.group(), words), out)
    return (out, by_digits) if out != text else None


def _join_pieces(compound: str, words: Container[str]) -> str:
    """Two or three short pieces that together are a listed word: Hua-wei -> huawei. The
    other pieces keep their separators."""
    pieces = _PIECE.findall(compound)
    lowered = [p.casefold() for p in pieces]
    out: list[str] = []
    i, n = 0, len(pieces)
    while i < n:
        for j in (i + 3, i + 2):
            if j > n or max(map(len, lowered[i:j])) > _PIECE_MAX:
                continue
            word = "".join(lowered[i:j])
            if len(word) >= _JOIN_MIN and word.isalpha() and word in words:
                out.append(word)
                i = j
                break
        else:
            out.append(pieces[i])
            i += 1
    return " ".join(out) if len(out) < n else compound


def could_respell(name: str, tokens: list[str], words: Container[str]) -> bool:
    """Might `respell` change this ASCII name (`tokens`: its casefolded words)? For the
    matcher's fast path: a leet word, or a word split by punctuation whose short pieces
    join into a listed word."""
    if any(not t.isalpha() and is_leet(t) for t in tokens):
        return True
    if _SPLIT_WORD.search(name) is None:  # the usual case: no punctuation inside a word
        return False
    before = before2 = ""  # the previous short pieces, "" after a long word
    for token in tokens:
        if len(token) > _PIECE_MAX:
            before = before2 = ""
            continue
        if before and (before + token in words or (before2 and before2 + before + token in words)):
            return True
        before2, before = before, token
    return False
