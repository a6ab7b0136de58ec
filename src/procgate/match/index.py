"""The ban lists as lookup tables, built once per run.

Every rule is a dict lookup keyed by a folded value (or by each token, prefix or domain
suffix of it), so the cost of matching a value does not grow with the number of names.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from procgate.match import keys
from procgate.match.names import core, is_distinctive, name_tokens
from procgate.match.tokens import camel_parts
from procgate.model import BanData, Entity, Name

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


class Ref(NamedTuple):
    """One listed name or identifier of an entity, as a Match reports it."""

    entity_id: str
    value: str  # as written in the ban list
    via: str
    since: date | None = None
    until: date | None = None

    def rank(self) -> tuple[int, bool]:
        # A name valid for a limited time (a sold brand) after one that always was.
        return VIA_RANK.get(self.via, len(VIA_RANK)), self.until is not None


Table = dict[str, list[Ref]]


@dataclass
class SequenceTable:
    """Token sequences (name cores) found as whole tokens inside a longer token list."""

    refs: dict[tuple[str, ...], list[Ref]] = field(default_factory=dict)
    firsts: set[str] = field(default_factory=set)  # cheap test before any tuple is built
    longest: int = 0

    def add(self, sequence: tuple[str, ...], ref: Ref) -> None:
        self.refs.setdefault(sequence, []).append(ref)
        self.firsts.add(sequence[0])
        self.longest = max(self.longest, len(sequence))

    def find(self, tokens: list[str]) -> Iterator[tuple[int, int, list[Ref]]]:
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
    exact: Table = field(default_factory=dict)  # folded name -> refs
    cores: SequenceTable = field(default_factory=SequenceTable)
    camel: SequenceTable = field(default_factory=SequenceTable)  # ("tik", "tok") for TikTok
    identifiers: Table = field(default_factory=dict)  # "uei:ABC123..." -> refs
    cpe_vendors: Table = field(default_factory=dict)
    namespaces: Table = field(default_factory=dict)  # "maven/com.kaspersky" -> refs
    bare_namespaces: Table = field(default_factory=dict)  # "com.kaspersky" (any type)
    domains: Table = field(default_factory=dict)
    reversed_domains: Table = field(default_factory=dict)  # "com.kaspersky" -> kaspersky.com

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
            self._add_name(Ref(eid, name.value, name.via, name.since, name.until))
        for scheme, values in entity.identifiers.items():
            for value in values:
                key = f"{scheme.casefold()}:{keys.identifier_key(value)}"
                _add(self.identifiers, key, Ref(eid, value, "identifier"))
        for value in entity.cpe_vendors:
            _add(self.cpe_vendors, keys.cpe_vendor_key(value), Ref(eid, value, "cpe-vendor"))
        for value in entity.purl_namespaces:
            kind, namespace = keys.purl_namespace_key(value)
            ref = Ref(eid, value, "purl-namespace")
            _add(self.namespaces, f"{kind}/{namespace}", ref)
            _add(self.bare_namespaces, namespace, ref)
        for value in entity.domains:
            host = keys.host(value)
            ref = Ref(eid, value, "domain")
            _add(self.domains, host, ref)
            _add(self.reversed_domains, keys.reversed_domain(host), ref)

    def _add_name(self, ref: Ref) -> None:
        tokens = name_tokens(ref.value)
        if not tokens:
            return
        _add(self.exact, " ".join(tokens), ref)
        sequence = core(tokens)
        if sequence is None:
            return
        self.cores.add(sequence, ref)
        for parts in camel_parts(ref.value):
            word = "".join(parts)
            if len(parts) > 1 and word in sequence and is_distinctive(word):
                self.camel.add(tuple(parts), ref)

    def _finish(self) -> None:
        """Best name first, and one name per entity under each key."""
        for table in (
            self.exact,
            self.cores.refs,
            self.camel.refs,
            self.identifiers,
            self.cpe_vendors,
            self.namespaces,
            self.bare_namespaces,
            self.domains,
            self.reversed_domains,
        ):
            for key, refs in table.items():
                table[key] = _best_per_entity(refs)


def names_of(entity: Entity) -> list[Name]:
    """The entity's names, plus its display name when the list does not repeat it."""
    names = list(entity.names)
    if entity.name and all(n.value != entity.name for n in names):
        has_legal = any(n.via == "legal-name" for n in names)
        names.append(Name(entity.name, "alias" if has_legal else "legal-name"))
    return names


def _add(table: Table, key: str, ref: Ref) -> None:
    if key:
        table.setdefault(key, []).append(ref)


def _best_per_entity(refs: Iterable[Ref]) -> list[Ref]:
    seen: set[str] = set()
    best = []
    for ref in sorted(refs, key=Ref.rank):
        if ref.entity_id not in seen:
            seen.add(ref.entity_id)
            best.append(ref)
    return best
