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
_LEET = {
    "0": "o",
    "1": "i",
    "2": "z",
    "3": "e",
    "4": "a",
    "5": "s",
    "6": "g",
    "7": "t",
    "8": "b",
    "9": "g",
}
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
# Upper-case runs before a capitalised word ("AOKaspersky": AO, Kaspersky), words, digits.
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_CAMEL_HINT = re.compile(r"[a-z][A-Z]|[A-Z][A-Z][a-z]")
_JOIN_MIN = 3  # letters of a listed word that pieces may join into ("Da-hua")


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
    """(text, by_digits): the text with leet words read as letters, the pieces of a word
    split by punctuation joined where that makes a listed word (`words`, casefolded), and
    camel-cased words split into their parts (but not inside a listed word: ByteDance);
    None when nothing changes. `by_digits`: a digit was read as a letter (a different
    spelling); else only punctuation or spacing changed ("Hua-wei", "AOKasperskyLab": the
    same name). A space is a word boundary: "Da Hua Trading" is another company than Dahua."""
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
        out = _COMPOUND.sub(lambda m: _joined(m.group(), words), out)
    if _CAMEL_HINT.search(out):
        out = _WORD.sub(lambda m: _join_pieces(_camel(m.group()), words), out)
    return (out, by_digits) if out != text else None


def _joined(compound: str, words: Container[str]) -> str:
    """A word split by punctuation, with the pieces that make a listed word joined; as it
    was when none do (its pieces are words of their own anyway)."""
    pieces = _PIECE.findall(compound)
    out = _join_pieces(pieces, words)
    return out if out.count(" ") < len(pieces) - 1 else compound


def _camel(word: str) -> list[str]:
    """A word's camel-case parts ("AOKasperskyLab": AO, Kaspersky, Lab; "GmbH": Gmb, H);
    itself when it has none, or reads as case flips rather than words: a lone lower-case
    letter first ("dAhUa", "iPhone") or several lone letters."""
    if word.isupper() or word.islower() or not word.isascii():
        return [word]
    parts = _CAMEL_PART.findall(word)
    lone = sum(1 for p in parts if len(p) == 1)
    if len(parts) < 2 or lone > 1 or (len(parts[0]) == 1 and parts[0].islower()):
        return [word]
    return parts


def _join_pieces(pieces: list[str], words: Container[str]) -> str:
    """Pieces that together are a listed word, joined, the longest run first: Hua-wei ->
    huawei, Kas.per.sky-Lab -> kaspersky Lab. The other pieces are words of their own."""
    if len(pieces) < 2:
        return "".join(pieces)
    out: list[str] = []
    i, n = 0, len(pieces)
    while i < n:
        j = _listed_run(pieces, i, words)
        if j:
            out.append("".join(pieces[i:j]))
            i = j
        else:
            out.append(pieces[i])
            i += 1
    return " ".join(out)


def _listed_run(pieces: list[str], i: int, words: Container[str]) -> int:
    """The end of the longest run of two or more pieces from `i` that is a listed word."""
    for j in range(len(pieces), i + 1, -1):
        word = "".join(pieces[i:j]).casefold()
        if len(word) >= _JOIN_MIN and word.isalpha() and word in words:
            return j
    return 0


def could_respell(name: str, tokens: list[str], words: Container[str]) -> bool:
    """Might `respell` change this ASCII name (`tokens`: its casefolded words) into listed
    words? For the matcher's fast path: a leet word, a word split by punctuation whose
    pieces join into a listed word, a camel-cased word with a listed part. Each test starts
    with a string method in C: this runs for every distinct vendor name."""
    if not all(map(str.isalpha, tokens)) and any(map(is_leet, tokens)):
        return True
    if len(tokens) > name.count(" ") + 1:  # more words than spaces make: "Hua-wei"
        for compound in _COMPOUND.findall(name):
            pieces = _PIECE.findall(compound)
            if any(_listed_run(pieces, i, words) for i in range(len(pieces) - 1)):
                return True
    if not (name.istitle() or name.islower() or name.isupper()) and _CAMEL_HINT.search(name):
        for word in _WORD.findall(name):
            parts = _camel(word)
            if len(parts) > 1 and any(p.casefold() in words for p in parts):
                return True
    return False
