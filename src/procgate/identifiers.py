"""Organisation identifiers (UEI, CAGE, LEI, DUNS): their compared form and their shape.

Used by the matcher (match/), the ban-list loader (procgate.lists), the importers and the
shipped identifiers policy; one implementation of each check.
"""

from __future__ import annotations

import re

SCHEMES = ("uei", "cage", "lei", "duns")

_ID_NOISE = re.compile(r"[\s\-]+")
# "LEI: ...", "CAGE code 1ABC5": a scheme label before the value, ended by ":", "#" or a space.
_ID_LABEL = re.compile(
    r"^\s*(?:lei|uei|n?cage|duns|d-u-n-s)(?:\s*(?:code|number|no\.?))?(?:\s*[:#]|\s)\s*", re.I
)
_UEI = re.compile(r"[A-HJ-NP-Z0-9]+")
_LETTER_NUMBERS = str.maketrans({chr(ord("A") + i): str(10 + i) for i in range(26)})


def identifier_key(value: str) -> str:
    """UEI, CAGE, LEI, DUNS as compared: upper case, no spaces, dashes or scheme label
    ("LEI: 5493 00..." -> "549300...")."""
    return _ID_NOISE.sub("", _ID_LABEL.sub("", value)).upper()


def lei_valid(key: str) -> bool:
    """ISO 17442: 18 letters/digits and 2 check digits, ISO 7064 MOD 97-10 (letters count
    A=10..Z=35; the number modulo 97 is 1)."""
    if len(key) != 20 or not key.isalnum() or not key[18:].isdigit() or not key.isascii():
        return False
    return int(key.upper().translate(_LETTER_NUMBERS)) % 97 == 1


def uei_valid(key: str) -> bool:
    """SAM.gov UEI: 12 letters/digits, never O or I, not starting with 0. Its last character
    is a check character whose algorithm is not published, so only the shape is checked."""
    return len(key) == 12 and _UEI.fullmatch(key) is not None and key[0] != "0"


def cage_valid(key: str) -> bool:
    """CAGE/NCAGE: 5 letters/digits, never O or I."""
    return len(key) == 5 and _UEI.fullmatch(key) is not None


def duns_valid(key: str) -> bool:
    return len(key) == 9 and key.isdigit() and key.isascii()


# scheme -> is a compared key a well-formed identifier of that scheme?
VALIDATORS = {"lei": lei_valid, "uei": uei_valid, "cage": cage_valid, "duns": duns_valid}
