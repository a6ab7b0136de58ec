"""Core types shared by every stage. No I/O here, and no stage is imported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a loaded file is. Detected from content, not from the file name."""

    PURCHASE_REQUEST = "purchase-request"
    CYCLONEDX = "cyclonedx"
    SPDX2 = "spdx2"
    SPDX3 = "spdx3"
    BAN_LIST = "ban-list"
    WAIVER = "waiver"


class Severity(StrEnum):
    DENY = "deny"
    WARN = "warn"
    WAIVED = "waived"


# --fail-on / `fail-on:`: the lowest severity that fails a run, and what each one blocks.
_BLOCKING: dict[str, frozenset[Severity]] = {
    "deny": frozenset({Severity.DENY}),
    "warn": frozenset({Severity.DENY, Severity.WARN}),
    "never": frozenset(),
}
FAIL_ON = tuple(_BLOCKING)


def blocking_severities(fail_on: str) -> frozenset[Severity]:
    """The severities that fail a run under `fail_on`. An unknown value is an error, never
    read as the strictest or the loosest (the CLI and the config schema refuse it first)."""
    try:
        return _BLOCKING[fail_on]
    except KeyError:
        raise ValueError(f"unknown fail-on {fail_on!r}: one of {', '.join(FAIL_ON)}") from None


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a file: 1-based line and column, 0 when unknown."""

    file: str
    line: int  # 1-based; 0 when unknown
    column: int  # 1-based; 0 when unknown


# Maps a JSON pointer to (line, column). Only load/ builds these; they run lazily,
# so a clean 100k-component SBOM never pays for positions.
Locator = Callable[[str], tuple[int, int]]


@dataclass(frozen=True, eq=False)
class Document:
    """One parsed file. `data` is JSON-shaped (dicts, lists, str, numbers, bool, None),
    whatever the source syntax was: CycloneDX XML and SPDX tag-value are converted to
    the shape of their JSON forms so that normalizers read one shape. Frozen like every
    model type: an SBOM checked in a request's context is a copy with `parent` set
    (dataclasses.replace), so the loaded document never changes."""

    path: str  # as given by the user (relative paths stay relative)
    kind: Kind
    data: Any
    syntax: str  # json | yaml | xml | tag-value
    locator: Locator | None = None
    spec_version: str = ""  # "1.5", "SPDX-2.3", "3.0.1", "procgate/v1"
    parent: Document | None = None  # the purchase request that referenced this SBOM
    # The parsed original when `data` was converted from another syntax (the lxml tree of
    # a CycloneDX XML file), for validators that check the original (the XSD).
    source: Any = field(default=None, repr=False)
    _cache: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

    def position(self, pointer: str) -> Position:
        """File position of a JSON pointer; falls back to the nearest located parent."""
        if self.locator is None:
            return Position(self.path, 0, 0)
        if pointer not in self._cache:
            self._cache[pointer] = self.locator(pointer)
        line, column = self._cache[pointer]
        return Position(self.path, line, column)

    def locate(self, pointers: Iterable[str]) -> None:
        """Position many pointers ahead of position(): a locator with a `many` method (the
        JSON one) finds them together, reading the text once in text order, where one
        look-up after another in the order findings come costs a walk each."""
        many = getattr(self.locator, "many", None)
        if many is None:
            return
        todo = [p for p in dict.fromkeys(pointers) if p not in self._cache]
        if todo:
            self._cache.update(zip(todo, many(todo), strict=True))


@dataclass(frozen=True, slots=True)
class Owner:
    """The purchase item or SBOM component a subject belongs to."""

    pointer: str  # "/items/0", "/components/12"; "" for the document itself
    label: str  # for people: "item 1 (Kaspersky Endpoint Security)"
    category: str  # hardware | software | cloud-service | telecom-equipment |
    #                video-surveillance-equipment | service | "" (unknown)
    name: str = ""  # product or component name
    text: str = ""  # description/product/model words the decision may look at
    purl: str = ""


@dataclass(frozen=True, slots=True)
class Subject:
    """A value in a document that can name a vendor."""

    role: str  # see ROLES
    value: str
    pointer: str
    owner: Owner
    party: str = "organization"  # organization | person | unknown | identifier


# Roles a subject can have. Normalizers set them; the matcher and policies read them.
ROLES = (
    "vendor",  # purchase request vendor.name
    "manufacturer",
    "brand",
    "supplier",
    "publisher",
    "author",
    "originator",
    "group",  # CycloneDX component.group
    "product-name",  # component/product name: only whole brand tokens are matched
    "purl-namespace",
    "cpe-vendor",
    "domain",
    "uei",
    "cage",
    "lei",
    "duns",
)


@dataclass(frozen=True, slots=True)
class Listing:
    """An entity's appearance on one authority's list."""

    authority: str
    since: date | None
    scope: str  # what the list covers for this entity, see schemas/ban-list.schema.json
    entry: str  # the list's own words
    source: str
    # Added by the ban-list loader; the Rego decision reads both (see bans.rego).
    excludes: tuple[str, ...] = ()  # security-software: offerings the list leaves out
    use_condition: tuple[str, ...] = ()  # video-telecom-equipment: the uses it covers
    since_unknown: bool = False  # the list gives no date of inclusion (imported lists)
    action: str = ""  # what to do about this entity under this authority ("": the authority's)


@dataclass(frozen=True, slots=True)
class Name:
    """One name an entity is known by."""

    value: str
    via: str  # legal-name | alias | former-name | brand | subsidiary | affiliate
    since: date | None = None
    until: date | None = None  # e.g. a brand sold to another owner
    source: str = ""
    note: str = ""
    # Also an ordinary word ("Honor"): matched alone or with legal forms, places and generic
    # words, never as one word of a longer name or of a product name.
    common_word: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """A listed organisation: its names, identifiers and listings."""

    id: str
    name: str
    names: tuple[Name, ...]
    identifiers: Mapping[str, tuple[str, ...]]  # uei, cage, lei, duns -> values
    cpe_vendors: tuple[str, ...]
    purl_namespaces: tuple[str, ...]
    domains: tuple[str, ...]
    listings: tuple[Listing, ...]
    country: str = ""
    source_file: str = ""


@dataclass(frozen=True, slots=True)
class Authority:
    """A law, rule or list that bans entities: for whom, since when, how."""

    id: str
    title: str
    citation: str
    issued: date | None
    audiences: Mapping[str, date]  # audience -> effective date for it
    severity: Mapping[str, str]  # audience -> deny | warn
    waivable: bool
    source: str
    summary: str = ""
    action: str = ""  # what to do, in plain words
    source_file: str = ""
    # audience -> further terms for it, as written in the ban list (until, basis, not_for,
    # use_condition, supply_effective, contents_effective, action, override): read by Rego.
    terms: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class BanData:
    """Every ban list of a run, merged: authorities, entities, audiences."""

    authorities: Mapping[str, Authority]
    entities: Mapping[str, Entity]
    audiences: Mapping[str, tuple[str, ...]]  # audience -> audiences it includes
    digest: str = ""  # hash of the files the data came from
    lists: tuple[ListInfo, ...] = ()  # the files, with the date each is current as of
    # Product-category entries (ban-list `product_categories`), JSON-shaped, for Rego.
    categories: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class ListInfo:
    """One ban-list file: its name, where it came from, and the date it is current as of."""

    name: str
    path: str
    as_of: date  # metadata.as_of, else metadata.updated
    # True when the list states `as_of`: only then can it go stale (data.stale). An
    # organisation's own decisions (`updated` only) do not age.
    declared: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """A subject that names a listed entity, and how it was matched."""

    subject: Subject
    entity_id: str
    matched_name: str  # the ban-list name, alias or identifier that matched
    score: float  # 1.0 for exact name, alias or identifier
    via: str  # legal-name | alias | brand | subsidiary | former-name | identifier |
    #           purl-namespace | cpe-vendor | domain | fuzzy | transliteration
    since: date | None = None  # validity window of the matched name (e.g. a brand that was
    until: date | None = None  # sold): the decision compares it with the evaluation date


@dataclass(frozen=True, slots=True)
class Context:
    """Who is buying and as of when. Arrives as an argument; no stage reads the clock."""

    audience: str
    today: date
    use: tuple[str, ...] = ()  # the purchase request's `use`, inherited by its SBOMs


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check reports: a rule, a severity and where in which file."""

    rule: str
    severity: Severity
    message: str
    position: Position
    pointer: str = ""
    entity: str | None = None
    authorities: tuple[str, ...] = ()
    matched: str | None = None  # the text as written in the document
    listed_name: str | None = None  # the ban-list name, alias or identifier it matched
    score: float | None = None
    via: str | None = None
    action: str = ""  # what to do, in plain words
    waived_by: Waiver | None = None  # the waiver that waived it (severity `waived`)
    about_waiver: str | None = None  # id of the waiver a `waiver.*` finding is about
    component: str | None = None  # purl of the SBOM component the finding is about
    # What the finding is about, without lines or array positions ("/components/[purl:
    # pkg:maven/com.huawei/x]"; "" for the document itself): set by the pipeline
    # (diff.baseline.finding_location); keys it across commits (diff.baseline.finding_key).
    location: str | None = None


