"""An evasion generator: the disguises an attacker would try on a listed name.

    disguises(name) -> [(kind, disguised name), ...]

Kinds: invisible characters at every position, a right-to-left override around the reversed
name, look-alike letters of other scripts (one letter at a time, and all at once),
full-width and mathematical letters, case flips, punctuation inside words and spacing
between them, digits for letters inside words (leet). Deterministic: the same list on
every run. The look-alikes are Unicode's (UTS #39 confusables, as procgate reads them).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import cache

from procgate.match.visible import prototypes, script

INVISIBLES = (
    "\u200b",  # ZERO WIDTH SPACE
    "\u200c",  # ZERO WIDTH NON-JOINER
    "\u200d",  # ZERO WIDTH JOINER
    "\u2060",  # WORD JOINER
    "\u00ad",  # SOFT HYPHEN
    "\ufeff",  # BYTE ORDER MARK (ZERO WIDTH NO-BREAK SPACE)
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u202a",  # LEFT-TO-RIGHT EMBEDDING
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u2063",  # INVISIBLE SEPARATOR
    "\u180e",  # MONGOLIAN VOWEL SEPARATOR
    "\u034f",  # COMBINING GRAPHEME JOINER
    "\ufe0f",  # VARIATION SELECTOR-16
)
PUNCTUATION = "-._'·/"
LEET = {
    "o": "0",
    "i": "1",
    "l": "1",
    "e": "3",
    "a": "4",
    "s": "5",
    "t": "7",
    "b": "8",
    "g": "9",
    "z": "2",
}


@cache
def lookalikes() -> dict[str, tuple[str, ...]]:
    """ASCII letter -> its look-alikes in other scripts (Cyrillic а for a, Greek Η for H)."""
    found: dict[str, list[str]] = {}
    for char, prototype in prototypes().items():
        if (
            len(prototype) == 1
            and prototype.isalpha()
            and script(char) not in ("LATIN", "COMMON", "INHERITED")
        ):
            found.setdefault(prototype, []).append(char)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def disguises(name: str) -> list[tuple[str, str]]:
    """Every disguise of `name`, without repeats and without the name itself."""
    seen = {name}
    out = []
    for kind, value in _all(name):
        if value not in seen:
            seen.add(value)
            out.append((kind, value))
    return out


def sample(name: str, per_kind: int, seed: int) -> list[tuple[str, str]]:
    """At most `per_kind` disguises of each kind, drawn with a fixed seed."""
    rng = random.Random(f"{seed}:{name}")
    by_kind: dict[str, list[str]] = {}
    for kind, value in disguises(name):
        by_kind.setdefault(kind, []).append(value)
    return [
        (kind, v)
        for kind, values in by_kind.items()
        for v in rng.sample(values, min(per_kind, len(values)))
    ]


def _all(name: str) -> Iterator[tuple[str, str]]:
    yield from _invisible(name)
    yield "rtl-override", "\u202e" + name[::-1] + "\u202c"
    yield from _confusable(name)
    yield "full-width", "".join(_full_width(c) for c in name)
    yield "full-width+zwj", _insert("".join(_full_width(c) for c in name), len(name) // 2, "\u200d")
    yield "mathematical", "".join(_bold(c) for c in name)
    for flip in (name.upper(), name.lower(), name.swapcase(), _alternating(name)):
        yield "case", flip
    yield from _punctuation(name)
    yield "spacing", name.replace(" ", "")
    yield "spacing", "  ".join(name.split(" "))
    yield "spacing", "\t".join(name.split(" "))
    yield from _leet(name)


def _insert(text: str, at: int, char: str) -> str:
    return text[:at] + char + text[at:]


def _invisible(name: str) -> Iterator[tuple[str, str]]:
    for char in INVISIBLES:
        for at in range(len(name) + 1):
            yield "invisible", _insert(name, at, char)


def _confusable(name: str) -> Iterator[tuple[str, str]]:
    table = lookalikes()
    for at, char in enumerate(name):
        choices = table.get(char)
        if choices:
            yield "confusable", name[:at] + choices[at % len(choices)] + name[at + 1 :]
    cyrillic = "".join(_first_cyrillic(table.get(c, ())) or c for c in name)
    yield "confusable-all", cyrillic


def _first_cyrillic(choices: tuple[str, ...]) -> str:
    return next((c for c in choices if script(c) == "CYRILLIC"), choices[0] if choices else "")


def _full_width(char: str) -> str:
    if char == " ":
        return "\u3000"
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


def _bold(char: str) -> str:
    if "A" <= char <= "Z":
        return chr(0x1D400 + ord(char) - ord("A"))
    if "a" <= char <= "z":
        return chr(0x1D41A + ord(char) - ord("a"))
    return char


def _alternating(name: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))


def _inner_positions(name: str) -> Iterator[int]:
    """Positions strictly inside a word of ASCII letters (letters on both sides)."""
    for at in range(1, len(name)):
        if (
            name[at - 1].isascii()
            and name[at - 1].isalpha()
            and name[at].isascii()
            and name[at].isalpha()
        ):
            yield at


def _punctuation(name: str) -> Iterator[tuple[str, str]]:
    for n, at in enumerate(_inner_positions(name)):
        yield "punctuation", _insert(name, at, PUNCTUATION[n % len(PUNCTUATION)])


def _leet(name: str) -> Iterator[tuple[str, str]]:
    for at in range(1, len(name) - 1):
        before, char, after = name[at - 1], name[at], name[at + 1]
        digit = LEET.get(char.lower())
        if digit and before.isascii() and before.isalpha() and after.isascii() and after.isalpha():
            yield "leet", name[:at] + digit + name[at + 1 :]
