"""The ban lists as lookup tables, built once per run.

Every rule is a dict lookup keyed by a folded value (or by each token, prefix or domain
suffix of it), so the cost of matching a value does not grow with the number of names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from procgate.identifiers import identifier_key
from procgate.match import keys
from procgate.match.fuzzy import Neighbours
from procgate.match.names import (
    SPELLINGS,
    STRIPPABLE,
    canonical,
    core,
    fold,
    is_distinctive,
    strip_legal,
    words,
)
from procgate.match.tokens import camel_parts
from procgate.match.translit import has_ideographs, syllables
from procgate.model import BanData, Entity, Name

# Syllables a listed Chinese name needs to be found inside longer text: two-character
# names sound like too many others (大华, da hua, is also 达华, another company).
IDEOGRAPHIC_MIN = 3

# When one value matches several names of the same entity equally well, report the most
# telling one: an identifier, then the legal name, then aliases, and so on.
VIA_RANK = {
    via: rank
    for rank, via in enumerate(
        (
            "identifier",
            "legal-name",
            "alias",
            "former-name",
            "subsidiary",
            "affiliate",
            "brand",
            "purl-namespace",
            "cpe-vendor",
            "domain",
        )
    )
}


ANY_TYPE = "*"  # the purl type of a CycloneDX group: any


# One listed name or identifier of an entity, as a Match reports it:
# (entity id, value as written in the ban list, via, since, until).
# A plain tuple on purpose: the garbage collector stops tracking tuples of strings and dates,
# so a 100k-name index adds nothing to the full collections the rest of the run triggers.
# (With NamedTuples and lists it held 480k tracked objects: each full collection took 0.4 s.)
Ref = tuple[str, str, str, date | None, date | None]
# Positions in a Ref (Final literals: the type checker then knows each field's type).
ENTITY_ID: Final = 0
VALUE: Final = 1
VIA: Final = 2
SINCE: Final = 3
UNTIL: Final = 4


def rank(ref: Ref) -> tuple[int, bool]:
    """Lower is more telling. A name valid for a limited time (a sold brand) comes after one
    that always was."""
    return VIA_RANK.get(ref[VIA], len(VIA_RANK)), ref[UNTIL] is not None


Table = dict[str, tuple[Ref, ...]]


@dataclass
class SequenceTable:
    """Token sequences (name cores) found as whole tokens inside a longer token list."""

    refs: dict[tuple[str, ...], tuple[Ref, ...]] = field(default_factory=dict)
    firsts: set[str] = field(default_factory=set)  # cheap test before any tuple is built
    longest: int = 0

    def add(self, sequence: tuple[str, ...], ref: Ref) -> None:
        self.refs[sequence] = (*self.refs.get(sequence, ()), ref)
        self.firsts.add(sequence[0])
        self.firsts.update(SPELLINGS.get(sequence[0], ()))  # tested before canonical()
        self.longest = max(self.longest, len(sequence))

    def find(self, tokens: list[str]) -> list[Ref]:
        """Refs of every listed sequence that is a run of whole tokens in `tokens`."""
        if self.firsts.isdisjoint(tokens):  # the common case, decided in C
            return []
        return [ref for _, _, refs in self.spans(tokens) for ref in refs]

    def spans(self, tokens: list[str]) -> Iterator[tuple[int, int, tuple[Ref, ...]]]:
        """(start, end, refs) for every listed sequence that is a run of whole tokens."""
        n = len(tokens)
        for i, token in enumerate(tokens):
            if token in self.firsts:
                for j in range(i + 1, min(n, i + self.longest) + 1):
                    refs = self.refs.get(tuple(tokens[i:j]))
                    if refs:
                        yield i, j, refs


@dataclass
class BanIndex:
    exact: Table = field(default_factory=dict)  # folded name, legal forms stripped -> refs
    # Folded name with its legal form: "Kaspersky Lab, Inc." reports that name, not the
    # legal name "AO Kaspersky Lab" that it also equals once legal forms are stripped.
    literal: Table = field(default_factory=dict)
    cores: SequenceTable = field(default_factory=SequenceTable)
    camel: SequenceTable = field(default_factory=SequenceTable)  # ("tik", "tok") for TikTok
    identifiers: Table = field(default_factory=dict)  # "uei:ABC123..." -> refs
    cpe_vendors: Table = field(default_factory=dict)
    # "maven/com.kaspersky" -> refs; "*/com.kaspersky" for a group, whose type is unknown.
    # Listed domains enter reversed as Maven groupIds (kaspersky.com -> com.kaspersky).
    namespaces: Table = field(default_factory=dict)
    namespace_stems: set[str] = field(default_factory=set)  # proper ancestors of those keys
    # Words a package name, group or namespace must contain to match anything: cores' first
    # words and the last level of each listed namespace ("kaspersky" of maven/com.kaspersky).
    package_words: set[str] = field(default_factory=set)
    domains: Table = field(default_factory=dict)
    words: set[str] = field(default_factory=set)  # every word of every listed name
    # ... with the other spellings of those words and the legal forms at a name's ends: a
    # name with a word outside this set cannot equal a listed name (a test in C, first).
    words_plus: set[str] = field(default_factory=lambda: set(STRIPPABLE))
    # Per entity, each name as (canonical key, key as written, ref): to score a whole name
    # that is close to one of them ("Kaspersky Lbs").
    names: dict[str, list[tuple[str, str, Ref]]] = field(default_factory=dict)
    neighbours: Neighbours = field(default_factory=lambda: Neighbours(()))
    # Cores that are listed names themselves ("kaspersky" of Kaspersky Lab: the brand
    # Kaspersky is listed): only those are matched inside longer names and product names.
    # "zhongxing" (core of Zhongxing Telecommunication Equipment) is not, so "Zhongxing
    # Pharmaceutical" is no match, while "Zhongxing Telecom" (only generic words) is.
    mentionable: set[tuple[str, ...]] = field(default_factory=set)
    _plain_keys: set[str] = field(default_factory=set)  # keys of names that are no common word
    _joined_cores: set[str] = field(default_factory=set)  # cores written together (building)
    # Listed names in Chinese or Japanese characters, as syllables, by their first two: found
    # inside a longer run of characters, since those scripts put no space between words.
    # Syllables, not characters, so that traditional characters find a name listed in
    # simplified ones (華為/华为: hua wei).
    ideographic: dict[str, tuple[tuple[tuple[str, ...], Ref], ...]] = field(default_factory=dict)
    # Two-character names (华为) by their characters: their sound is too common to use.
    ideographic_pairs: dict[str, tuple[Ref, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, ban_data: BanData) -> BanIndex:
        index = cls()
        for entity in ban_data.entities.values():
            index._add_entity(entity)
        index._finish()
        return index

    def _add_entity(self, entity: Entity) -> None:
        eid = entity.id
        for name in names_of(entity):
            self._add_name((eid, name.value, name.via, name.since, name.until), name.common_word)
        for scheme, values in entity.identifiers.items():
            for value in values:
                key = f"{scheme.casefold()}:{identifier_key(value)}"
                _add(self.identifiers, key, (eid, value, "identifier", None, None))
        for value in entity.cpe_vendors:
            ref: Ref = (eid, value, "cpe-vendor", None, None)
            _add(self.cpe_vendors, keys.cpe_vendor_key(value), ref)
        for value in entity.purl_namespaces:
            kind, namespace = keys.purl_namespace_key(value)
            ref = (eid, value, "purl-namespace", None, None)
            _add(self.namespaces, f"{kind}/{namespace}", ref)
            _add(self.namespaces, f"{ANY_TYPE}/{namespace}", ref)
        for value in entity.domains:
            host = keys.host(value)
            ref = (eid, value, "domain", None, None)
            _add(self.domains, host, ref)
            _add(self.namespaces, f"maven/{keys.reversed_domain(host)}", ref)
            _add(self.namespaces, f"{ANY_TYPE}/{keys.reversed_domain(host)}", ref)

    def _add_name(self, ref: Ref, common_word: bool = False) -> None:
        written = fold(ref[VALUE])
        folded = canonical(written)
        tokens = strip_legal(folded)
        if not tokens:
            return
        _add(self.literal, " ".join(folded), ref)
        key = " ".join(tokens)
        _add(self.exact, key, ref)
        if not common_word:
            self._plain_keys.add(key)
        self.words.update(tokens)
        written_key = strip_legal(written)
        self.words_plus.update(tokens, written_key)
        for token in tokens:
            self.words_plus.update(SPELLINGS.get(token, ()))
        for token in tokens:
            sounds = tuple(syllables(token)) if has_ideographs(token) else ()
            if len(sounds) >= IDEOGRAPHIC_MIN:
                start = " ".join(sounds[:2])
                self.ideographic[start] = (*self.ideographic.get(start, ()), (sounds, ref))
            elif len(token) == 2 and len(sounds) == 2:
                _add(self.ideographic_pairs, token, ref)
        self.names.setdefault(ref[ENTITY_ID], []).append((key, " ".join(written_key), ref))
        # The name's words written together ("KasperskyLab", "chinatelecom") is the name.
        for together in {"".join(tokens), "".join(written_key)} if len(tokens) > 1 else ():
            _add(self.exact, together, ref)
            self.words_plus.add(together)
            if not common_word:
                self._plain_keys.add(together)
        sequence = core(tokens)
        if sequence is None:
            return
        self.cores.add(sequence, ref)
        if len(sequence) > 1:  # "chinatelecom americas"; no typos looked for in it
            self.cores.add(("".join(sequence),), ref)
            self._joined_cores.add("".join(sequence))
        for parts in [] if common_word else camel_parts(ref[VALUE]):
            word = "".join(parts)
            if len(parts) > 1 and word in sequence and is_distinctive(word):
                self.camel.add(tuple(parts), ref)

    def _finish(self) -> None:
        """Best name first, and one name per entity under each key."""
        tables: tuple[dict[Any, tuple[Ref, ...]], ...] = (  # keyed by str or by tuple
            self.literal,
            self.exact,
            self.cores.refs,
            self.camel.refs,
            self.identifiers,
            self.cpe_vendors,
            self.namespaces,
            self.domains,
        )
        for table in tables:
            for key, refs in table.items():
                if len(refs) > 1:  # most keys have one ref: nothing to order
                    table[key] = _best_per_entity(refs)
        for key in self.namespaces:
            self.namespace_stems.update(keys.ancestors(key, keys.ALL_SEPARATORS))
            last = re.split(r"[./:]", key.partition("/")[2])[-1]
            self.package_words.update(words(last))
        self.mentionable = {seq for seq in self.cores.refs if " ".join(seq) in self._plain_keys}
        self.package_words |= {seq[0] for seq in self.mentionable}
        for seq in self.mentionable:
            self.package_words.update(SPELLINGS.get(seq[0], ()))
        self._plain_keys = set()  # only needed while building
        # Typos are looked for only among the words that can identify an entity.
        self.neighbours = Neighbours(
            {w for sequence in self.cores.refs for w in sequence if is_distinctive(w)}
            - self._joined_cores
        )
        self._joined_cores = set()


def names_of(entity: Entity) -> list[Name]:
    """The entity's names, plus its display name when the list does not repeat it."""
    names = list(entity.names)
    if entity.name and all(n.value != entity.name for n in names):
        has_legal = any(n.via == "legal-name" for n in names)
        names.append(Name(entity.name, "alias" if has_legal else "legal-name"))
    return names


def _add(table: Table, key: str, ref: Ref) -> None:
    if key:
        table[key] = (*table.get(key, ()), ref)


def _best_per_entity(refs: Iterable[Ref]) -> tuple[Ref, ...]:
    seen: set[str] = set()
    best = []
    for ref in sorted(refs, key=rank):
        if ref[ENTITY_ID] not in seen:
            seen.add(ref[ENTITY_ID])
            best.append(ref)
    return tuple(best)