@dataclass(frozen=True, slots=True)
class WaiverScope:
    """Where a waiver applies: every non-empty list must match, one entry of it suffices."""

    files: tuple[str, ...] = ()  # globs, relative to the project root
    requests: tuple[str, ...] = ()  # purchase request ids
    components: tuple[str, ...] = ()  # purls; without @version every version


@dataclass(frozen=True, slots=True)
class Waiver:
    """An approved exception to a rule or an entity, until it expires."""

    id: str
    rule: str | None
    entity: str | None
    scope: WaiverScope
    approver: str
    reason: str
    ticket: str
    expires: date  # the last day it applies
    approved_on: date
    authority: str | None = None  # the ban-list authority it is granted under
    # A waiver found among the checked files (not configured in procgate.yaml): its folder,
    # from the project root ("." at the root). Its `files` globs are relative to it and may
    # not leave it. None for a configured waiver: globs from the config's folder.
    folder: str | None = None
    # Where its fields are written, for findings about the waiver itself.
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False)

    def position(self, key: str) -> Position:
        return self.positions.get(key) or self.positions.get("id") or Position("", 0, 0)


@dataclass(frozen=True)
class Decided:
    """What a run was decided with, for machines and records: the evaluation date, each
    audience with where it came from and the files checked as it (none: every file), and
    the ban lists with the date each is current as of."""

    date: date
    audiences: tuple[tuple[str, str, tuple[str, ...]], ...]
    lists: tuple[ListInfo, ...]


