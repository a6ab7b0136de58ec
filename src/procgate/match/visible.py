"""Text as a person sees it: what a name looks like on screen, not how it is encoded.

    "Hua<U+200B>wei"           -> "Huawei"      invisible characters removed
    "<U+202E>bal yksrepsaK"    -> "Kaspersky lab"  a right-to-left override read as shown
    "Каѕреrѕkу" (Cyrillic+Latin) -> "Kaspersky"  look-alike letters folded to their Latin shape
    "ＨＩＫＶＩＳＩＯＮ", "𝐇𝐢𝐤𝐯𝐢𝐬𝐢𝐨𝐧"  -> "HIKVISION", "Hikvision"  (NFKC)

Invisible: Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt: soft hyphen,
zero-width space/joiners, word joiner, bidi controls, BOM, variation selectors, Hangul
fillers...) and every other format character (category Cf).

Look-alikes follow UTS #39 (Unicode Security Mechanisms): its confusables.txt maps each
character to a prototype of the same shape, and its skeleton is the string of prototypes.
Here only characters whose prototype is ASCII letters or digits are folded (Cyrillic а -> a,
Greek Η -> H, Latin ı -> i), and only where shape must win over sound: inside a word that
mixes scripts, and Latin letters anywhere. A word written wholly in Cyrillic or Greek is a
real word of that language and keeps its letters; the matcher transliterates it
(translit.py) and also tries its shape (`shape`). The confusables and script data are
Unicode's, as shipped by the confusable-homoglyphs package (MIT; data from unicode.org,
Unicode licence v3), read once from its data files, on the first value that is not ASCII
(without importing its modules, which pull in urllib, ssl and email).
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from procgate.model import Subject

# Default_Ignorable_Code_Point, Unicode 15.1 DerivedCoreProperties.txt (category Cf is
# added per character).
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# A right-to-left override up to its pop (or the end): shown in reverse order.
_OVERRIDE = re.compile("\u202e([^\u202a-\u202e\u2066-\u2069]*)(?:\u202c|$)")
_WORD = re.compile(r"[^\W_]+")
_LATIN = "LATIN"
_NEUTRAL = frozenset({"COMMON", "INHERITED", "Unknown"})
# Scripts written together in one word by design (Japanese mixes all of these, Korean
# Hangul with Han): UTS #39 "highly restrictive" allows them with Latin.
_EAST_ASIAN = frozenset({"HAN", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})
# Joining scripts, where ZWJ/ZWNJ are spelling (Persian, Indic): not hidden there.
_PLAIN_SCRIPTS = frozenset({_LATIN, "GREEK", "CYRILLIC"}) | _EAST_ASIAN | _NEUTRAL


def seen(text: str) -> str:
    """The text as displayed: invisible characters dropped, overrides applied, NFKC, and
    look-alike letters folded where shape decides (see the module doc). ASCII: unchanged."""
    if text.isascii():
        return text
    return _seen(text)


@lru_cache(maxsize=65_536)
def _seen(text: str) -> str:
    # Look-alikes before NFKC too: NFKC turns some into other letters (Greek lunate sigma
    # Ϲ, a C look-alike, into Σ), and after it, for full-width and mathematical ones.
    text = unicodedata.normalize("NFKC", _WORD.sub(_fold_before_nfkc, _visible(text)))
    if text.isascii():
        return text
    return _WORD.sub(_fold_word, text)


def shape(text: str) -> str:
    """Every letter with an ASCII look-alike folded to it, whatever its script: the reading
    of a name spelled wholly in look-alikes ("НЕХ" in Cyrillic reads HEX)."""
    if text.isascii():
        return text
    table = prototypes()
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", _visible(text)))


def hidden(text: str) -> list[str]:
    """What a reader would not see: invisible characters (named, with their code point)
    and words that mix look-alike letters of several scripts. Empty for plain text, and
    for joiners in scripts that spell with them."""
    if text.isascii():
        return []
    found: list[str] = []
    plain = _scripts(text) <= _PLAIN_SCRIPTS
    for char in dict.fromkeys(c for c in text if _is_invisible(c)):
        if plain or char not in "\u200c\u200d":
            found.append(f"U+{ord(char):04X} {unicodedata.name(char, 'format character')}")
    visible = _visible(text)
    for form in (visible, unicodedata.normalize("NFKC", visible)):  # as _seen folds
        mixed = [(w, s) for w in _WORD.findall(form) if len(s := _letter_scripts(w)) > 1]
        for word, scripts in mixed:
            names = " and ".join(s.title() for s in sorted(scripts))
            found.append(f"{word!r} mixes {names} letters")
        if mixed:
            break
    return found


# Roles whose value names a vendor: a disguise there is reported (`disguised`).
NAMING_ROLES = frozenset(
    {
        "vendor",
        "manufacturer",
        "supplier",
        "publisher",
        "author",
        "originator",
        "brand",
        "cpe-vendor",
    }
)


def disguised(subjects: Iterable[Subject]) -> list[tuple[Subject, list[str]]]:
    """The vendor-naming subjects whose value hides something (`hidden`), with what."""
    out = []
    for subject in subjects:
        if subject.value.isascii() or subject.role not in NAMING_ROLES:
            continue  # the usual case, decided without a call
        what = _hidden(subject.value)
        if what:
            out.append((subject, list(what)))
    return out


@lru_cache(maxsize=4096)
def _hidden(text: str) -> tuple[str, ...]:
    return tuple(hidden(text))


def _visible(text: str) -> str:
    if "\u202e" in text:
        text = _OVERRIDE.sub(lambda m: m.group(1)[::-1], text)
    text = _IGNORABLE.sub("", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _is_invisible(char: str) -> bool:
    return _IGNORABLE.match(char) is not None or unicodedata.category(char) == "Cf"


def _fold_word(match: re.Match[str]) -> str:
    word = match.group()
    if word.isascii():
        return word
    if len(_letter_scripts(word)) > 1:  # mixed: every look-alike takes its Latin shape
        table = prototypes()
        return "".join(table.get(c, c) for c in word)
    # One script: only its non-ASCII Latin letters can fold (the table maps no ASCII);
    # a Han or Cyrillic name (the shipped lists hold some) does not read the table at all.
    if not any(script(c) == _LATIN for c in word if not c.isascii()):
        return word
    table = prototypes()
    return "".join(table.get(c, c) if script(c) == _LATIN else c for c in word)


def _fold_before_nfkc(match: re.Match[str]) -> str:
    """Mixed words' look-alikes that NFKC would not make ASCII (it makes Ϲ a Σ); the
    full-width and mathematical ones are left to NFKC, which keeps their case (Ｉ is I)."""
    word = match.group()
    if word.isascii() or len(_letter_scripts(word)) < 2:
        return word
    table = prototypes()
    return "".join(
        table.get(c, c) if not unicodedata.normalize("NFKC", c).isascii() else c for c in word
    )


def _letter_scripts(word: str) -> set[str]:
    """The scripts of a word's letters; East Asian scripts count as one, neutral as none."""
    scripts = {script(c) for c in word if not c.isascii() or c.isalpha()} - _NEUTRAL
    if len(scripts & _EAST_ASIAN) > 1:
        scripts = (scripts - _EAST_ASIAN) | {"HAN"}
    if scripts & _EAST_ASIAN and scripts - _EAST_ASIAN == {_LATIN}:
        return {_LATIN}  # "华为Huawei": allowed together (UTS #39 highly restrictive)
    return scripts


