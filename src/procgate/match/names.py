"""Organization names folded into token sequences that compare equal when the names do.

"AO Kaspersky Lab", "Kaspersky Lab, Inc." and "KASPERSKY LAB ZAO" all come to
("kaspersky", "lab") once folded (fold) and stripped of legal forms (strip_legal). Pure and
cheap: the matcher calls these once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata

from procgate.match.visible import seen
from procgate.match.vocabulary import (
    CANONICAL,
    CJK_LEGAL_SUFFIXES,
    GENERIC,
    LEGAL_FORMS,
    LEGAL_PREFIXES,
    NON_DISTINCTIVE,
    PLACEHOLDERS,
    QUALIFIERS,
    STOP_WORDS,
)

_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)([^\s/:?#<>()\[\]\"',;]+)\S*", re.IGNORECASE)
_CONTACT_HINT = re.compile(r"@|://|www\.", re.IGNORECASE).search
_TRAILING = LEGAL_FORMS | STOP_WORDS  # "S.A. de C.V.": a stop word between legal forms
_PARTY_PREFIXES = {"organization:": "organization", "person:": "person"}
_CANONICAL_KEYS = frozenset(CANONICAL)
# canonical word -> the spellings that canonicalize to it ("technology" -> tech, technologies)
SPELLINGS: dict[str, set[str]] = {}
for _spelling, _word in CANONICAL.items():
    SPELLINGS.setdefault(_word, set()).add(_spelling)
# First characters of the placeholders in any case, and the blanks before them.
_PLACEHOLDER_STARTS = {c for p in PLACEHOLDERS for c in p[:1] + p[:1].upper()} | {"", " ", "\t"}
_ORGANIZATION_WORDS = LEGAL_FORMS | GENERIC | _CANONICAL_KEYS
# Words strip_legal may remove from a name's ends (with their abbreviations).
STRIPPABLE = _TRAILING | LEGAL_PREFIXES | {k for k, v in CANONICAL.items() if v in LEGAL_FORMS}


def strip_marks(text: str) -> str:
    """As seen (visible.seen: invisible characters out, NFKC, look-alike letters of mixed
    words in Latin), then without combining marks: "Škoda" -> "Skoda", full-width -> ASCII."""
    text = seen(text)
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def words(text: str) -> list[str]:
    """Casefolded letter/digit runs; everything else separates them."""
    if text.isascii():  # the common case: an ASCII-only pattern is twice as fast
        return _ASCII_WORD.findall(text.lower())
    return _WORD.findall(strip_marks(text).casefold())


def fold(text: str) -> list[str]:
    """Casefolded word tokens; punctuation is a separator and dotted initials are joined."""
    tokens = words(text)
    if tokens and min(map(len, tokens)) == 1:
        tokens = _join_initials(tokens)
    return tokens


def canonical(tokens: list[str]) -> list[str]:
    """Abbreviations and plurals in one spelling: tech -> technology, labs -> lab, ltd ->
    limited. Applied to listed names and documents alike, so either may abbreviate."""
    if _CANONICAL_KEYS.isdisjoint(tokens):  # the usual case, decided in C
        return tokens
    get = CANONICAL.get
    return [get(t, t) for t in tokens]


def looks_like_organization(tokens: list[str]) -> bool:
    """A legal form or an industry word: "Huawai Technologies" is a company whoever wrote it,
    "Dahua Lin" may be a person. Only such names get typo-tolerant matching."""
    return not _ORGANIZATION_WORDS.isdisjoint(tokens)


def _join_initials(tokens: list[str]) -> list[str]:
    """ "L.L.C." folds to l, l, c: join runs of single letters so legal forms stay one token."""
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
    """Drop legal forms at the ends ("AO ... ZAO", "... S.A. de C.V."), never the whole name."""
    i, j = 0, len(tokens)
    while j - i > 1 and tokens[j - 1] in _TRAILING:
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
    if len(value) >= 20 or value[:1] not in _PLACEHOLDER_STARTS:  # most names, at once
        return False
    return value.strip().casefold() in PLACEHOLDERS


def split_party(value: str, party: str) -> tuple[str, str]:
    """An SPDX "Organization: X" / "Person: X" that arrives unsplit decides the party itself."""
    if ":" not in value:
        return value, party
    head = value[:13].casefold()
    for prefix, kind in _PARTY_PREFIXES.items():
        if head.startswith(prefix):
            return value[len(prefix) :].strip(), kind
    return value, party


def has_contact(value: str) -> bool:
    """An e-mail address or URL may be in it (an @, ://, or www.)."""
    return _CONTACT_HINT(value) is not None


def split_contacts(value: str) -> tuple[str, list[str]]:
    """Separate e-mail addresses and URLs from a name: "Joe <joe@dbzteam.org>" -> Joe, [host]."""
    if _CONTACT_HINT(value) is None:
        return value, []
    hosts = [m.group(1) for m in _EMAIL.finditer(value)]
    value = _EMAIL.sub(" ", value)
    hosts += [m.group(1) for m in _URL.finditer(value)]
    return _URL.sub(" ", value), hosts
