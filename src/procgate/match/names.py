"""Organization names folded into token sequences that compare equal when the names do.

"AO Kaspersky Lab", "Kaspersky Lab, Inc." and "KASPERSKY LAB ZAO" all fold to
("kaspersky", "lab"). Folding is pure and cheap: the matcher calls it once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata

from procgate.match.words import (
    CJK_LEGAL_SUFFIXES,
    LEGAL_FORMS,
    LEGAL_PREFIXES,
    NON_DISTINCTIVE,
    PLACEHOLDERS,
    QUALIFIERS,
)

_NON_WORD = re.compile(r"[\W_]+")
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)([^\s/:?#<>()\[\]\"',;]+)\S*", re.IGNORECASE)
_PARTY_PREFIXES = {"organization:": "organization", "person:": "person"}


def strip_marks(text: str) -> str:
    """NFKC, then drop combining marks (diacritics): "Škoda" -> "Skoda", full-width -> ASCII."""
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def fold(text: str) -> list[str]:
    """Casefolded word tokens; punctuation is a separator and dotted initials are joined."""
    if not text.isascii():  # the common ASCII case skips three Unicode passes
        text = strip_marks(text)
    tokens = _NON_WORD.sub(" ", text.casefold()).split()
    if any(len(t) == 1 for t in tokens):
        tokens = _join_initials(tokens)
    return tokens


def _join_initials(tokens: list[str]) -> list[str]:
    """"L.L.C." folds to l, l, c: join runs of single letters so legal forms stay one token."""
    out: list[str] = []
    run: list[str] = []
    for t in [*tokens, ""]:
        if len(t) == 1:
            run.append(t)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if t:
            out.append(t)
    return out


def strip_legal(tokens: list[str]) -> list[str]:
    """Drop legal forms at the ends ("AO ... ZAO", "... Co., Ltd."), never the whole name."""
    i, j = 0, len(tokens)
    while j - i > 1 and tokens[j - 1] in LEGAL_FORMS:
        j -= 1
    while j - i > 1 and tokens[i] in LEGAL_PREFIXES:
        i += 1
    tokens = tokens[i:j]
    if tokens and not tokens[-1].isascii():
        last = tokens[-1]
        for suffix in CJK_LEGAL_SUFFIXES:
            if last.endswith(suffix) and len(last) > len(suffix):
                tokens[-1] = last[: -len(suffix)]
                break
    return tokens


def name_tokens(text: str) -> list[str]:
    """The comparable form of an organization name: folded, legal forms stripped."""
    return strip_legal(fold(text))


def is_distinctive(token: str) -> bool:
    """Can this token identify an entity on its own? Not a legal form, place or generic word."""
    return len(token) > 1 and token not in NON_DISTINCTIVE and not token.isdigit()


def core(tokens: list[str]) -> tuple[str, ...] | None:
    """The part of a listed name that identifies it inside a longer name or text.

    With distinctive tokens: from the first to the last of them ("Hangzhou Hikvision Digital
    Technology" -> hikvision). All generic ("China Mobile International USA"): the whole name
    less trailing places and qualifiers, at least two tokens (-> china mobile). A single
    generic word ("Lab") has no core: it matches only exactly.
    """
    marks = [i for i, t in enumerate(tokens) if is_distinctive(t)]
    if marks:
        return tuple(tokens[marks[0] : marks[-1] + 1])
    end = len(tokens)
    while end > 2 and tokens[end - 1] in QUALIFIERS:
        end -= 1
    return tuple(tokens[:end]) if end >= 2 else None


def is_placeholder(value: str) -> bool:
    """NOASSERTION, NONE, unknown, n/a, empty: a value that names nobody."""
    return value.strip().casefold() in PLACEHOLDERS


def split_party(value: str, party: str) -> tuple[str, str]:
    """An SPDX "Organization: X" / "Person: X" that arrives unsplit decides the party itself."""
    head = value[:13].casefold()
    for prefix, kind in _PARTY_PREFIXES.items():
        if head.startswith(prefix):
            return value[len(prefix) :].strip(), kind
    return value, party


def split_contacts(value: str) -> tuple[str, list[str]]:
    """Separate e-mail addresses and URLs from a name: "Joe <joe@dbzteam.org>" -> Joe, [host]."""
    if "@" not in value and "://" not in value and "www." not in value.casefold():
        return value, []
    hosts = [m.group(1) for m in _EMAIL.finditer(value)]
    value = _EMAIL.sub(" ", value)
    hosts += [m.group(1) for m in _URL.finditer(value)]
    return _URL.sub(" ", value), hosts