@dataclass(frozen=True)
class Verdict:
    """What a run found: the files checked and the findings, for the reports."""

    files: tuple[str, ...]
    findings: tuple[Finding, ...]
    base: str = ""  # with --diff: what only new findings were kept against, "main (1a2b3c4d)"
    decided: Decided | None = None
    # What the run was decided with, for people: the audience and where it came from, the
    # ban lists and the date each is current as of.
    notes: tuple[str, ...] = ()
    # (authority id, its source URL) for the authorities the findings name: what a report
    # links them to (SARIF's rule help). The ban data has them, a Finding does not.
    authority_urls: tuple[tuple[str, str], ...] = ()

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def exit_code(self, fail_on: str) -> int:
        """0 when nothing is at or above `fail_on`, else 1."""
        blocking = blocking_severities(fail_on)
        return 1 if any(f.severity in blocking for f in self.findings) else 0

    def summary(self, fail_on: str = "deny") -> dict[str, Any]:
        summary: dict[str, Any] = {
            "files": len(self.files),
            "deny": self.count(Severity.DENY),
            "warn": self.count(Severity.WARN),
            "waived": self.count(Severity.WAIVED),
            "passed": self.exit_code(fail_on) == 0,
        }
        if self.base:
            summary["new_against"] = self.base
        return summary
