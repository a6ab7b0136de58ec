"""Rule ids: defined once, set on every finding when it is created. Ids are stable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    help: str


RULES: dict[str, Rule] = {}


def _rule(id: str, title: str, help: str) -> str:
    RULES[id] = Rule(id, title, help)
    return id


PARSE_ERROR = _rule(
    "parse.error",
    "File cannot be parsed",
    "The file is not well-formed YAML, JSON, XML or SPDX tag-value. Fix the syntax at the "
    "line shown; nothing in an unreadable file can be checked.",
)
PARSE_UNKNOWN_KIND = _rule(
    "parse.unknown-kind",
    "File is not a known kind",
    "The file was named explicitly but is neither a purchase request (apiVersion: procgate/v1, "
    "kind: PurchaseRequest), a CycloneDX or SPDX SBOM, a ban list nor a waiver.",
)
PARSE_LIMIT = _rule(
    "parse.limit",
    "File exceeds a safety limit",
    "The file is larger or more deeply nested than procgate reads, or uses YAML aliases or XML "
    "entities that could expand without bound.",
)
PARSE_MISSING_FILE = _rule(
    "parse.missing-file",
    "Referenced file is missing",
    "A purchase request item names an SBOM (`sbom:`) that does not exist. The path is relative "
    "to the request file.",
)
SCHEMA_ERROR = _rule(
    "schema.invalid",
    "Document does not match its schema",
    "The document does not validate against its JSON Schema (procgate's own formats) or the "
    "official CycloneDX / SPDX schema. Fix the field at the position shown.",
)
BANNED_VENDOR = _rule(
    "bans.banned-vendor",
    "Vendor is banned",
    "A vendor, manufacturer, brand or component supplier is covered by a ban that applies to "
    "this audience on this date. Do not buy, ship or keep it; choose another vendor.",
)
POSSIBLE_BAN = _rule(
    "bans.review",
    "Vendor may be covered by a ban",
    "A listed vendor was matched, but whether the ban reaches this item depends on facts the "
    "document does not settle (its use, whether it is equipment or software, the product "
    "line). Review it and record the outcome.",
)
LISTED_NOT_BANNED = _rule(
    "bans.listed-not-banned",
    "Vendor is listed, but no ban applies here",
    "The vendor is on a list procgate knows, but no listed authority applies to this "
    "audience, date or use. Nothing listed passes silently: confirm and move on.",
)
MALFORMED_IDENTIFIER = _rule(
    "identifiers.malformed",
    "Entity identifier is malformed",
    "A UEI, CAGE, LEI or DUNS does not have the form its scheme requires (length, alphabet, "
    "check digits). A mistyped identifier cannot be screened; correct it from SAM.gov or GLEIF.",
)