def _scripts(text: str) -> set[str]:
    return {script(c) for c in text if c.isalpha()}


@cache
def script(char: str) -> str:
    """Unicode Script property (Scripts.txt), upper case: LATIN, CYRILLIC, COMMON..."""
    if char.isascii():
        return _LATIN if char.isalpha() else "COMMON"
    ranges, aliases = _scripts_data()
    at = bisect_right(ranges, (ord(char), _MAX_CODE_POINT)) - 1
    if at >= 0 and ranges[at][0] <= ord(char) <= ranges[at][1]:
        return aliases[ranges[at][2]]
    return "Unknown"


_MAX_CODE_POINT = 0x10FFFF


@cache
def _scripts_data() -> tuple[list[tuple[int, int, int]], list[str]]:
    """categories.json: sorted (first, last, script number) code point ranges, and the
    script names."""
    data = _package_data("categories.json")
    ranges = [(first, last, script) for first, last, script, *_ in data["code_points_ranges"]]
    return ranges, data["iso_15924_aliases"]


def _package_data(name: str) -> Any:
    """A data file of confusable-homoglyphs, read without importing the package: its
    modules import urllib.request (and so ssl, http and email) to download updates, a
    fifth of the time of a one-file `procgate check`."""
    spec = importlib.util.find_spec("confusable_homoglyphs")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("confusable-homoglyphs is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return json.loads((folder / name).read_bytes())


@cache
def prototypes() -> dict[str, str]:
    """Characters whose UTS #39 prototype is ASCII letters or digits -> that prototype.

    confusable-homoglyphs keeps confusables.txt's pairs in both directions; a character
    that has an ASCII letter or digit among its look-alikes maps to it (the only ASCII
    letters or digits that are themselves mapped, m, I, 0 and 1, map to ASCII)."""
    table: dict[str, str] = {}
    for char, pairs in _package_data("confusables.json").items():
        if len(char) != 1 or char.isascii() or not char.isalnum():
            continue
        for pair in pairs:
            target = pair["c"]
            if target.isascii() and target.isalnum():
                # UTS #39 draws I as l and m as rn; a capital look-alike of l (Greek Ι)
                # is an I here, and a look-alike of m an m.
                if target == "l" and char.isupper():
                    target = "I"
                table[char] = "m" if target == "rn" else target
                break
    return table
