"""Names written in another script, spelled in Latin letters so the ban lists' names apply.

    АО «Лаборатория Касперского» -> ao, lab, kaspersky       (anyascii, Russian endings)
    华为技术                         -> huawei, technology        (pinyin syllables, joined)

Alphabetic scripts (Cyrillic, Greek, ...) go through anyascii letter by letter; a Russian
adjective or genitive ending after -sk- (Касперского, Касперский) becomes -sky, the way
the names are spelled in English. Chinese and Japanese characters become one syllable each
(华 hua, 为 wei); runs of syllables are joined greedily into the longest word that a listed
name or a known generic word uses (hua+wei -> huawei), since the script has no spaces.
anyascii is a pure-Python wheel with tables: no ICU needed.
"""

from __future__ import annotations

import re
from collections.abc import Container

from anyascii import anyascii

from procgate.match.vocabulary import PLACES, TRANSLITERATED_WORDS

_WORD = re.compile(r"[a-z0-9]+")
_RUSSIAN_ENDING = re.compile(r"sk(?:iy|ii|ij|yj|yy|y|ogo|omu|im|om|aya|oy|oi|ikh|ie|ye|aja)$")
_LONGEST_WORD = 8  # syllables: longer listed words do not occur in Chinese names


def is_ideographic(char: str) -> bool:
    """Han characters, kana and hangul: written without spaces between words."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul syllables
    )


def transliterate(tokens: list[str], known: Container[str]) -> list[str]:
    """The tokens in Latin letters; ASCII tokens stay as they are. `known`: words the ban
    lists use, to find word boundaries in ideographic text."""
    out: list[str] = []
    for token in tokens:
        if token.isascii():
            out.append(token)
        elif any(is_ideographic(c) for c in token):
            out += _segment(_syllables(token), known)
        else:
            out += [_russian(w) for w in _WORD.findall(anyascii(token).lower())]
    get = TRANSLITERATED_WORDS.get
    return [get(t, t) for t in out]


def has_ideographs(token: str) -> bool:
    return not token.isascii() and any(is_ideographic(c) for c in token)


def _russian(word: str) -> str:
    return _RUSSIAN_ENDING.sub("sky", word) if len(word) > 5 else word


def latin_words(syllables: list[str], known: Container[str]) -> list[str]:
    """Syllables of ideographic text joined into words, generic ones in English."""
    get = TRANSLITERATED_WORDS.get
    return [get(w, w) for w in _segment(syllables, known)]


def syllables(token: str) -> list[str]:
    """One syllable per ideograph (华为 -> hua, wei; 華為 too); other letters stay a word."""
    return _syllables(token)


def _syllables(token: str) -> list[str]:
    """One syllable per ideograph; a run of other letters stays one piece."""
    pieces: list[str] = []
    run = ""
    for char in token:
        if is_ideographic(char):
            if run:
                pieces += _WORD.findall(anyascii(run).lower())
                run = ""
            pieces += _WORD.findall(anyascii(char).lower())
        else:
            run += char
    if run:
        pieces += _WORD.findall(anyascii(run).lower())
    return pieces


def _segment(syllables: list[str], known: Container[str]) -> list[str]:
    """Greedy longest match: [hua, wei, ji, shu, you, xian] -> [huawei, jishu, youxian]. A
    syllable that starts no known word stays a token of its own, so it never joins a listed
    name by accident. A listed word needs three syllables or more: too many two-character
    names sound alike (达华 and 大华 are both "dahua"); those match only as listed, in
    characters."""
    words: list[str] = []
    i, n = 0, len(syllables)
    while i < n:
        for j in range(min(n, i + _LONGEST_WORD), i, -1):
            word = "".join(syllables[i:j])
            listed = j - i > 2 and word in known
            if j - i == 1 or listed or word in TRANSLITERATED_WORDS or word in PLACES:
                words.append(word)
                i = j
                break
    return words
