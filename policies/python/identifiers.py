"""identifiers.malformed: entity identifiers that cannot be what they claim to be.

Screening by identifier is exact, so a mistyped UEI, CAGE, LEI or DUNS silently defeats it.
Formats (shared/facts/vendor-bans.md §2):
- UEI (SAM.gov, since 2022-04-04): 12 characters, uppercase letters and digits, never O or I.
- CAGE: 5 characters, letters and digits, never I or O.
- LEI (ISO 17442): 20 characters, 18 alphanumerics then 2 check digits, ISO 7064 MOD 97-10.
- DUNS: 9 digits (retired for federal awards in 2022, still on many vendor records).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from procgate import rules
from procgate.decide.python import PolicyInput, Result, policy
from procgate.identifiers import lei_valid  # ISO 7064 MOD 97-10, as the matcher checks it

_SHAPES = {
    "uei": (re.compile(r"[A-HJ-NP-Z0-9]{12}"), "12 letters and digits without O or I"),
    "cage": (re.compile(r"[A-HJ-NP-Z0-9]{5}"), "5 letters and digits without I or O"),
    "lei": (re.compile(r"[A-Z0-9]{18}[0-9]{2}"), "20 characters ending in 2 check digits"),
    "duns": (re.compile(r"[0-9]{9}"), "9 digits"),
}


def compact(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


@policy(rules.MALFORMED_IDENTIFIER, kinds={"purchase-request"})
def malformed_identifiers(inp: PolicyInput) -> Iterator[Result]:
    for s in inp.subjects:
        shape = _SHAPES.get(s.role)
        if shape is None:
            continue
        pattern, words = shape
        value = compact(s.value)
        if not pattern.fullmatch(value):
            yield Result(
                f"{s.role.upper()} {s.value!r} is not a valid {s.role.upper()} ({words}).",
                severity="warn",
                pointer=s.pointer,
            )
        elif s.role == "lei" and not lei_valid(value):
            yield Result(
                f"LEI {s.value!r} fails its ISO 7064 check digits: it is mistyped.",
                severity="warn",
                pointer=s.pointer,
            )
